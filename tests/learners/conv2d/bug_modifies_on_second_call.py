# expect-fail: inputs not modified
"""The backward remembers its last answer per layer configuration, because the learner's training
script runs the backward twice on the same batch (once for a gradient check, once for the update)
and the loops are slow: when dout and x are the same as last time, return the stored gradients.
To test "the same as last time" it writes change = dout; change -= last_dout, taking change for a
working copy; but change is dout itself. The first call of a configuration has nothing stored and
modifies nothing; a repeated call with the same inputs zeroes the caller's dout (and returns the
stored, right gradients). (With a new dout, which the grader never sends twice to one
configuration, the same slip would also compute the gradients from dout - last_dout.)"""
import numpy as np

_LAST = {}   # (dout shape, w shape, stride, pad) -> the last call's dout, x_pad and gradients


def _im2col(x_pad, HH, WW, stride, H_out, W_out):
    """(N*H'*W', C*HH*WW): one row per output position, in (n, i, j) order."""
    N, C = x_pad.shape[:2]
    rows = np.empty((N, H_out, W_out, C, HH, WW))
    for i in range(H_out):
        for j in range(W_out):
            rows[:, i, j] = x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
    return rows.reshape(N * H_out * W_out, -1)


def conv2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = _im2col(x_pad, HH, WW, stride, H_out, W_out)
    out = (cols @ w.reshape(F, -1).T + b).reshape(N, H_out, W_out, F).transpose(0, 3, 1, 2)
    return out, (x_pad, cols, w, stride, pad)


def conv2d_backward(dout, cache):
    x_pad, cols, w, stride, pad = cache
    N, C, Hp, Wp = x_pad.shape
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    key = (dout.shape, w.shape, stride, pad)
    last = _LAST.get(key)
    if last is not None:
        change = dout
        change -= last["dout"]
        if not change.any() and np.array_equal(x_pad, last["x_pad"]):
            return last["dx"].copy(), last["dw"].copy(), last["db"].copy()

    d = dout.transpose(0, 2, 3, 1).reshape(-1, F)                  # (N*H'*W', F)
    db = d.sum(axis=0)
    dw = (d.T @ cols).reshape(w.shape)
    dcols = (d @ w.reshape(F, -1)).reshape(N, H_out, W_out, C, HH, WW)
    dx_pad = np.zeros_like(x_pad)
    for i in range(H_out):
        for j in range(W_out):
            dx_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += dcols[:, i, j]
    dx = dx_pad[:, :, pad:Hp - pad, pad:Wp - pad]
    _LAST[key] = {"dout": dout.copy(), "x_pad": x_pad.copy(), "dx": dx.copy(), "dw": dw.copy(), "db": db.copy()}
    return dx, dw, db
