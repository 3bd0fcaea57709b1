# expect: pass
"""The decay written inside the update, w - lr * (adam_step + weight_decay * w), as the AdamW paper's Algorithm 2 line 12 reads: the same rule as decaying first, in one expression."""
import numpy as np

def adamw(w, dw, config=None):
    c = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 1e-2, "t": 0}
    c.update(config or {})
    c.setdefault("m", np.zeros_like(w)); c.setdefault("v", np.zeros_like(w))
    t = c["t"] + 1
    m = c["beta1"] * c["m"] + (1 - c["beta1"]) * dw
    v = c["beta2"] * c["v"] + (1 - c["beta2"]) * dw ** 2
    mh, vh = m / (1 - c["beta1"] ** t), v / (1 - c["beta2"] ** t)
    next_w = w - c["learning_rate"] * (mh / (np.sqrt(vh) + c["epsilon"]) + c["weight_decay"] * w)
    c.update(m=m, v=v, t=t)
    return next_w, c
