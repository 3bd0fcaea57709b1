"""Reference solution for the rmsnorm kata: RMS normalisation over the last axis of (..., D) data."""

import numpy as np


def rmsnorm_forward(x, gamma, eps=1e-6):
    """RMS normalisation over the last axis (LLaMA's RMSNorm), forward pass.

    Each vector x[..., :] of D features is divided by its own root mean
    square, then scaled per feature by gamma. Unlike layernorm, no mean is
    subtracted and there is no shift (no beta):

        ms[...] = sum over d of x[..., d]**2 / D     (over the last axis only)
        rms     = sqrt(ms + eps)                     (eps INSIDE the root)
        xhat    = x / rms
        out     = xhat * gamma

    x may have any number of leading axes: (N, D), (N, T, D), ...; every
    leading axis is a batch axis, and the statistics never mix vectors.
    The default eps is 1e-6 (LLaMA's; not PyTorch LayerNorm's 1e-5); when
    eps is given, use it. D = 1 is allowed: out = x / sqrt(x**2 + eps) *
    gamma. Do not modify x or gamma.

    Inputs:
    - x: Data, of shape (..., D)
    - gamma: Scale (gain), of shape (D,)
    - eps: Constant added to the mean square inside the square root

    Returns a tuple of:
    - out: Normalised data, of the shape of x
    - cache: Whatever rmsnorm_backward needs; the grader only hands it
      back to rmsnorm_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) for x of
    2, 3 and 4 dimensions; that x and gamma are not modified; that the same
    inputs give the same outputs. Edge cases: small x (entries of about
    1e-3, where ms is about eps, so the default eps of 1e-6 shows), with
    eps left at its default; a larger eps given (eps=1e-2); D = 1. All
    inputs are float64. Speed is shown beside the score but never counted
    in it.
    """
    inv_rms = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)  # (..., 1): broadcasts over D
    xhat = x * inv_rms
    return xhat * gamma, (xhat, inv_rms, gamma)


def rmsnorm_backward(dout, cache):
    """RMS normalisation over the last axis, backward pass.

    rms depends on every x[..., d] of its vector: dx has a direct part,
    through x / rms, and an indirect part, through rms. With
    dxhat = dout * gamma and the mean over the last axis,

        dx     = (dxhat - xhat * mean(dxhat * xhat)) / rms
        dgamma = dout * xhat summed over EVERY leading axis (for x of shape
                 (N, T, D), over N and T: gamma is shared by every vector)

    Inputs:
    - dout: Upstream derivatives, of the shape of x
    - cache: Whatever rmsnorm_forward returned

    Returns a tuple of:
    - dx: Gradient with respect to x, of the shape of x
    - dgamma: Gradient with respect to gamma, of shape (D,)
    Both are fresh arrays: backward may be called more than once with the
    same cache, and must then give the same gradients (do not change the
    cache in place).

    What is graded: the shapes of dx and dgamma; both against the reference
    and against central-difference numerical gradients of rmsnorm_forward on
    float64 inputs (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs (dout included),
    at least 1: an exact 0 that your formula computes as rounding noise
    agrees with 0), for x of 2, 3 and 4 dimensions; that dout is not
    modified; that the same inputs give the same outputs, and that backward
    called twice with one cache gives the same gradients. Edge cases: small
    x with the default eps (against the reference only: central differences
    are not accurate enough at entries of 1e-3), eps=1e-2 given, D = 1.
    Speed is shown beside the score but never counted in it.
    """
    xhat, inv_rms, gamma = cache
    dxhat = dout * gamma
    # d rms / d x_j = x_j / (D * rms): the indirect part removes from dxhat its projection on xhat.
    dx = inv_rms * (dxhat - xhat * np.mean(dxhat * xhat, axis=-1, keepdims=True))
    dgamma = (dout * xhat).reshape(-1, xhat.shape[-1]).sum(axis=0)  # every leading axis shares gamma
    return dx, dgamma
