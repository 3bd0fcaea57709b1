# expect: pass
"""A namedtuple of hyperparameters read through a helper, t kept as np.int64, the step written as one expression (1 - lr*wd) * w - lr * update."""
import numpy as np
from collections import namedtuple
Hyper = namedtuple("Hyper", "learning_rate beta1 beta2 epsilon weight_decay")
_D = Hyper(1e-3, 0.9, 0.999, 1e-8, 1e-2)
def _hyper(config):
    return Hyper(**{k: config.get(k, getattr(_D, k)) for k in Hyper._fields})
def adamw(w, dw, config=None):
    config = config if config is not None else {}
    h = _hyper(config)
    m = config.get("m"); v = config.get("v")
    if m is None: m = np.zeros(w.shape)
    if v is None: v = np.zeros(w.shape)
    t = np.int64(config.get("t", 0) + 1)
    m = h.beta1 * m + (1 - h.beta1) * dw
    v = h.beta2 * v + (1 - h.beta2) * dw ** 2
    update = (m / (1 - h.beta1 ** t)) / (np.sqrt(v / (1 - h.beta2 ** t)) + h.epsilon)
    out = (1 - h.learning_rate * h.weight_decay) * w - h.learning_rate * update
    config.update(h._asdict()); config.update(m=m, v=v, t=t)
    return out, config
