# expect: pass
"""One example at a time and one rank component at a time: each row's bottleneck h[i, k] = x[i] . lora_a[:, k], and every gradient accumulated with += over the rows."""
import numpy as np


def lora_forward(x, w, b, lora_a, lora_b, alpha):
    n, r = x.shape[0], lora_a.shape[1]
    scale = alpha / r
    out = np.zeros((n, w.shape[1]))
    for i in range(n):
        out[i] = x[i] @ w + b
        for k in range(r):
            out[i] += scale * np.dot(x[i], lora_a[:, k]) * lora_b[k]
    return out, (x, w, lora_a, lora_b, scale)


def lora_backward(dout, cache):
    x, w, lora_a, lora_b, scale = cache
    n, r = x.shape[0], lora_a.shape[1]
    dx = np.zeros_like(x)
    dlora_a = np.zeros_like(lora_a)
    dlora_b = np.zeros_like(lora_b)
    for i in range(n):
        dx[i] = w @ dout[i]
        for k in range(r):
            h_ik = np.dot(x[i], lora_a[:, k])
            dh_ik = scale * np.dot(dout[i], lora_b[k])
            dx[i] += dh_ik * lora_a[:, k]
            dlora_a[:, k] += dh_ik * x[i]
            dlora_b[k] += scale * h_ik * dout[i]
    return dx, dlora_a, dlora_b
