"""Reference solution for the softmax_ce kata: softmax and softmax cross-entropy loss."""

import numpy as np


def softmax(x):
    """Softmax over the last axis.

        probs[i, j] = exp(x[i, j]) / sum over k of exp(x[i, k])

    Make it stable: exp overflows to inf beyond about 709, so subtract
    each row's maximum before exponentiating (softmax does not change
    when a constant is added to a row). Logits as large as +-1e4 must give
    finite probabilities and no warnings. Do not modify x.

    Inputs:
    - x: Scores, of shape (N, C)

    Returns:
    - probs: Probabilities, of shape (N, C); each row sums to 1

    What is graded: the shape of probs; its values against the reference
    (two arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0); that x is
    not modified; that the same inputs give the same outputs. Edge cases:
    logits of +-1e4 (finite, no warnings), C = 1 (all ones) and N = 1. All
    inputs are float64. Speed is shown beside the score but never counted in
    it.
    """
    shifted = x - x.max(axis=-1, keepdims=True)  # softmax(x) == softmax(x - c): no overflow
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    """Softmax cross-entropy loss and its gradient.

    The loss is the mean over the batch of the negative log-probability
    of the true class:

        loss = mean over i of -log softmax(logits)[i, labels[i]]

    Make it exact and stable. Compute log-softmax directly with the
    log-sum-exp trick, log softmax(z)[j] = (z[j] - m) - log(sum over k of
    exp(z[k] - m)) with m = max(z), rather than taking the log of the
    probabilities: logits as large as +-1e4 must give finite results and
    no warnings, and a true class that trails another by 1e4 gives a loss
    of about 1e4. No log(p + eps) fudge: it is not exact, and it caps
    that loss at -log(eps).

    dlogits is the gradient of that mean, so it includes the factor 1/N.
    Do not modify logits or labels.

    Inputs:
    - logits: Scores, of shape (N, C)
    - labels: Integer class labels, of shape (N,), each in [0, C)

    Returns a tuple of:
    - loss: The loss, a float
    - dlogits: Gradient of the loss with respect to logits, of shape
      (N, C)

    What is graded: that loss is a real scalar (a float, or a 0-d array) and
    the shape of dlogits; loss and dlogits against the reference, and
    dlogits against central-difference numerical gradients of the loss on
    float64 inputs (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs (dout included),
    at least 1: an exact 0 that your formula computes as rounding noise
    agrees with 0); that logits and labels are not modified; that the same
    inputs give the same outputs. Edge cases: logits of +-1e4 (finite, no
    warnings, a gap of 1e4 costs about 1e4), C = 1 (loss 0, dlogits 0) and
    N = 1. Speed is shown beside the score but never counted in it.
    """
    N = logits.shape[0]
    rows = np.arange(N)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log-sum-exp
    loss = -log_probs[rows, labels].mean()
    # d loss / d logits = (softmax - onehot) / N
    dlogits = np.exp(log_probs)
    dlogits[rows, labels] -= 1
    dlogits /= N
    return float(loss), dlogits
