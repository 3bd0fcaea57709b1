"""Kata linear_regression: ridge regression in closed form through a solve, its loss and gradient, and gradient descent.

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader linear_regression

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/linear_regression.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def ridge_closed_form(X, y, reg=0.0):
    """Ridge regression (linear least squares with an L2 penalty) in closed form.

    The objective is scikit-learn's Ridge without an intercept:

        J(w) = sum((X @ w - y)**2) + reg * sum(w**2)

    Its minimiser solves the normal equations

        (X.T @ X + reg * I) w = X.T @ y

    with I the D x D identity: reg is added to the DIAGONAL only. Solve
    that system with np.linalg.solve (or another backward-stable solver:
    a Cholesky or QR factorisation, np.linalg.lstsq); do not form the
    inverse: inv(A) @ b costs more and, on an ill-conditioned A, gives a w
    that satisfies the equations far less accurately. reg = 0 needs X of
    full column rank (N >= D); reg > 0 makes the system solvable for any
    X, also D > N. Do not modify X or y.

    Inputs:
    - X: Data, of shape (N, D)
    - y: Targets, of shape (N,)
    - reg: L2 regularisation strength, a float >= 0

    Returns:
    - w: The minimiser, of shape (D,)

    What is graded: the shape of w; w against the reference, with reg 0
    and reg > 0 and with D > N (two arrays agree when their shapes are
    equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <=
    1e-10 * s, with s the largest magnitude among the check's inputs, at
    least 1); on three ill-conditioned systems (X.T @ X + reg * I of
    condition about 1e12, where the digits of w itself depend on rounding),
    that w satisfies the normal equations to working precision: the
    relative residual |A @ w - X.T @ y| / (|A| |w|) (2-norms, A = X.T @ X +
    reg * I) is at most 16 * 2.2e-16, where a backward-stable solve stays
    below 4 * 2.2e-16 and inv(A) @ (X.T @ y) is typically 1e4 times
    larger; that X and y are not modified; that the same inputs give the
    same outputs.
    """
    raise NotImplementedError("ridge_closed_form: not started")


def ridge_loss(w, X, y, reg=0.0):
    """The ridge objective and its gradient.

        loss = sum((X @ w - y)**2) + reg * sum(w**2)
        dw = 2 * X.T @ (X @ w - y) + 2 * reg * w

    A sum, not a mean, and no 1/2: both terms of the gradient carry the 2
    that the derivative of a square brings down. Do not modify any
    argument.

    Inputs:
    - w: Weights, of shape (D,)
    - X: Data, of shape (N, D)
    - y: Targets, of shape (N,)
    - reg: L2 regularisation strength, a float >= 0

    Returns a tuple of:
    - loss: The objective, a float
    - dw: Its gradient with respect to w, of shape (D,)

    What is graded: that loss is a real scalar (a float, or a 0-d array)
    and the shape of dw; loss and dw against the reference, and dw against
    central-difference numerical gradients of your loss, with reg 0 and
    reg > 0 (two arrays agree when their shapes are equal and max|a - b|
    <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the
    largest magnitude among the check's inputs, at least 1: an exact 0
    that your formula computes as rounding noise agrees with 0); that no
    argument is modified; that the same inputs give the same outputs. Edge
    case: at the minimiser (w from the closed form) dw is 0.
    """
    raise NotImplementedError("ridge_loss: not started")


def ridge_gradient_descent(X, y, reg=0.0, lr=1e-3, num_iters=1000):
    """Minimise the ridge objective by full-batch gradient descent.

    Start from w = zeros(D) and take num_iters steps

        w = w - lr * dw,   dw = 2 * X.T @ (X @ w - y) + 2 * reg * w

    (the gradient of ridge_loss; nothing random). It converges to the
    closed form when lr < 1 / (largest eigenvalue of X.T @ X + reg * I).
    num_iters = 0 returns the zeros. Do not modify X or y.

    Inputs:
    - X: Data, of shape (N, D)
    - y: Targets, of shape (N,)
    - reg: L2 regularisation strength, a float >= 0
    - lr: Learning rate, a float
    - num_iters: Number of steps, an int >= 0

    Returns:
    - w: The weights after num_iters steps, of shape (D,)

    What is graded: the shape of w; w against the reference's (the same
    steps from the same start), with reg 0 and reg > 0, after 20 steps
    and after enough steps to reach the closed form (two arrays agree when
    their shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|),
    or max|a - b| <= 1e-10 * s, with s the largest magnitude among the
    check's inputs, at least 1); that X and y are not modified; that the
    same inputs give the same outputs. Edge case: num_iters = 0 gives zeros.
    """
    raise NotImplementedError("ridge_gradient_descent: not started")
