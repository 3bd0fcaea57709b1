# expect-fail: lr values; step 0 is 0; warmup_steps == total_steps; min_lr == max_lr is allowed
# diagnosis: warmup from min_lr
"""Interpolates the warmup between the floor and the peak, as the decay does: min_lr + (max_lr - min_lr) * step / warmup_steps; the docstring says the warmup starts at 0 whatever the floor."""
import math
def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps or min_lr > max_lr:
        raise ValueError("bad")
    if step < warmup_steps:
        return min_lr + (max_lr - min_lr) * step / warmup_steps
    if step >= total_steps:
        return min_lr
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * p))
