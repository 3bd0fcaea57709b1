"""Kata focal_loss: the multi-class softmax focal loss (Lin et al., 2017) and its gradient.

Implement the function below in numpy; its docstring is the whole
specification. Then grade your work with

    python -m grader focal_loss

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/focal_loss.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def focal_loss(logits, labels, gamma=2.0):
    """Multi-class softmax focal loss and its gradient.

    With p = softmax(logits) over the classes (axis 1) and p_t = p[i,
    labels[i]] the probability of each example's true class, the loss is
    the mean over the batch of

        -(1 - p_t)**gamma * log(p_t)

    The factor (1 - p_t)**gamma down-weights the examples already
    classified well (p_t near 1), so that training focuses on the hard
    ones. gamma = 0 gives exactly the softmax cross-entropy. This is Lin
    et al.'s focal loss with a softmax over C classes and no alpha
    weighting (alpha = 1); torchvision's sigmoid_focal_loss is the
    per-class binary version, a different loss.

    dlogits is the gradient of that mean (it includes the factor 1/N),
    and the focusing factor depends on the logits too: differentiate it.
    With log p_t = z_t - logsumexp(z) and d log p_t / dz_j = [j = t] - p_j,

        dloss_i/dz_j = ([j = t] - p_j) * (gamma * (1 - p_t)**(gamma - 1)
                       * p_t * log(p_t) - (1 - p_t)**gamma)

    Make it exact and stable: logits of +-1e4 give finite values and no
    warnings. Compute log p_t with the log-sum-exp trick (a true class
    1e4 below another costs about 1e4), 1 - p_t without cancellation
    (for example -expm1(log p_t)), and take the term gamma * (1 -
    p_t)**(gamma - 1) * p_t * log(p_t) as 0 where 1 - p_t is 0 (its
    limit, also for 0 < gamma < 1, where (1 - p_t)**(gamma - 1) alone is
    infinite). Do not modify logits or labels.

    Inputs:
    - logits: Scores, of shape (N, C)
    - labels: Integer class labels, of shape (N,), each in [0, C)
    - gamma: The focusing parameter, a float >= 0 (default 2.0)

    Returns a tuple of:
    - loss: The loss, a float
    - dlogits: Gradient of the loss with respect to logits, of shape
      (N, C)

    Raises ValueError when gamma < 0.

    What is graded: that loss is a real scalar (a float, or a 0-d array) and
    the shape of dlogits; loss and dlogits against the reference, and
    dlogits against central-difference numerical gradients of the loss, for
    gamma 2, 0.5 and 1.5, on float64 inputs (two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0); that logits and labels are
    not modified; that the same inputs give the same outputs. Edge cases:
    gamma 0 equals the softmax cross-entropy (loss and dlogits), logits of
    +-1e4 with gamma 2 and 0.5 (finite, no warnings, a true class 1e4 below
    another costs about 1e4), C = 1 (loss 0, dlogits 0), N = 1, and gamma
    -1 (ValueError). Speed is shown beside the score but never counted in
    it.
    """
    raise NotImplementedError("focal_loss: not started")
