# expect-group-fail: value
# diagnosis: decay from the updated weights
"""Takes the Adam step first and then shrinks the result, reading "decay the weights" as a last touch on the new weights; the difference from PyTorch's order is lr**2 * weight_decay * step, invisible at the defaults and plain with a large learning rate."""
import numpy as np


def adamw(w, dw, config=None):
    config = dict(config or {})
    lr = config.setdefault("learning_rate", 1e-3)
    b1 = config.setdefault("beta1", 0.9)
    b2 = config.setdefault("beta2", 0.999)
    eps = config.setdefault("epsilon", 1e-8)
    wd = config.setdefault("weight_decay", 1e-2)
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", 0.0) + (1 - b1) * dw
    v = b2 * config.get("v", 0.0) + (1 - b2) * dw**2
    config.update(m=m, v=v, t=t)
    w_new = w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    w_new = w_new - lr * wd * w_new  # decay the updated weights
    return w_new, config
