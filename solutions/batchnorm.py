"""Reference solution for the batchnorm kata: batch normalisation of (N, D) data."""

import numpy as np


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
    mode = bn_param.get("mode")
    if mode not in ("train", "test"):
        raise ValueError(f"bn_param['mode'] must be 'train' or 'test', got {mode!r}")
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))

    if mode == "test":
        xhat = (x - running_mean) / np.sqrt(running_var + eps)
        return gamma * xhat + beta, None

    N = x.shape[0]
    mean = x.mean(axis=0)
    xc = x - mean
    var = np.einsum("nd,nd->d", xc, xc) / N  # biased, and from x - mean: stable
    inv_std = 1.0 / np.sqrt(var + eps)
    bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
    bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    # out = gamma * xhat + beta with xhat = xc * inv_std, written over xc: two passes, no new array
    out = xc
    out *= gamma * inv_std
    out += beta
    # The cache keeps x itself, not a copy: backward computes x - mean again (one more pass over
    # the data), where keeping xc would hold a second array of x's size from forward to backward.
    return out, (x, mean, gamma, inv_std)


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
    x, mean, gamma, inv_std = cache
    N = dout.shape[0]
    xc = x - mean
    dbeta = dout.sum(axis=0)
    dgamma = np.einsum("nd,nd->d", dout, xc) * inv_std  # sum of dout * xhat
    # Through x, mean and var together, with xhat = xc * inv_std:
    # dx = gamma * inv_std * (dout - mean(dout) - xhat * mean(dout * xhat))
    dx = xc  # written over xc, which is not needed again: no new array
    dx *= -inv_std * dgamma / N
    dx += dout
    dx -= dbeta / N
    dx *= gamma * inv_std
    return dx, dgamma, dbeta
