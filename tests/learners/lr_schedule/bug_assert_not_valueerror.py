# expect-fail: step < 0 raises ValueError; warmup_steps < 0 raises ValueError; total_steps < warmup_steps raises ValueError; min_lr > max_lr raises ValueError
"""Validates with one assert: the conditions are right but an AssertionError is not the ValueError the docstring promises (and python -O removes it)."""
import math
def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    assert step >= 0 and warmup_steps >= 0 and total_steps >= warmup_steps and min_lr <= max_lr
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * p))
