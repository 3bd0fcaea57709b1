# expect-fail: step < 0 raises ValueError; warmup_steps < 0 raises ValueError; total_steps < warmup_steps raises ValueError; min_lr > max_lr raises ValueError
"""The schedule right, and no argument checked: a negative step or a floor above the peak quietly gives a learning rate, as it does in most training scripts."""
import math


def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))
