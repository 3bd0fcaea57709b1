# expect: pass
"""Builds the schedule as a table, step by step in a loop up to the step asked for (as one prints a schedule to look at it), and reads the entry; the phases as three loops."""
import math


def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0:
        raise ValueError("step must be >= 0")
    if warmup_steps < 0:
        raise ValueError("warmup_steps must be >= 0")
    if total_steps < warmup_steps:
        raise ValueError("total_steps must be >= warmup_steps")
    if min_lr > max_lr:
        raise ValueError("min_lr must be <= max_lr")
    table = []
    for s in range(warmup_steps):
        table.append(max_lr * s / warmup_steps)
    span = total_steps - warmup_steps
    for k in range(span):
        table.append(min_lr + (max_lr - min_lr) * (1 + math.cos(math.pi * k / span)) / 2)
    while len(table) <= step:
        table.append(min_lr)
    return table[step]
