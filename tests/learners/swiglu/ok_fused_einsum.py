# expect: pass
"""The gate and up projections fused into one matmul against [w_gate | w_up] (as fast implementations do), einsum with '...' for the per-position products, and sigmoid written through tanh."""
import numpy as np


def swiglu_forward(x, w_gate, w_up, w_down):
    H = w_gate.shape[1]
    both = x @ np.concatenate([w_gate, w_up], axis=1)
    gate, up = both[..., :H], both[..., H:]
    s = 0.5 * (1 + np.tanh(0.5 * gate))
    hidden = gate * s * up
    out = np.einsum("...h,hd->...d", hidden, w_down)
    return out, {"x": x, "w_gate": w_gate, "w_up": w_up, "w_down": w_down, "gate": gate, "up": up, "s": s,
                 "hidden": hidden}


def swiglu_backward(dout, cache):
    c = cache
    dhidden = np.einsum("...d,hd->...h", dout, c["w_down"])
    s, gate = c["s"], c["gate"]
    dgate = dhidden * c["up"] * (s + gate * s * (1 - s))
    dup = dhidden * gate * s
    dx = np.einsum("...h,dh->...d", dgate, c["w_gate"]) + np.einsum("...h,dh->...d", dup, c["w_up"])
    # einsum will not sum an ellipsis away: flatten the positions into one axis p first
    flat = lambda a: a.reshape(-1, a.shape[-1])  # noqa: E731
    dw_gate = np.einsum("pd,ph->dh", flat(c["x"]), flat(dgate))
    dw_up = np.einsum("pd,ph->dh", flat(c["x"]), flat(dup))
    dw_down = np.einsum("ph,pd->hd", flat(c["hidden"]), flat(dout))
    return dx, dw_gate, dw_up, dw_down
