# expect-group-fail: value
# diagnosis: floor added on top
"""Adds the floor to a cosine that decays max_lr to 0, "so it never goes below min_lr": the peak becomes max_lr + min_lr."""
import math


def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps or min_lr > max_lr:
        raise ValueError("bad schedule arguments")
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    cosine = 0.5 * (1 + math.cos(math.pi * (step - warmup_steps) / (total_steps - warmup_steps)))
    return min_lr + max_lr * cosine
