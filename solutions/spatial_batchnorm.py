"""Reference solution for the spatial_batchnorm kata: batch normalisation of (N, C, H, W) data."""

import numpy as np


def _per_channel(v, like):
    """(C,) -> (C, H, W), each channel's value repeated over its plane; broadcasts against like, (N, C, H, W).

    v[:, None, None] broadcasts as well, but then numpy walks the data one
    plane of H*W values at a time, N*C times over. Against a full (C, H, W)
    operand it walks C*H*W values per step, and each pass over the data
    took about 30% less time (measured at 32x64x32x32). The copy is a
    batch's 1/N.
    """
    C, H, W = like.shape[1:]
    return np.repeat(v, H * W).reshape(C, H, W)


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    """Spatial batch normalisation, forward pass, for data of shape (N, C, H, W).

    Exactly batch normalisation, with one statistic per channel: for
    channel c, the mean and the biased variance (divide by N*H*W, not
    N*H*W - 1) are taken over all of x[:, c, :, :], that is over the axes
    N, H and W together; not per image, not over all channels at once.

        mean = mean of x over axes (0, 2, 3), shape (C,)
        var = mean of (x - mean)**2 over axes (0, 2, 3), shape (C,)
        out = gamma * (x - mean) / sqrt(var + eps) + beta

    (mean, var, gamma and beta broadcast along the channel axis.) Compute
    the variance this way, from x - mean: the shortcut E[x**2] - E[x]**2
    loses all its precision when the data share a large offset (1e6 plus
    small noise). Then store updated running statistics in bn_param, with
    the same biased var:

        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var

    In test mode, normalise with running_mean and running_var in place of
    the batch mean and var, and leave the running statistics unchanged.

    bn_param is the one argument you may modify: in train mode, store the
    new 'running_mean' and 'running_var' in it. Do not modify x, gamma or
    beta.

    Inputs:
    - x: Data of shape (N, C, H, W)
    - gamma: Scale parameter of shape (C,)
    - beta: Shift parameter of shape (C,)
    - bn_param: Dictionary with the following keys:
      - mode: 'train' or 'test' (required); any other value raises
        ValueError
      - eps: Constant added to the variance for numeric stability;
        default 1e-5
      - momentum: Constant for the running statistics; default 0.9
      - running_mean: Array of shape (C,); default zeros
      - running_var: Array of shape (C,); default zeros

    Returns a tuple of:
    - out: Normalised data, of shape (N, C, H, W)
    - cache: Whatever spatial_batchnorm_backward needs; the grader only
      hands it back to spatial_batchnorm_backward, and only from train
      mode

    What is graded: the shape of out; out and the running statistics against
    the reference, in train and in test mode (two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0); that x, gamma and beta are
    not modified; that the same inputs give the same outputs. Edge cases:
    N = 1 with H = W = 1 (variance 0, so out equals beta), test mode (uses
    the running statistics and leaves them unchanged), the running update
    with a large eps on unit-variance x (eps belongs in the normalisation
    only, never in running_var), an unknown mode (ValueError), and a common
    offset of 1e6 added to x. All inputs are float64. Speed is shown beside
    the score but never counted in it.
    """
    mode = bn_param.get("mode")
    if mode not in ("train", "test"):
        raise ValueError(f"bn_param['mode'] must be 'train' or 'test', got {mode!r}")
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    C = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(C, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(C, dtype=x.dtype))

    if mode == "test":
        xhat = (x - _per_channel(running_mean, x)) / _per_channel(np.sqrt(running_var + eps), x)
        return _per_channel(gamma, x) * xhat + _per_channel(beta, x), None

    M = x.size // C  # N*H*W values per channel
    mean = np.einsum("nchw->c", x) / M
    xc = x - _per_channel(mean, x)
    var = np.einsum("nchw,nchw->c", xc, xc) / M  # biased, and from x - mean: stable
    inv_std = 1.0 / np.sqrt(var + eps)
    bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
    bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    # out = gamma * xhat + beta with xhat = xc * inv_std, written over xc: two passes, no new array
    out = xc
    out *= _per_channel(gamma * inv_std, x)
    out += _per_channel(beta, x)
    # The cache keeps x itself, not a copy: backward computes x - mean again (one more pass over
    # the data), where keeping xc would hold a second array of x's size from forward to backward.
    return out, (x, mean, gamma, inv_std)


def spatial_batchnorm_backward(dout, cache):
    """Spatial batch normalisation, backward pass, for a train-mode cache.

    As for batchnorm: each channel's mean and variance are computed from
    all of x[:, c, :, :], so each input reaches every output of its
    channel through them as well as directly, and dx must include those
    paths. dgamma and dbeta sum over N, H and W. With N = H = W = 1 the
    gradients must still be finite.

    Inputs:
    - dout: Upstream derivatives, of shape (N, C, H, W)
    - cache: Whatever spatial_batchnorm_forward returned in train mode

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, C, H, W)
    - dgamma: Gradient with respect to gamma, of shape (C,)
    - dbeta: Gradient with respect to beta, of shape (C,)

    What is graded: the shapes of dx, dgamma and dbeta; all three against
    the reference and against central-difference numerical gradients of
    spatial_batchnorm_forward on float64 inputs (two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0); that dout is not modified;
    that the same inputs give the same outputs. Edge case: N = H = W = 1
    (out equals beta whatever x is, so dx is 0 and must be finite). Speed is
    shown beside the score but never counted in it.
    """
    x, mean, gamma, inv_std = cache
    M = dout.size // dout.shape[1]
    xc = x - _per_channel(mean, x)
    dbeta = np.einsum("nchw->c", dout)
    dgamma = np.einsum("nchw,nchw->c", dout, xc) * inv_std  # sum of dout * xhat
    # As batchnorm, with the batch axis replaced by (N, H, W); xhat = xc * inv_std:
    # dx = gamma * inv_std * (dout - mean(dout) - xhat * mean(dout * xhat))
    dx = xc  # written over xc, which is not needed again: no new array
    dx *= _per_channel(-inv_std * dgamma / M, dout)
    dx += dout
    dx -= _per_channel(dbeta / M, dout)
    dx *= _per_channel(gamma * inv_std, dout)
    return dx, dgamma, dbeta
