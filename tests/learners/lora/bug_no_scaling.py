# expect-fail: forward values; gradient dlora_a; gradient dlora_b
# diagnosis: no scaling
"""out = x @ w + b + x @ lora_a @ lora_b, because the paper's picture is W + BA and alpha looks like a learning-rate knob that belongs to the optimizer, not to the layer."""


def lora_forward(x, w, b, lora_a, lora_b, alpha):
    out = x @ w + b + x @ lora_a @ lora_b
    return out, (x, w, lora_a, lora_b)


def lora_backward(dout, cache):
    x, w, lora_a, lora_b = cache
    dh = dout @ lora_b.T
    dx = dout @ w.T + dh @ lora_a.T
    dlora_a = x.T @ dh
    dlora_b = (x @ lora_a).T @ dout
    return dx, dlora_a, dlora_b
