"""Reference solution for the conv_transpose2d kata: the transposed 2-D convolution ("deconvolution").

A transposed convolution runs conv2d's backward-to-the-input as a layer of its own: every input pixel
x[n, :, i, j] paints a weighted copy of the kernel onto the output, at (i*stride, j*stride), and the copies add up
where they overlap. So the forward is one matrix product (every pixel times every kernel entry) followed by
conv2d's col2im scatter, and the backward is conv2d's forward: each window of the (uncropped) dout, gathered at
the stride, meets the kernel. As in conv2d's reference, the only Python loop visits the HH*WW kernel offsets.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _full_size(size, kernel, stride):
    """The output size before the padding is cropped: (size - 1) * stride + kernel."""
    return (size - 1) * stride + kernel


def conv_transpose2d_forward(x, w, b, stride=1, pad=0):
    """Forward pass of a transposed 2-D convolution (PyTorch's
    ConvTranspose2d with padding=pad, output_padding=0, dilation 1, groups 1).

    It is the adjoint ("transpose") of conv2d with the same w, stride and
    pad: each input pixel x[n, c, i, j] scales the kernel w[c, f] and adds
    it onto the output at rows i*stride to i*stride + HH - 1 and columns
    j*stride to j*stride + WW - 1 of an uncropped output; the copies add up
    where they overlap. Then `pad` rows and columns are cropped from EVERY
    side (top, bottom, left and right), and the bias is added:

        full[n, f, i*stride + k, j*stride + l] += x[n, c, i, j] * w[c, f, k, l]
            (summed over c, i, j, k, l), full of shape
            (N, F, (H - 1)*stride + HH, (W - 1)*stride + WW)
        out[n, f] = full[n, f, pad : pad + H', pad : pad + W'] + b[f]

    Inputs:
    - x: Input data of shape (N, C, H, W)
    - w: Filter weights of shape (C, F, HH, WW): PyTorch ConvTranspose2d's
      layout, INPUT channels first (the reverse of conv2d's (F, C, HH, WW));
      w[c, f] is the kernel from input channel c to output channel f
    - b: Biases of shape (F,)
    - stride: Spacing, in output pixels, between the copies of neighbouring
      input pixels (an int >= 1)
    - pad: Number of rows and columns cropped from every side of the full
      output (an int >= 0, small enough that H' and W' are at least 1)

    Returns a tuple of:
    - out: Output data of shape (N, F, H', W'), where
        H' = (H - 1) * stride - 2*pad + HH
        W' = (W - 1) * stride - 2*pad + WW
      (so that conv2d with this stride, pad and kernel maps (H', W') back to
      (H, W))
    - cache: Anything you like; it is only handed back, unchanged, to your
      conv_transpose2d_backward.

    Conventions:
    - The kernel is NOT flipped: w[c, f, 0, 0] lands on the top-left output
      pixel of each copy, exactly as conv2d's backward sends dout back
      through w[f, c, 0, 0].
    - Where stride > HH, some output pixels receive no copy at all: they
      are just b[f].
    - Nothing has to be square: H may differ from W and HH from WW.
    - Do not modify x, w or b in place.

    What is graded: all inputs are float64, and two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0. Checked: the shape of out,
    and its values against the reference solution, for (stride, pad) of
    (1, 0), (2, 1) and (3, 1) (C = F in the last); that it is conv2d's
    adjoint: for random y of shape (N, C, H, W) and z of shape
    (N, F, H', W'), sum(conv_transpose2d(y, w, 0) * z) agrees with
    sum(y * conv2d(z, w, 0)) for the same stride and pad, at four (stride,
    pad) settings (conv2d computed by the conv2d kata's reference, which
    reads w as its own (F, C, HH, WW) weight: from z's F channels to y's C
    channels); the edge cases, each for shape, values and all three
    gradients: a stride larger than the kernel (gaps), a 1x1 kernel, a pad
    that crops the output to 1x1, and a non-square input and kernel with
    stride 2 and pad 1; x, w and b not modified; the same inputs giving the
    same outputs. Speed is measured and shown beside the score, never
    scored.
    """
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    H_full, W_full = _full_size(H, HH, stride), _full_size(W, WW, stride)
    # Every input pixel times every kernel entry, in one product: cols[n, i, j, f, k, l] =
    # sum over c of x[n, c, i, j] * w[c, f, k, l].
    cols = (x.transpose(0, 2, 3, 1).reshape(-1, C) @ w.reshape(C, -1)).reshape(N, H, W, F, HH, WW)
    full = np.zeros((N, H_full, W_full, F), dtype=cols.dtype)  # channels last, like cols
    for k in range(HH):
        for l in range(WW):
            # Kernel entry (k, l) of pixel (i, j)'s copy lands at (i*stride + k, j*stride + l): "+=", since
            # copies overlap where stride < kernel size.
            full[:, k:k + stride * H:stride, l:l + stride * W:stride] += cols[..., k, l]
    out = full[:, pad:H_full - pad, pad:W_full - pad].transpose(0, 3, 1, 2) + b[None, :, None, None]
    return out, (x, w, stride, pad)


def conv_transpose2d_backward(dout, cache):
    """Backward pass of a transposed 2-D convolution.

    Inputs:
    - dout: Upstream derivatives of shape (N, F, H', W')
    - cache: Whatever your conv_transpose2d_forward returned as cache

    Returns a tuple of, in this order:
    - dx: Gradient with respect to x, of shape (N, C, H, W)
    - dw: Gradient with respect to w, of shape (C, F, HH, WW)
    - db: Gradient with respect to b, of shape (F,)
    All three are fresh arrays: backward may be called more than once with
    the same cache, and must then give the same gradients (do not change
    the cache in place).

    The backward of a transposed convolution is a convolution: with dfull
    the dout put back in place inside zeros of the full output's shape (the
    cropped border's gradient is 0),

        dx[n, c, i, j]    = sum over f, k, l of
                            w[c, f, k, l] * dfull[n, f, i*stride + k, j*stride + l]
        dw[c, f, k, l]    = sum over n, i, j of
                            x[n, c, i, j] * dfull[n, f, i*stride + k, j*stride + l]
        db[f]             = sum of dout[:, f] over samples and positions

    Do not modify dout in place.

    What is graded: dx, dw and db must have the shapes above and agree (by
    the agreement rule of conv_transpose2d_forward) both with the reference
    solution and with central-difference numerical gradients of your own
    conv_transpose2d_forward, for the same settings and edge cases; dout
    not modified; the same inputs giving the same outputs, and backward
    called twice with one cache giving the same gradients. Speed is
    measured and shown beside the score, never scored.
    """
    x, w, stride, pad = cache
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    H_out, W_out = dout.shape[2:]
    dfull = np.zeros((N, F, H_out + 2 * pad, W_out + 2 * pad), dtype=np.result_type(dout, w))
    dfull[:, :, pad:pad + H_out, pad:pad + W_out] = dout
    # The window of dfull each input pixel painted, gathered at the stride: windows[n, f, i, j, k, l] =
    # dfull[n, f, i*stride + k, j*stride + l]; as a matrix, one row per pixel (n, i, j).
    windows = sliding_window_view(dfull, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    rows = windows.transpose(0, 2, 3, 1, 4, 5).reshape(N * H * W, F * HH * WW)
    dx = (rows @ w.reshape(C, -1).T).reshape(N, H, W, C).transpose(0, 3, 1, 2)
    dw = (x.transpose(1, 0, 2, 3).reshape(C, -1) @ rows).reshape(C, F, HH, WW)
    db = dout.sum(axis=(0, 2, 3))
    return dx, dw, db
