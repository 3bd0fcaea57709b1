# expect-fail: warmup_steps == total_steps
"""A port of Hugging Face's lr_lambda: max(1, ...) guards on both divisions, progress clamped at 1 to hold the floor, but no step >= total_steps test first: with warmup_steps == total_steps the guard makes the span 1 and step total_steps gets max_lr, not min_lr."""
import math
def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps or min_lr > max_lr:
        raise ValueError("bad schedule")
    if step < warmup_steps:
        return max_lr * float(step) / float(max(1, warmup_steps))
    progress = float(step - warmup_steps) / float(max(1, total_steps - warmup_steps))
    progress = min(progress, 1.0)
    return min_lr + (max_lr - min_lr) * max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(0.5) * 2.0 * progress)))
