# expect: pass
"""np.float64 arithmetic, np.cos and np.pi, np.clip on the progress, validation in a loop over (condition, message); returns a numpy scalar, or a 0-d array inside the warmup."""
import numpy as np
def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    for bad, msg in ((step < 0, "step"), (warmup_steps < 0, "warmup"), (total_steps < warmup_steps, "total"), (min_lr > max_lr, "min_lr")):
        if bad:
            raise ValueError(msg)
    step = np.float64(step)
    if step >= total_steps:
        return np.float64(min_lr)
    if step < warmup_steps:
        return np.asarray(max_lr * step / warmup_steps)
    span = np.float64(total_steps - warmup_steps)
    cosine = 0.5 * (1 + np.cos(np.pi * np.clip((step - warmup_steps) / span, 0, 1)))
    return min_lr + (max_lr - min_lr) * cosine
