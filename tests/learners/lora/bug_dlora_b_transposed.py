# expect-fail: backward gradient shapes
# diagnosis: dlora_a and dlora_b swapped or transposed
"""dlora_b = scale * dout.T @ h, because "upstream gradient times the layer's input" is remembered in that order, giving (D_out, r) instead of lora_b's (r, D_out)."""


def lora_forward(x, w, b, lora_a, lora_b, alpha):
    scale = alpha / lora_a.shape[1]
    h = x @ lora_a
    return x @ w + b + scale * h @ lora_b, (x, w, lora_a, lora_b, h, scale)


def lora_backward(dout, cache):
    x, w, lora_a, lora_b, h, scale = cache
    dh = scale * dout @ lora_b.T
    dx = dout @ w.T + dh @ lora_a.T
    dlora_a = x.T @ dh
    dlora_b = scale * dout.T @ h
    return dx, dlora_a, dlora_b
