# expect: pass
"""A small schedule class built per call (validation in __init__, the step in __call__), as training code keeps a scheduler object; the warmup skipped when warmup_steps is 0 by a truthiness test."""
import math
class _Sched:
    def __init__(self, max_lr, warmup, total, floor):
        if warmup < 0 or total < warmup or floor > max_lr:
            raise ValueError("invalid")
        self.max_lr, self.warmup, self.total, self.floor = max_lr, warmup, total, floor
    def __call__(self, step):
        if step < 0:
            raise ValueError("negative step")
        if self.warmup and step < self.warmup:
            return self.max_lr * (step / self.warmup)
        if step >= self.total:
            return self.floor
        frac = (step - self.warmup) / (self.total - self.warmup)
        return self.floor + 0.5 * (self.max_lr - self.floor) * (1 + math.cos(frac * math.pi))
def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    return _Sched(max_lr, warmup_steps, total_steps, min_lr)(step)
