"""Kata layernorm: layer normalisation over the last axis, forward and backward.

Implement the two functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader layernorm

The worked answer is in solutions/layernorm.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def layernorm_forward(x, gamma, beta, eps=1e-5):
    """Layer normalisation over the last axis, forward pass.

    Each row of x (one sample) is normalised by its OWN mean and variance,
    over its D features, then scaled and shifted per feature. Unlike
    batchnorm there are no batch statistics, no running averages and no
    train/test modes: the same computation at train and test time.

        mean[n] = sum over d of x[n, d] / D
        var[n]  = sum over d of (x[n, d] - mean[n])**2 / D    (biased)
        xhat    = (x - mean[n]) / sqrt(var[n] + eps)
        out     = gamma * xhat + beta

    Compute the variance as the mean of squared deviations, not as
    mean(x**2) - mean**2, which loses everything to rounding when the
    features share a large offset. Do not modify x, gamma or beta.

    Inputs:
    - x: Data of shape (N, D)
    - gamma: Scale, of shape (D,)
    - beta: Shift, of shape (D,)
    - eps: Constant added to the variance for numerical stability

    Returns a tuple of:
    - out: Normalised data, of shape (N, D)
    - cache: Anything you like; it is only handed back to layernorm_backward

    What is graded: the shape of out and its values against the reference
    (float64 inputs; two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs (dout included),
    at least 1: an exact 0 that your formula computes as rounding noise
    agrees with 0), for several shapes; D = 1 (every xhat is 0: out = beta);
    a common offset of 1e6 in x; x, gamma and beta not modified; the same
    inputs giving the same outputs. Speed is shown beside the score, never
    counted in it.
    """
    raise NotImplementedError("layernorm_forward: not started")


def layernorm_backward(dout, cache):
    """Layer normalisation over the last axis, backward pass.

    Remember that mean[n] and var[n] depend on every x[n, d] of their row:
    the gradient dx has a direct part through xhat and two indirect parts,
    through the mean and through the variance.

    Inputs:
    - dout: Upstream derivatives, of shape (N, D)
    - cache: Whatever layernorm_forward returned

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, D)
    - dgamma: Gradient with respect to gamma, of shape (D,)
    - dbeta: Gradient with respect to beta, of shape (D,)

    What is graded: the shapes of dx, dgamma and dbeta; their values against
    the reference and against central-difference numerical gradients of
    your own layernorm_forward (by the agreement rule of layernorm_forward),
    for the same shapes as the forward pass and D = 1, where every dx is 0
    and rounding noise agrees with it; dout not modified; the same inputs
    giving the same outputs.
    """
    raise NotImplementedError("layernorm_backward: not started")
