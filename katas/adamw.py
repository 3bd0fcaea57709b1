"""Kata adamw: one step of AdamW, Adam with decoupled weight decay.

Implement the function below in numpy; its docstring is the whole
specification. Then grade your work with

    python -m grader adamw

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/adamw.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def adamw(w, dw, config=None):
    """AdamW (Loshchilov and Hutter's decoupled weight decay), one step.

    PyTorch's torch.optim.AdamW, in its order: first the weights decay,
    from the OLD w and scaled by the learning rate; then the Adam step,
    with the gradient dw as given (the decay never enters m or v). Running
    averages of the gradient (m) and of its square (v), and the step count
    t, are kept in config between calls. Increment t FIRST, then use it in
    the bias corrections:

        w_decayed = w * (1 - learning_rate * weight_decay)
        t = t + 1
        m = beta1 * m + (1 - beta1) * dw
        v = beta2 * v + (1 - beta2) * dw**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        next_w = w_decayed - learning_rate * m_hat / (sqrt(v_hat) + epsilon)

    Note that epsilon is added after the square root, to sqrt(v_hat), the
    bias-corrected root (PyTorch's). The Adam paper's "efficient" form,
    lr * sqrt(1 - beta2**t) / (1 - beta1**t) * m / (sqrt(v) + epsilon)
    (TensorFlow's "epsilon hat"), adds epsilon to the uncorrected root: it
    steps differently when epsilon is not negligible, and is graded as
    wrong. With weight_decay = 0 this is exactly Adam (the optimizers
    kata's adam). Adam with L2 regularisation, adding weight_decay * w to
    dw, is another rule: there the decay is divided by sqrt(v_hat) like the
    gradient; here it is not.

    config is a dictionary of hyperparameters and state; a missing config
    (None) or a missing key takes the default below (PyTorch's):
    - learning_rate: Scalar learning rate; default 1e-3
    - beta1: Decay rate for the moving average of the gradient; default
      0.9
    - beta2: Decay rate for the moving average of the squared gradient;
      default 0.999
    - epsilon: Small scalar used for smoothing to avoid dividing by zero;
      default 1e-8
    - weight_decay: Decoupled weight decay coefficient; default 1e-2
    - m: Array of the shape of w, moving average of the gradient; default
      zeros
    - v: Array of the shape of w, moving average of the squared gradient;
      default zeros
    - t: Number of steps taken so far; default 0

    Return the config with the new m, v and t in it and every other key
    filled in (the hyperparameters too: the next call is given it); you may
    fill in the dict you were given. Do not modify w or dw: return next_w
    as a new array.

    Inputs:
    - w: Weights, an array of any shape
    - dw: Gradient of the loss with respect to w, of the shape of w
    - config: Dictionary as above, or None; default None

    Returns a tuple of:
    - next_w: Updated weights, of the shape of w
    - config: The config, with the new m, v and t, to pass to the next
      call

    What is graded: that it returns (next_w, config) with config a dict;
    the shape of next_w; next_w and the state in config (m, v, t) against
    the reference (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs (dout included),
    at least 1: an exact 0 that your formula computes as rounding noise
    agrees with 0), over several steps that each pass the returned config
    to the next call, with the default config, with custom ones (a large
    learning rate and weight decay) and with a partial one (missing keys
    take the defaults); edge cases: the first step from a config with a
    large weight decay (w * (1 - learning_rate * weight_decay) -
    learning_rate * sign(dw), thanks to the bias correction), a zero
    gradient (the decay alone: w * (1 - learning_rate * weight_decay)),
    weight_decay = 0 (Adam's step) and a step from a given t, m and v (t is
    incremented before use); that w and dw are not modified; that the same
    inputs give the same outputs. All inputs are float64. Speed is shown
    beside the score but never counted in it.
    """
    raise NotImplementedError("adamw: not started")
