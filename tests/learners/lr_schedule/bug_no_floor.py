# expect-group-fail: value
# diagnosis: no floor
"""Writes the cosine of the SGDR paper's common form without eta_min, decaying to 0, and only remembers min_lr for the steps after the end."""
import math


def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps or min_lr > max_lr:
        raise ValueError("bad schedule arguments")
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * max_lr * (1 + math.cos(math.pi * progress))
