# expect-group-fail: value
# diagnosis: cosine over total_steps
"""Takes progress as step / total_steps, the fraction of training done, as one would for a cosine without warmup: the cosine has already left max_lr when the warmup ends and jumps down there."""
import math


def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps or min_lr > max_lr:
        raise ValueError("bad schedule arguments")
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * step / total_steps))
