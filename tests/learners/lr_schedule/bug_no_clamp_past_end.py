# expect-fail: past the end stays min_lr; warmup_steps == total_steps
# diagnosis: cosine continues past the end
"""Ports Hugging Face's get_cosine_schedule_with_warmup formula with a floor, which has no branch for the steps after total_steps: a loop that trains a little longer sees the learning rate climb back up, and with warmup_steps == total_steps the max(1, ...) guard starts a cosine at max_lr where the floor is due."""
import math


def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps or min_lr > max_lr:
        raise ValueError("bad schedule arguments")
    if step < warmup_steps:
        return max_lr * step / max(1, warmup_steps)
    progress = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))
