"""Kata conv_transpose2d: a transposed 2-D convolution (PyTorch's ConvTranspose2d), forward and backward.

Implement the two functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader conv_transpose2d

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/conv_transpose2d.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


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
    raise NotImplementedError("conv_transpose2d_forward: not started")


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
    raise NotImplementedError("conv_transpose2d_backward: not started")
