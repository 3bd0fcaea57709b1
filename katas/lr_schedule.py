"""Kata lr_schedule: linear warmup, then cosine decay to a floor.

Implement the function below (plain Python or numpy); its docstring is the
whole specification. Then grade your work with

    python -m grader lr_schedule

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/lr_schedule.py: try the kata first.
"""

import math  # noqa: F401  (you will need it)


def lr_schedule(step, max_lr, warmup_steps, total_steps, min_lr=0.0):
    """The learning rate at a step: linear warmup, then cosine decay.

    Hugging Face's get_cosine_schedule_with_warmup, with a floor min_lr
    and held at the floor after the end (steps count from 0):

        step < warmup_steps:
            lr = max_lr * step / warmup_steps
        warmup_steps <= step < total_steps:
            progress = (step - warmup_steps) / (total_steps - warmup_steps)
            lr = min_lr + (max_lr - min_lr) * 0.5 * (1 + cos(pi * progress))
        step >= total_steps:
            lr = min_lr

    So the warmup rises linearly from 0 at step 0 (not from the first
    step's max_lr / warmup_steps) to max_lr at step warmup_steps, where
    the cosine starts; the cosine spans the total_steps - warmup_steps
    steps after the warmup (not total_steps), is halfway,
    (max_lr + min_lr) / 2, in the middle of them, and reaches min_lr at
    step total_steps; past it, lr stays min_lr (Hugging Face's formula,
    which has no floor, would rise again: here it does not). The warmup
    does not rise to min_lr: it starts at 0 whatever the floor.
    warmup_steps = 0 starts at max_lr; warmup_steps = total_steps is a
    warmup and then the floor, with no cosine (and no division by zero).

    Inputs:
    - step: The step, an int >= 0
    - max_lr: The peak learning rate, a float
    - warmup_steps: Steps of linear warmup, an int >= 0
    - total_steps: The step at which the decay ends, an int >=
      warmup_steps
    - min_lr: The floor, a float <= max_lr; default 0.0

    Returns:
    - lr: The learning rate, a float (a 0-d numpy float is accepted)

    Raises ValueError when step < 0, warmup_steps < 0,
    total_steps < warmup_steps or min_lr > max_lr.

    What is graded: that lr is a real scalar; its value against the
    reference (two numbers agree when |a - b| <= 1e-6 * max(|a|, |b|), or
    |a - b| <= 1e-10 * s, with s the largest magnitude among the call's
    arguments, at least 1) at steps inside the warmup and along the decay,
    with a floor and with the default min_lr = 0; edge cases: step 0 (lr
    0), the end of the warmup (max_lr), the middle of the decay
    ((max_lr + min_lr) / 2), the last step total_steps - 1, step
    total_steps (min_lr), steps past the end (min_lr), warmup_steps = 0,
    warmup_steps = total_steps (finite, without warnings), min_lr = max_lr
    (allowed: max_lr after the warmup), and each of the four ValueErrors
    above; that the same arguments give the same lr.
    Speed is shown beside the score but never counted in it.
    """
    raise NotImplementedError("lr_schedule: not started")
