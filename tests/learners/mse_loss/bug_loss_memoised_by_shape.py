# expect-fail: gradient dpred; 3-D pred
"""mse_loss remembers its (loss, dpred) per pred.shape in a module-level dict, because the learner's
regression loop calls it with the same batch shape every iteration and they wanted to "not redo the
work"; the shape says nothing about the values, so every later call with new predictions of a shape
already seen returns the first call's loss and gradient."""
import numpy as np

_memo = {}


def mse_loss(pred, target):
    if pred.shape != target.shape:
        raise ValueError(f"pred has shape {pred.shape} but target has shape {target.shape}")
    if pred.shape in _memo:
        return _memo[pred.shape]
    diff = pred - target
    loss = np.mean(diff ** 2)
    dpred = 2.0 * diff / diff.size
    _memo[pred.shape] = (loss, dpred)
    return loss, dpred
