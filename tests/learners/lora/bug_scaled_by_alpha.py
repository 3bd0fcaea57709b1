# expect-fail: forward values; gradient dlora_a; gradient dlora_b
# diagnosis: scaled by alpha instead of alpha / r
"""scale = alpha, because LoRA configs say "lora_alpha=16" and it reads as the multiplier itself; the division by the rank (PEFT's scaling = lora_alpha / r) is forgotten."""


def lora_forward(x, w, b, lora_a, lora_b, alpha):
    h = x @ lora_a
    out = x @ w + b + alpha * h @ lora_b
    return out, (x, w, lora_a, lora_b, h, alpha)


def lora_backward(dout, cache):
    x, w, lora_a, lora_b, h, alpha = cache
    dh = alpha * dout @ lora_b.T
    dx = dout @ w.T + dh @ lora_a.T
    return dx, x.T @ dh, alpha * h.T @ dout
