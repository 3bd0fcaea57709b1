# expect-fail: gradient dx
# diagnosis: dx misses the low-rank path
"""dx = dout @ w.T, because the adapter is thought of as a side branch that only trains its own weights, so x's gradient is the frozen layer's, as in linear."""


def lora_forward(x, w, b, lora_a, lora_b, alpha):
    scale = alpha / lora_a.shape[1]
    h = x @ lora_a
    return x @ w + b + scale * (h @ lora_b), (x, w, lora_b, h, scale)


def lora_backward(dout, cache):
    x, w, lora_b, h, scale = cache
    dx = dout @ w.T
    dlora_a = x.T @ (scale * dout @ lora_b.T)
    dlora_b = scale * h.T @ dout
    return dx, dlora_a, dlora_b
