"""Reference solution for the mse_loss kata: mean squared error over all elements."""

import numpy as np


def mse_loss(pred, target):
    """Mean squared error loss and its gradient.

    The loss is the mean, over ALL elements, of the squared differences
    (PyTorch's F.mse_loss with its default reduction='mean'):

        loss = sum of (pred - target)**2 / pred.size
        dpred = 2 * (pred - target) / pred.size

    Divide by pred.size, the number of elements (N * D for pred of shape
    (N, D)), not by the batch size N = pred.shape[0]; and keep the 2 that
    the derivative of the square brings down.

    pred and target must have exactly the same shape; raise ValueError
    when they do not. Never let numpy broadcast them: pred of shape (N,)
    minus target of shape (N, 1) silently gives an (N, N) array, and a
    loss over N*N mismatched pairs. Do not modify pred or target.

    Inputs:
    - pred: Predictions, an array of any shape, e.g. (N,) or (N, D)
    - target: Targets, an array of the same shape as pred

    Returns a tuple of:
    - loss: The loss, a float (a Python or numpy float, or a 0-d array)
    - dpred: Gradient of the loss with respect to pred, of the same shape
      as pred

    What is graded: that loss is a real scalar and the shape of dpred; loss
    and dpred against the reference, and dpred against central-difference
    numerical gradients of your loss, on float64 inputs of 1 and 2
    dimensions (two arrays agree when their shapes are equal and max|a - b|
    <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the
    largest magnitude among the check's inputs (dout included), at least 1:
    an exact 0 that your formula computes as rounding noise agrees with 0);
    that pred and target are not modified; that the same inputs give the
    same outputs. Edge cases: pred of 3 dimensions, pred equal to target
    (loss 0 and dpred 0), and arrays of different shapes: (N,) against (N,
    1), either way round, and (3, 4) against (4, 3) must raise ValueError.
    Speed is shown beside the score but never counted in it.
    """
    if pred.shape != target.shape:  # never broadcast (N,) against (N, 1)
        raise ValueError(f"pred has shape {pred.shape} but target has shape {target.shape}")
    diff = pred - target
    loss = float(np.mean(diff**2))
    dpred = 2.0 * diff / pred.size  # d/dpred of sum(diff**2) / size
    return loss, dpred
