# expect: pass
"""Branch-light numpy: the warmup as a clipped ramp, the cosine on a progress clipped to [0, 1] (so the floor past the end needs no branch but the one for a decay of 0 steps), returning a 0-d numpy float."""
import numpy as np


def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if min(step, warmup_steps) < 0 or total_steps < warmup_steps or min_lr > max_lr:
        raise ValueError(f"invalid schedule: step={step}, warmup_steps={warmup_steps}, "
                         f"total_steps={total_steps}, min_lr={min_lr}, max_lr={max_lr}")
    if step < warmup_steps:
        return np.float64(max_lr) * step / warmup_steps
    span = total_steps - warmup_steps  # 0 when there is no decay: step >= total_steps, the floor
    progress = 1.0 if span == 0 else np.clip((step - warmup_steps) / span, 0.0, 1.0)
    return min_lr + (max_lr - min_lr) * 0.5 * (1.0 + np.cos(np.pi * progress))
