"""Kata logistic_regression: a stable logistic loss with its gradients, and a fit by gradient descent.

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader logistic_regression

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/logistic_regression.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def logistic_loss(w, b, X, y, reg=0.0):
    """Binary logistic regression: the mean cross-entropy on logits, and its gradients.

    The logits are z = X @ w + b, one per example, and the model's
    probability of label 1 is p = sigmoid(z) = 1 / (1 + exp(-z)). The loss
    is the mean binary cross-entropy plus an L2 penalty on w (PyTorch's
    F.binary_cross_entropy_with_logits, reduction='mean', plus the
    penalty):

        loss = mean over i of -(y[i]*log p[i] + (1 - y[i])*log(1 - p[i]))
               + 0.5 * reg * sum(w**2)

    The bias b is NOT regularised. Labels are 0 and 1 (not -1 and +1).

    Make it exact and stable: -log p = log(1 + exp(-z)) and -log(1 - p) =
    log(1 + exp(z)), so each term is log(1 + exp(z)) - y*z, computed
    without overflow (np.logaddexp(0, z)). Logits as large as +-1e4 must
    give finite results and no warnings, and a confident wrong answer
    (z = -1e4 for y = 1) costs about 1e4. No log(p + eps) fudge: it is
    not exact, and it caps that cost at -log(eps).

    The gradients are those of the mean, so they carry the factor 1/N:
    dz = (p - y) / N, dw = X.T @ dz + reg * w, db = sum(dz). Do not modify
    any argument.

    Inputs:
    - w: Weights, of shape (D,)
    - b: Bias, a float (the numerical-gradient calls pass it as a 0-d
      float64 array: use it as a number)
    - X: Data, of shape (N, D)
    - y: Labels, of shape (N,), each 0 or 1 (integers or floats)
    - reg: L2 regularisation strength, a float >= 0

    Returns a tuple of:
    - loss: The loss, a float
    - dw: Gradient of the loss with respect to w, of shape (D,)
    - db: Gradient of the loss with respect to b, a float

    What is graded: that loss and db are real scalars (floats, or 0-d
    arrays) and the shape of dw; loss, dw and db against the reference, and
    dw and db against central-difference numerical gradients of your loss,
    with reg 0 (integer labels) and reg > 0 (float labels), on float64
    inputs (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the
    check's inputs (dout included), at least 1: an exact 0 that your
    formula computes as rounding noise agrees with 0); that no argument is
    modified; that the same inputs give the same outputs. Edge cases:
    logits of +-1e4 (finite, no warnings, against the reference) and a
    confident wrong answer (z = -1e4 for y = 1 and z = +1e4 for y = 0:
    a loss of about 1e4, finite, no warnings). Speed is shown beside the
    score but never counted in it.
    """
    raise NotImplementedError("logistic_loss: not started")


def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    """Fit logistic regression by full-batch gradient descent.

    Start from w = zeros(D) and b = 0.0, then take num_iters steps of

        loss, dw, db = logistic_loss(w, b, X, y, reg)
        w = w - lr * dw
        b = b - lr * db

    (each step on the whole batch, nothing random). num_iters = 0 returns
    the zeros. Do not modify X or y.

    Inputs:
    - X: Data, of shape (N, D)
    - y: Labels, of shape (N,), each 0 or 1
    - lr: Learning rate, a float
    - num_iters: Number of gradient steps, an int >= 0
    - reg: L2 regularisation strength, as in logistic_loss

    Returns a tuple of:
    - w: The fitted weights, of shape (D,)
    - b: The fitted bias, a float

    What is graded: the shape of w and that b is a real scalar; w and b
    against the reference's (the same steps from the same start), with
    reg 0 and reg > 0 (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs, at least 1);
    that on linearly separable data the fit's own labels, X @ w + b > 0,
    are the data's labels; that X and y are not modified; that the same
    inputs give the same outputs. Edge case: num_iters = 0 gives zeros.
    """
    raise NotImplementedError("fit_logistic: not started")


def predict_logistic(w, b, X):
    """Predicted labels: 1 where z = X @ w + b > 0, else 0.

    z exactly 0 (p = 0.5) gives 0: the rule is a strict z > 0.

    Inputs:
    - w: Weights, of shape (D,)
    - b: Bias, a float
    - X: Data, of shape (N, D)

    Returns:
    - labels: Integer array of shape (N,), each 0 or 1

    What is graded: the shape of labels; its values against the
    reference's (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs, at least 1: for
    labels, exactly); that no argument is modified; that the same inputs
    give the same outputs. Edge case: z exactly 0 gives 0.
    """
    raise NotImplementedError("predict_logistic: not started")
