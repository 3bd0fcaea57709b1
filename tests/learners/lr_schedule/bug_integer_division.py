# expect-fail: lr values; middle of the decay is (max_lr + min_lr)/2; last step total_steps - 1; warmup_steps 0 starts at max_lr
# diagnosis: integer division
"""Floor division in the progress, (step - warmup_steps) // (total_steps - warmup_steps), written by habit for step counts (or from Python 2 code, where / on ints floors): the progress is 0 all along the decay."""
import math
def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps or min_lr > max_lr:
        raise ValueError("bad")
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    p = (step - warmup_steps) // (total_steps - warmup_steps)
    return min_lr + (max_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * p))
