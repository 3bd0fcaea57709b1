# expect: pass
"""Merge the adapter into one effective weight, w + (alpha / r) * lora_a @ lora_b (what PEFT's merge_and_unload does), with einsum, and split its gradient back over lora_a and lora_b."""
import numpy as np


def lora_forward(x, w, b, lora_a, lora_b, alpha):
    scale = alpha / lora_a.shape[1]
    w_eff = w + scale * np.einsum("dr,ro->do", lora_a, lora_b)
    out = np.einsum("nd,do->no", x, w_eff) + b
    return out, {"x": x, "w_eff": w_eff, "a": lora_a, "b": lora_b, "scale": scale}


def lora_backward(dout, cache):
    dw_eff = np.einsum("nd,no->do", cache["x"], dout)  # the gradient of the merged weight
    dx = np.einsum("no,do->nd", dout, cache["w_eff"])
    dlora_a = cache["scale"] * np.einsum("do,ro->dr", dw_eff, cache["b"])
    dlora_b = cache["scale"] * np.einsum("dr,do->ro", cache["a"], dw_eff)
    return dx, dlora_a, dlora_b
