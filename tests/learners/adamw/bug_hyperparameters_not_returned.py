# expect-fail: custom configs; missing keys take defaults; weight_decay 0 is Adam
# diagnosis: hyperparameters not returned in config
"""Returns a fresh dict of the state alone, {"m": m, "v": v, "t": t}, as "keep m, v and t in config" reads: the next call falls back to the default learning rate and decay."""
import numpy as np
def adamw(w, dw, config=None):
    c = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 1e-2, "t": 0}
    c.update(config or {})
    c.setdefault("m", np.zeros_like(w)); c.setdefault("v", np.zeros_like(w))
    t = c["t"] + 1
    m = c["beta1"] * c["m"] + (1 - c["beta1"]) * dw
    v = c["beta2"] * c["v"] + (1 - c["beta2"]) * dw ** 2
    mh, vh = m / (1 - c["beta1"] ** t), v / (1 - c["beta2"] ** t)
    next_w = w * (1 - c["learning_rate"] * c["weight_decay"]) - c["learning_rate"] * mh / (np.sqrt(vh) + c["epsilon"])
    return next_w, {"m": m, "v": v, "t": t}
