# expect: pass
"""col2im by np.add.at: every (input pixel, kernel tap) product from one einsum, scattered to its output pixel by fancy indices; backward gathers dout's patches with the same indices."""
import numpy as np


def _index(H, W, HH, WW, stride):
    i = (np.arange(H) * stride)[:, None, None, None] + np.arange(HH)[None, None, :, None]
    j = (np.arange(W) * stride)[None, :, None, None] + np.arange(WW)[None, None, None, :]
    return np.broadcast_to(i, (H, W, HH, WW)), np.broadcast_to(j, (H, W, HH, WW))


def conv_transpose2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    Hf, Wf = (H - 1) * stride + HH, (W - 1) * stride + WW
    cols = np.einsum("nchw,cfkl->nfhwkl", x, w)
    full = np.zeros((N, F, Hf, Wf))
    ii, jj = _index(H, W, HH, WW, stride)
    np.add.at(full, (slice(None), slice(None), ii, jj), cols)
    out = full[:, :, pad:Hf - pad, pad:Wf - pad] + b[None, :, None, None]
    return out, (x, w, stride, pad)


def conv_transpose2d_backward(dout, cache):
    x, w, stride, pad = cache
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    Hf, Wf = (H - 1) * stride + HH, (W - 1) * stride + WW
    dfull = np.zeros((N, F, Hf, Wf))
    dfull[:, :, pad:Hf - pad, pad:Wf - pad] = dout
    ii, jj = _index(H, W, HH, WW, stride)
    patches = dfull[:, :, ii, jj]  # (N, F, H, W, HH, WW)
    dx = np.einsum("nfhwkl,cfkl->nchw", patches, w)
    dw = np.einsum("nfhwkl,nchw->cfkl", patches, x)
    db = dout.sum(axis=(0, 2, 3))
    return dx, dw, db
