# expect-fail: gradient dx; gradient dlora_a; gradient dlora_b
# diagnosis: scale left out of backward
"""The forward multiplies by alpha / r, but the backward is copied from a plain two-matrix chain (x @ A @ B) and the scale, a "constant", is dropped there."""


def lora_forward(x, w, b, lora_a, lora_b, alpha):
    r = lora_a.shape[1]
    h = x @ lora_a
    out = x @ w + b + (alpha / r) * (h @ lora_b)
    return out, (x, w, lora_a, lora_b, h)


def lora_backward(dout, cache):
    x, w, lora_a, lora_b, h = cache
    dh = dout @ lora_b.T
    dx = dout @ w.T + dh @ lora_a.T
    dlora_a = x.T @ dh
    dlora_b = h.T @ dout
    return dx, dlora_a, dlora_b
