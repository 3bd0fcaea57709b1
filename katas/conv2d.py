"""Kata conv2d: the forward and backward pass of a 2-D convolutional layer.

Implement conv2d_forward and conv2d_backward below with numpy; each
docstring is the full spec. Any style that gets it right passes: loops,
vectorised slicing, einsum, as_strided. Then grade your work from the
repository root with

    python -m grader conv2d

which checks shapes, values, gradients (against the reference and against
numerical gradients of your own forward) and edge cases, and prints a
scorecard. `python -m grader conv2d --file PATH` grades another file.
The worked answer is in solutions/conv2d.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


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
    raise NotImplementedError("conv2d_forward: not started")


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
    raise NotImplementedError("conv2d_backward: not started")
