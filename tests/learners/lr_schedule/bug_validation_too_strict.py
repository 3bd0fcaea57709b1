# expect-fail: warmup_steps == total_steps; min_lr == max_lr is allowed
"""Validation written with >= / <= everywhere, "a schedule must decay": raises for warmup_steps == total_steps and for min_lr == max_lr, both of which the docstring allows."""
import math
def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps <= warmup_steps or min_lr >= max_lr:
        raise ValueError("bad")
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * p))
