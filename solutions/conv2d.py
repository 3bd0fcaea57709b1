"""Reference solution for the conv2d kata.

im2col: every window the filters stop at is copied into one row of a
matrix `cols` (N*H'*W' rows, one column per (kernel row, kernel column,
channel)), so the whole convolution is a single matrix product with the
filters flattened the same way. The backward pass differentiates that one
product and adds each row's gradient back onto the pixels it was copied
from. No Python loop runs over samples, filters or output positions; the
only loop left visits the HH*WW kernel offsets.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _im2col(x_pad, HH, WW, stride):
    """Copy every HH x WW window of the channels-last x_pad (N, Hp, Wp, C) into one row.

    Returns cols of shape (N*H'*W', HH*WW*C): row n*H'*W' + i*W' + j holds
    x_pad[n, i*stride + k, j*stride + l, c] at column (k*WW + l)*C + c.
    """
    N, _, _, C = x_pad.shape
    # A view, no copy yet: windows[n, i, j, c, k, l] = x_pad[n, i*stride + k, j*stride + l, c].
    windows = sliding_window_view(x_pad, (HH, WW), axis=(1, 2))[:, ::stride, ::stride]
    _, H_out, W_out = windows.shape[:3]
    return windows.transpose(0, 1, 2, 4, 5, 3).reshape(N * H_out * W_out, HH * WW * C)


def _as_matrix(w):
    """The (F, C, HH, WW) filters as an (F, HH*WW*C) matrix, columns in im2col's order."""
    return w.transpose(0, 2, 3, 1).reshape(w.shape[0], -1)


def conv2d_forward(x, w, b, stride=1, pad=0):
    """Forward pass of a 2-D convolutional layer.

    The input has N samples, each with C channels of height H and width W.
    Each of the F filters spans all C channels and has height HH and width
    WW. A filter slides over each sample; at every stop it gives one number,
    its weighted sum of the window under it plus its bias.

    Inputs:
    - x: Input data of shape (N, C, H, W)
    - w: Filter weights of shape (F, C, HH, WW)
    - b: Biases of shape (F,)
    - stride: Number of pixels between neighbouring windows, the same along
      the height and the width (an int >= 1)
    - pad: Number of zeros added on every side of each channel (top, bottom,
      left and right) before sliding (an int >= 0)

    Returns a tuple of:
    - out: Output data of shape (N, F, H', W'), where
        H' = 1 + (H + 2*pad - HH) // stride
        W' = 1 + (W + 2*pad - WW) // stride
      and, with x_pad the zero-padded x of shape (N, C, H + 2*pad, W + 2*pad),
        out[n, f, i, j] = b[f] + sum over c, k, l of
                          w[f, c, k, l] * x_pad[n, c, i*stride + k, j*stride + l]
    - cache: Anything you like (a tuple, a dict, ...); it is only handed
      back, unchanged, to your conv2d_backward.

    Conventions:
    - Cross-correlation, as in PyTorch: the kernel is NOT flipped;
      w[f, c, 0, 0] meets the top-left pixel of each window.
    - Zero padding of `pad` pixels on every side; pad may be 0.
    - When the stride does not divide H + 2*pad - HH, round down (the floor
      in the formula above): the last rows, which no window reaches, are
      left out. Likewise for the width.
    - Nothing has to be square: H may differ from W and HH from WW. A 1x1
      kernel, and a kernel as large as the padded input (H' = W' = 1), are
      both allowed.
    - Do not modify x, w or b in place (no `x += ...`, no `b.shape = ...`).

    What is graded: all inputs are float64, and two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0. Checked: the shape of out, and
    its values against the reference solution, for several (stride, pad)
    settings (stride 1 to 3, pad 0 to 2, some with H != W); the edge cases,
    each for shape, values and all three gradients: a stride that does not
    divide (floor), a 1x1 kernel, N = 1 and C = 1, a non-square input and
    kernel (H != W and HH != WW), and a kernel that covers the whole padded
    input; x, w and b not modified; the same inputs giving the same outputs.
    Speed is measured and shown beside the score, never scored.
    """
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    # Channels last, so that each window's values are contiguous per kernel offset.
    # (Padding by hand: np.pad costs more than the whole convolution on small inputs.)
    x_pad = np.zeros((N, H + 2 * pad, W + 2 * pad, C), dtype=np.result_type(x, w, 1.0))
    x_pad[:, pad:pad + H, pad:pad + W] = x.transpose(0, 2, 3, 1)
    cols = _im2col(x_pad, HH, WW, stride)  # (N*H'*W', HH*WW*C)
    out = cols @ _as_matrix(w).T + b  # (N*H'*W', F): one matrix product does all the work
    return out.reshape(N, H_out, W_out, F).transpose(0, 3, 1, 2), (cols, x.shape, w, stride, pad)


def conv2d_backward(dout, cache):
    """Backward pass of a 2-D convolutional layer.

    Inputs:
    - dout: Upstream derivatives of shape (N, F, H', W'): the gradient of
      the loss with respect to the out of conv2d_forward
    - cache: Whatever your conv2d_forward returned as cache

    Returns a tuple of, in this order:
    - dx: Gradient with respect to x, of shape (N, C, H, W): the shape of x
      itself, without the padding
    - dw: Gradient with respect to w, of shape (F, C, HH, WW)
    - db: Gradient with respect to b, of shape (F,)

    Conventions:
    - Sum, never average: dw and db add up the contributions of every
      sample n and every output position (i, j).
    - Where windows overlap (stride smaller than the kernel), an input
      pixel's gradient is the sum over all the windows that cover it.
    - Rows and columns of x that no window reaches (a stride that does not
      divide, see conv2d_forward) get zero gradient.
    - The gradient that lands on the zero padding belongs to no input and is
      dropped. pad may be 0.
    - Do not modify dout in place.

    What is graded: dx, dw and db must have the shapes above and agree (on
    float64 inputs, by the agreement rule of conv2d_forward) both with the
    reference solution and with central-difference numerical gradients of
    your own conv2d_forward, for the same settings and edge cases as
    conv2d_forward; dout not modified; the same inputs giving the same
    outputs. Speed is measured and shown beside the score, never scored.
    """
    cols, (N, C, H, W), w, stride, pad = cache
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    d = dout.transpose(0, 2, 3, 1).reshape(-1, F)  # (N*H'*W', F), the rows of out before its reshape
    # The forward product out = cols @ w_matrix.T + b, differentiated on each side.
    dw = (d.T @ cols).reshape(F, HH, WW, C).transpose(0, 3, 1, 2)
    dcols = (d @ _as_matrix(w)).reshape(N, H_out, W_out, HH, WW, C)
    # Undo im2col: each window's gradient goes back to the pixels it was copied from.
    dx_pad = np.zeros((N, H + 2 * pad, W + 2 * pad, C), dtype=dcols.dtype)
    for k in range(HH):
        for l in range(WW):
            # "+=": where windows overlap, a pixel collects from every window that read it.
            dx_pad[:, k:k + stride * H_out:stride, l:l + stride * W_out:stride] += dcols[:, :, :, k, l]
    db = dout.sum(axis=(0, 2, 3))
    dx = dx_pad[:, pad:pad + H, pad:pad + W].transpose(0, 3, 1, 2)
    return dx, dw, db
