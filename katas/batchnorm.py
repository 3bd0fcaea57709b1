"""Kata batchnorm: batch normalisation of (N, D) data, forward and backward.

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader batchnorm

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/batchnorm.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch normalisation, forward pass, for data of shape (N, D).

    In train mode, normalise every feature (column) of the minibatch with
    its mean and its biased variance (divide by N, not N - 1), then scale
    and shift:

        mean = mean of x over the batch axis, shape (D,)
        var = mean of (x - mean)**2 over the batch axis, shape (D,)
        out = gamma * (x - mean) / sqrt(var + eps) + beta

    Compute the variance this way, from x - mean: the shortcut
    E[x**2] - E[x]**2 loses all its precision when the data share a large
    offset (1e6 plus small noise). Then store updated running statistics
    in bn_param, with the same biased var:

        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var

    In test mode, normalise with running_mean and running_var in place of
    the batch mean and var, and leave the running statistics unchanged.

    bn_param is the one argument you may modify: in train mode, store the
    new 'running_mean' and 'running_var' in it. Do not modify x, gamma or
    beta.

    Inputs:
    - x: Data of shape (N, D)
    - gamma: Scale parameter of shape (D,)
    - beta: Shift parameter of shape (D,)
    - bn_param: Dictionary with the following keys:
      - mode: 'train' or 'test' (required); any other value raises
        ValueError
      - eps: Constant added to the variance for numeric stability;
        default 1e-5
      - momentum: Constant for the running statistics; default 0.9
      - running_mean: Array of shape (D,); default zeros
      - running_var: Array of shape (D,); default zeros

    Returns a tuple of:
    - out: Normalised data, of shape (N, D)
    - cache: Whatever batchnorm_backward needs; the grader only hands it
      back to batchnorm_backward, and only from train mode

    What is graded: the shape of out; out and the running statistics against
    the reference, in train and in test mode (two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0); that x, gamma and beta are
    not modified; that the same inputs give the same outputs. Edge cases:
    N = 1 (variance 0, so out equals beta), test mode (uses the running
    statistics and leaves them unchanged), the running update with a large
    eps on unit-variance x (eps belongs in the normalisation only, never in
    running_var), an unknown mode (ValueError), and a common offset of 1e6
    added to x. All inputs are float64. Speed is shown beside the score but
    never counted in it.
    """
    raise NotImplementedError("batchnorm_forward: not started")


def batchnorm_backward(dout, cache):
    """Batch normalisation, backward pass, for a train-mode cache.

    The batch mean and variance are computed from x, so each x[i, d]
    reaches out[:, d] not only directly but also through mean[d] and
    var[d]: dx must include those paths. (A step-by-step pass backwards
    through the computational graph and a compact closed formula are both
    fine.) With N = 1 the gradients must still be finite.

    Inputs:
    - dout: Upstream derivatives, of shape (N, D)
    - cache: Whatever batchnorm_forward returned in train mode

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, D)
    - dgamma: Gradient with respect to gamma, of shape (D,)
    - dbeta: Gradient with respect to beta, of shape (D,)

    What is graded: the shapes of dx, dgamma and dbeta; all three against
    the reference and against central-difference numerical gradients of
    batchnorm_forward on float64 inputs (two arrays agree when their shapes
    are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0); that dout is not modified; that the same
    inputs give the same outputs. Edge case: N = 1 (out equals beta whatever
    x is, so dx is 0 and must be finite). Speed is shown beside the score
    but never counted in it.
    """
    raise NotImplementedError("batchnorm_backward: not started")
