# expect-fail: backward gradient shapes
# diagnosis: dlora_a and dlora_b swapped or transposed
"""Returns (dx, dlora_b, dlora_a), because the paper writes the update as W + BA, B first, and the gradients are returned in the order the product is read."""


def lora_forward(x, w, b, lora_a, lora_b, alpha):
    scale = alpha / lora_a.shape[1]
    h = x @ lora_a
    return x @ w + b + scale * h @ lora_b, (x, w, lora_a, lora_b, h, scale)


def lora_backward(dout, cache):
    x, w, lora_a, lora_b, h, scale = cache
    dlora_b = scale * h.T @ dout
    dh = scale * dout @ lora_b.T
    dlora_a = x.T @ dh
    dx = dout @ w.T + dh @ lora_a.T
    return dx, dlora_b, dlora_a
