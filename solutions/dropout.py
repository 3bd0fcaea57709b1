"""Reference solution for the dropout kata: inverted dropout."""

import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    """Inverted dropout, forward pass.

    p is the probability of DROPPING a unit (PyTorch's convention), not
    of keeping it. In train mode, each element of x is dropped (set to 0)
    independently with probability p, and the kept elements are scaled by
    1 / (1 - p), so that the expected value of out equals x and nothing
    has to change at test time:

        out = x * mask / (1 - p), mask[i] = 0 with probability p, else 1

    With p == 1 every element is dropped: out is all zeros, with no
    division by zero, warning or NaN. With p == 0 out equals x. A p
    outside [0, 1] raises ValueError (in either mode).

    Draw the random numbers from rng, a numpy.random.Generator (for
    example np.random.default_rng(seed)); when rng is None, use a fresh
    np.random.default_rng(). The same seed must give the same mask. Never
    use or change the global np.random state (np.random.rand,
    np.random.seed, ...).

    With train=False (test time), return out equal to x: no mask, no
    scaling. Do not modify x.

    Inputs:
    - x: Input data, of any shape: (N, D), (N, C, H, W), (D,), ...; every
      unit is dropped independently of the others
    - p: Probability of dropping each unit, 0 <= p <= 1
    - train: True for train mode, False for test mode; default True
    - rng: A numpy.random.Generator, or None; default None

    Returns a tuple of:
    - out: Array of the same shape as x
    - cache: Whatever dropout_backward needs (the mask, in train mode);
      the grader only hands it back to dropout_backward

    What is graded, on x of 1, 2 and 4 dimensions: the shape of out;
    train=False gives out equal to x; in train mode every element of out
    is 0 or x / (1 - p) (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs, at least 1);
    the fraction dropped lies within statistical bounds around p; units
    are dropped independently of each other: neighbouring samples,
    channels, rows or columns are dropped together no more often than
    chance allows (no mask shared along an axis). Each statistical test
    fails a correct answer with probability below 2e-8 (Hoeffding's
    bound), a whole grading run less than once in 5 million. The same
    seed gives the same mask, another seed (or rng=None, twice) a
    different one; the global np.random state is neither used nor
    changed; x is not modified. Edge cases: p = 0, p = 1 (zeros, no
    warning or NaN) and a p outside [0, 1] (ValueError). Your mask is
    never compared with the reference's. All inputs are float64. Speed is
    shown beside the score but never counted in it.
    """
    if not 0 <= p <= 1:  # also rejects NaN
        raise ValueError(f"dropout probability p must be in [0, 1], got {p}")
    if not train:
        return x.copy(), None
    rng = np.random.default_rng() if rng is None else rng
    keep = rng.random(x.shape) >= p  # a unit is dropped when its uniform draw is < p: P = p
    # Inverted dropout: scale the kept units now, so test time is the identity.
    mask = keep / (1 - p) if p < 1 else np.zeros(x.shape)
    return x * mask, mask


def dropout_backward(dout, cache):
    """Inverted dropout, backward pass.

    Use the very mask of the forward pass that made the cache (do not
    draw a new one): the gradient flows only through the kept units, with
    the same 1 / (1 - p) scaling. For a cache made with train=False the
    forward pass was the identity, so dx equals dout.

    Inputs:
    - dout: Upstream derivatives, of the shape of x
    - cache: Whatever dropout_forward returned

    Returns:
    - dx: Gradient with respect to x, of the shape of x

    What is graded, on x of 1, 2 and 4 dimensions: the shape of dx; dx
    is 0 exactly where the forward pass dropped a unit and dout / (1 - p)
    elsewhere (the mask is reused; agreement as in dropout_forward);
    train=False gives dx equal to dout; that dout is not modified; the
    same cache gives the same dx. Speed is shown beside the score but
    never counted in it.
    """
    mask = cache
    return dout.copy() if mask is None else dout * mask
