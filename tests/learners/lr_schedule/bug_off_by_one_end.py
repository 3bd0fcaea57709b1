# expect-group-fail: value
# diagnosis: off by one at the end
"""Wants the last step of training, total_steps - 1, to be exactly at min_lr, and so divides by the number of decay steps minus one, as linspace-style schedules do."""
import math


def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps or min_lr > max_lr:
        raise ValueError("bad schedule arguments")
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    decay_steps = total_steps - warmup_steps - 1
    if step >= total_steps - 1:
        return min_lr
    progress = (step - warmup_steps) / decay_steps
    return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))
