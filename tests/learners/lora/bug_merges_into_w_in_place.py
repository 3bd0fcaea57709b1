# expect-fail: inputs not modified
"""Merges the adapter into w in place, w += scale * lora_a @ lora_b, and unmerges it after the product, as PEFT's merge()/unmerge() do on a module's own weight: but w is the caller's array, and adding then subtracting does not round back to the same bits."""


def lora_forward(x, w, b, lora_a, lora_b, alpha):
    scale = alpha / lora_a.shape[1]
    delta = scale * (lora_a @ lora_b)
    w += delta
    out = x @ w + b
    w -= delta
    return out, (x, w.copy(), lora_a, lora_b, scale)


def lora_backward(dout, cache):
    x, w, lora_a, lora_b, scale = cache
    dh = scale * (dout @ lora_b.T)
    return dout @ w.T + dh @ lora_a.T, x.T @ dh, scale * (x @ lora_a).T @ dout
