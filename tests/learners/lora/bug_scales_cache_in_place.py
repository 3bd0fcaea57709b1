# expect-fail: deterministic
"""h *= scale inside backward, on the h the forward cached, because it saves a temporary; but the cache is then changed, and a second backward with the same cache (gradient accumulation, a re-run) scales twice."""


def lora_forward(x, w, b, lora_a, lora_b, alpha):
    scale = alpha / lora_a.shape[1]
    h = x @ lora_a
    return x @ w + b + scale * (h @ lora_b), {"x": x, "w": w, "a": lora_a, "b": lora_b, "h": h, "scale": scale}


def lora_backward(dout, cache):
    scale = cache["scale"]
    dh = scale * (dout @ cache["b"].T)
    dx = dout @ cache["w"].T + dh @ cache["a"].T
    dlora_a = cache["x"].T @ dh
    h = cache["h"]
    h *= scale
    dlora_b = h.T @ dout
    return dx, dlora_a, dlora_b
