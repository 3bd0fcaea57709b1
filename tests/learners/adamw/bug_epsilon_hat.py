# expect-fail: custom configs
# diagnosis: epsilon added to the uncorrected root
"""The Adam paper's "efficient" form (TensorFlow's epsilon hat): lr_t = lr*sqrt(1 - beta2**t)/(1 - beta1**t) and m/(sqrt(v) + epsilon). Equal at the defaults to 1e-6, but at epsilon 1e-4, beta2 0.99 the first step divides by |dw| + 1e-3."""
import numpy as np
def adamw(w, dw, config=None):
    c = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 1e-2, "t": 0}
    c.update(config or {})
    c.setdefault("m", np.zeros_like(w)); c.setdefault("v", np.zeros_like(w))
    t = c["t"] + 1
    m = c["beta1"] * c["m"] + (1 - c["beta1"]) * dw
    v = c["beta2"] * c["v"] + (1 - c["beta2"]) * dw ** 2
    lr_t = c["learning_rate"] * np.sqrt(1 - c["beta2"] ** t) / (1 - c["beta1"] ** t)
    next_w = w * (1 - c["learning_rate"] * c["weight_decay"]) - lr_t * m / (np.sqrt(v) + c["epsilon"])
    c.update(m=m, v=v, t=t)
    return next_w, c
