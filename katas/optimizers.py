"""Kata optimizers: one update step of SGD, SGD with momentum, RMSProp and Adam.

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader optimizers

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/optimizers.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent, one step.

        next_w = w - learning_rate * dw

    config is a dictionary of hyperparameters; a missing config (None) or
    a missing key takes the default below:
    - learning_rate: Scalar learning rate; default 1e-2

    Return the config with every key filled in; you may fill in the dict
    you were given. Do not modify w or dw: return next_w as a new array.

    Inputs:
    - w: Weights, an array of any shape
    - dw: Gradient of the loss with respect to w, of the shape of w
    - config: Dictionary as above, or None; default None

    Returns a tuple of:
    - next_w: Updated weights, of the shape of w
    - config: The config, to pass to the next call

    What is graded: that it returns (next_w, config) with config a dict; the
    shape of next_w; next_w against the reference (two arrays agree when
    their shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0), over several steps that each
    pass the returned config to the next call, with the default config, with
    custom ones and with a partial one (missing keys take the defaults);
    that w and dw are not modified; that the same inputs give the same
    outputs. All inputs are float64. Speed is shown beside the score but
    never counted in it.
    """
    raise NotImplementedError("sgd: not started")


def sgd_momentum(w, dw, config=None):
    """Stochastic gradient descent with momentum, one step.

    The velocity v is a running sum of past steps, kept in config between
    calls:

        v = momentum * v - learning_rate * dw
        next_w = w + v

    (PyTorch instead keeps v = momentum * v + dw and steps
    w - learning_rate * v. From a zero velocity and with a constant
    learning rate the weights come out the same, but the velocity differs
    by a factor -learning_rate: store the v above.)

    config is a dictionary of hyperparameters and state; a missing config
    (None) or a missing key takes the default below:
    - learning_rate: Scalar learning rate; default 1e-2
    - momentum: Scalar between 0 and 1 giving the momentum value; default
      0.9 (momentum = 0 reduces to sgd)
    - velocity: Array of the shape of w holding v; default zeros

    Return the config with the new velocity in it (and every other key
    filled in); you may fill in the dict you were given. Do not modify w
    or dw: return next_w as a new array.

    Inputs:
    - w: Weights, an array of any shape
    - dw: Gradient of the loss with respect to w, of the shape of w
    - config: Dictionary as above, or None; default None

    Returns a tuple of:
    - next_w: Updated weights, of the shape of w
    - config: The config, with the new velocity, to pass to the next call

    What is graded: the shape of next_w; next_w and the state in config
    (velocity) against the reference (two arrays agree when their shapes are
    equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0), over several steps that each pass the
    returned config to the next call, with the default config, with custom
    ones and with a partial one; edge case: the velocity after the first
    step is -learning_rate * dw; that w and dw are not modified; that the
    same inputs give the same outputs. All inputs are float64. Speed is
    shown beside the score but never counted in it.
    """
    raise NotImplementedError("sgd_momentum: not started")


def rmsprop(w, dw, config=None):
    """RMSProp, one step.

    A running average of squared gradients, kept in config between
    calls, scales each weight's step:

        cache = decay_rate * cache + (1 - decay_rate) * dw**2
        next_w = w - learning_rate * dw / (sqrt(cache) + epsilon)

    Note that epsilon is added after the square root, not inside it.

    config is a dictionary of hyperparameters and state; a missing config
    (None) or a missing key takes the default below:
    - learning_rate: Scalar learning rate; default 1e-2
    - decay_rate: Scalar between 0 and 1 giving the decay rate for the
      squared gradient cache; default 0.99
    - epsilon: Small scalar used for smoothing to avoid dividing by zero;
      default 1e-8
    - cache: Array of the shape of w holding the moving average of the
      squared gradients; default zeros

    Return the config with the new cache in it (and every other key
    filled in); you may fill in the dict you were given. Do not modify w
    or dw: return next_w as a new array.

    Inputs:
    - w: Weights, an array of any shape
    - dw: Gradient of the loss with respect to w, of the shape of w
    - config: Dictionary as above, or None; default None

    Returns a tuple of:
    - next_w: Updated weights, of the shape of w
    - config: The config, with the new cache, to pass to the next call

    What is graded: the shape of next_w; next_w and the state in config
    (cache) against the reference (two arrays agree when their shapes are
    equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0), over several steps that each pass the
    returned config to the next call, with the default config, with custom
    ones (a large epsilon among them) and with a partial one; edge case:
    gradients as small as 1e-6, where epsilon outside the root and inside it
    differ; that w and dw are not modified; that the same inputs give the
    same outputs. All inputs are float64. Speed is shown beside the score
    but never counted in it.
    """
    raise NotImplementedError("rmsprop: not started")


def adam(w, dw, config=None):
    """Adam, one step.

    Running averages of the gradient (m) and of its square (v), and the
    step count t, are kept in config between calls. Increment t FIRST,
    then use it in the bias corrections:

        t = t + 1
        m = beta1 * m + (1 - beta1) * dw
        v = beta2 * v + (1 - beta2) * dw**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        next_w = w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)

    config is a dictionary of hyperparameters and state; a missing config
    (None) or a missing key takes the default below:
    - learning_rate: Scalar learning rate; default 1e-3
    - beta1: Decay rate for the moving average of the gradient; default
      0.9
    - beta2: Decay rate for the moving average of the squared gradient;
      default 0.999
    - epsilon: Small scalar used for smoothing to avoid dividing by zero;
      default 1e-8
    - m: Array of the shape of w, moving average of the gradient; default
      zeros
    - v: Array of the shape of w, moving average of the squared gradient;
      default zeros
    - t: Number of steps taken so far; default 0

    Return the config with the new m, v and t in it (and every other key
    filled in); you may fill in the dict you were given. Do not modify w
    or dw: return next_w as a new array.

    Inputs:
    - w: Weights, an array of any shape
    - dw: Gradient of the loss with respect to w, of the shape of w
    - config: Dictionary as above, or None; default None

    Returns a tuple of:
    - next_w: Updated weights, of the shape of w
    - config: The config, with the new m, v and t, to pass to the next
      call

    What is graded: the shape of next_w; next_w and the state in config (m,
    v, t) against the reference (two arrays agree when their shapes are
    equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0), over several steps that each pass the
    returned config to the next call, with the default config, with custom
    ones and with a partial one; edge cases: the first step from config=None
    (about -learning_rate * sign(dw), thanks to the bias correction) and a
    step from a given t, m and v (t is incremented before use); that w and
    dw are not modified; that the same inputs give the same outputs. All
    inputs are float64. Speed is shown beside the score but never counted in
    it.
    """
    raise NotImplementedError("adam: not started")
