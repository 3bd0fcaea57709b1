# expect: pass
"""Right answer whose returned arrays are unusual but legitimate ndarrays: out goes through
np.ma.masked_invalid (so a NaN from a bad input would show up masked instead of spreading), dx is
made Fortran-ordered with np.asfortranarray (it came out of a transposed product and the learner
"fixed" its layout) and dw is frozen with setflags(write=False) so that an optimiser cannot update
it in place by accident."""
import numpy as np


def _patches(x_pad, HH, WW, stride, H_out, W_out):
    """(N, H', W', C, HH, WW): the window under each output position, one copy each."""
    N, C = x_pad.shape[:2]
    patches = np.empty((N, H_out, W_out, C, HH, WW))
    for i in range(H_out):
        for j in range(W_out):
            patches[:, i, j] = x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
    return patches


def conv2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    patches = _patches(x_pad, HH, WW, stride, H_out, W_out)
    out = np.tensordot(patches, w, axes=([3, 4, 5], [1, 2, 3])) + b      # (N, H', W', F)
    out = np.ma.masked_invalid(out.transpose(0, 3, 1, 2))
    return out, {"patches": patches, "w": w, "x_shape": x.shape, "stride": stride, "pad": pad}


def conv2d_backward(dout, cache):
    patches, w = cache["patches"], cache["w"]
    stride, pad = cache["stride"], cache["pad"]
    N, C, H, W = cache["x_shape"]
    _, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    d = dout.transpose(0, 2, 3, 1)                                        # (N, H', W', F)
    dw = np.tensordot(d, patches, axes=([0, 1, 2], [0, 1, 2]))          # (F, C, HH, WW)
    dw.setflags(write=False)
    db = d.sum(axis=(0, 1, 2))
    dpatches = np.tensordot(d, w, axes=([3], [0]))                      # (N, H', W', C, HH, WW)
    dx_pad = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    for i in range(H_out):
        for j in range(W_out):
            dx_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += dpatches[:, i, j]
    dx = np.asfortranarray(dx_pad[:, :, pad:pad + H, pad:pad + W])
    return dx, dw, db
