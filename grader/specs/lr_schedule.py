"""lr_schedule: linear warmup from 0, then cosine decay to a floor, held past the end.

A function of plain numbers (grader.authoring.functions): the value row walks the warmup and the decay of two
schedules, one with a floor and one with the default min_lr = 0; the edge rows pin the points the classic slips
move (step 0, the end of the warmup, the middle, the last step, the end, past it, warmup 0, warmup == total),
min_lr == max_lr (allowed: a validation with >= refuses it) and the four ValueErrors.
"""
import math

from grader.authoring.functions import Edge, Function, Inputs, Value, function_checks, function_mistake, \
    function_speed
from grader.authoring.kata import Kata, either_mistake
from grader.checks.compare import agree

# max_lr, warmup_steps, total_steps of the schedule with a floor, min_lr = 0.02 (not max_lr / warmup_steps = 0.05:
# at step 0 a warmup from min_lr and one from step + 1 would give the same lr)
A = (0.5, 10, 110)
B = (2.0, 3, 20)  # one with the default min_lr = 0


def _call(step, schedule=A, min_lr=0.02):
    """Inputs of lr_schedule(step, *schedule, min_lr) (min_lr None: left to its default)."""
    max_lr, warmup, total = schedule
    shown = "" if min_lr is None else f", min_lr={min_lr}"
    arguments = {"step": step, "max_lr": max_lr, "warmup_steps": warmup, "total_steps": total}
    return Inputs(f"lr_schedule({step}, {max_lr}, {warmup}, {total}{shown})",
                  arguments if min_lr is None else {**arguments, "min_lr": min_lr})


def _hint(name, expected, got, arguments):
    """The known slip whose lr this is, if one is."""
    for slip, buggy in SLIPS:
        try:
            wrong = buggy(None, *arguments.values())
        except ZeroDivisionError:  # a slip's formula where the decay spans 0 steps
            continue
        if not agree(wrong, expected) and agree(wrong, got, max(1.0, *map(abs, arguments.values()))):
            return f" (that is the lr with the slip: {slip})"
    return ""


SCHEDULE = Function("lr_schedule", (Value("lr", shape_row="lr is a real scalar"),),
                    (*(_call(step) for step in (4, 35, 60, 97)), *(_call(step, B, None) for step in (1, 8, 19))),
                    hint=_hint)
LAST, PAST = _call(109), (_call(150), _call(1000))
EQUAL = (0.4, 16, 16)  # max_lr / warmup_steps = 0.025, not min_lr: see A
EDGES = (
    Edge("step 0 is 0", (("lr_schedule", _call(0)), ("lr_schedule", _call(0, B, None))), expect={"lr": 0.0},
         why="the warmup starts from 0 at step 0: "),
    Edge("end of warmup is max_lr", (("lr_schedule", _call(10)),), expect={"lr": 0.5},
         why="at step warmup_steps the cosine starts, at max_lr: "),
    Edge("middle of the decay is (max_lr + min_lr)/2", (("lr_schedule", _call(60)),), expect={"lr": 0.26},
         why="halfway from warmup_steps to total_steps: "),
    Edge("last step total_steps - 1", (("lr_schedule", LAST),), why="one step before the floor, just above it: "),
    Edge("step total_steps is min_lr", (("lr_schedule", _call(110)), ("lr_schedule", _call(20, B, None))),
         why="the cosine reaches min_lr at step total_steps: "),
    Edge("past the end stays min_lr", tuple(("lr_schedule", inputs) for inputs in PAST), expect={"lr": 0.02},
         why="after total_steps lr holds the floor: "),
    Edge("warmup_steps 0 starts at max_lr", (("lr_schedule", _call(0, (0.5, 0, 50))),
                                            ("lr_schedule", _call(25, (0.5, 0, 50))))),
    Edge("warmup_steps == total_steps", tuple(("lr_schedule", _call(step, EQUAL)) for step in (0, 10, 15, 16, 30)),
         why="a warmup, then min_lr from step total_steps on (no cosine: step >= total_steps comes first): ",
         clean="check step >= total_steps before the cosine, whose span total_steps - warmup_steps is 0"),
    Edge("min_lr == max_lr is allowed", tuple(("lr_schedule", _call(step, min_lr=0.5)) for step in (5, 10, 60, 200)),
         why="min_lr may equal max_lr (only min_lr > max_lr raises): a warmup, then max_lr throughout: "),
    *(Edge(f"{what} raises ValueError", (("lr_schedule", inputs),), raises="ValueError")
      for what, inputs in (("step < 0", _call(-1)), ("warmup_steps < 0", _call(5, (0.5, -1, 110))),
                           ("total_steps < warmup_steps", _call(5, (0.5, 20, 10))),
                           ("min_lr > max_lr", _call(5, min_lr=0.6)))),
)


# -- known mistakes: the schedule with one slip, lr(step, max_lr, warmup, total, min_lr) ------

def _schedule(warmup=lambda s, m, w, f: m * s / w, progress=lambda s, w, t: (s - w) / (t - w),
              decay=lambda m, f, c: f + (m - f) * c, after=lambda s, m, w, t, f: f):
    """The right schedule but for the slips given: warmup(step, max_lr, warmup, min_lr) inside the warmup,
    progress(step, warmup, total) and decay(max_lr, min_lr, 0.5*(1 + cos)) along the decay, after(...) past it."""
    def lr(reference, step, max_lr, warmup_steps, total_steps, min_lr=0.0):
        if step < warmup_steps:
            return warmup(step, max_lr, warmup_steps, min_lr)
        if step >= total_steps:
            return after(step, max_lr, warmup_steps, total_steps, min_lr)
        return decay(max_lr, min_lr, 0.5 * (1 + math.cos(math.pi * progress(step, warmup_steps, total_steps))))
    return lr


SLIPS = []  # (name, buggy) of each slip, for the value rows' words


def _mistake(name, explanation, cases=(), **slips):
    SLIPS.append((name, _schedule(**slips)))
    return function_mistake(SCHEDULE, name, explanation, SLIPS[-1][1], cases)


def _cosine_on(s, m, w, t, f):  # no clamp: the cosine formula past total_steps
    return f + (m - f) * 0.5 * (1 + math.cos(math.pi * (s - w) / (t - w)))


MISTAKES = (
    _mistake("warmup from step + 1",
             "Your warmup is max_lr * (step + 1) / warmup_steps: it starts at max_lr / warmup_steps and reaches "
             "max_lr a step early. Steps count from 0 and the warmup starts from 0: max_lr * step / warmup_steps.",
             (_call(0),), warmup=lambda s, m, w, f: m * (s + 1) / w),
    either_mistake(
        "cosine over total_steps",
        "Your cosine spans total_steps: it must span the steps after the warmup, progress = (step - "
        "warmup_steps) / (total_steps - warmup_steps), so that it starts at max_lr when the warmup ends.",
        *(_mistake("cosine over total_steps", "", progress=form)
          for form in (lambda s, w, t: (s - w) / t, lambda s, w, t: s / t))),
    _mistake("warmup from min_lr",
             "Your warmup rises from min_lr, min_lr + (max_lr - min_lr) * step / warmup_steps: it rises from 0, "
             "max_lr * step / warmup_steps, whatever the floor.", (_call(0),),
             warmup=lambda s, m, w, f: f + (m - f) * s / w),
    either_mistake(
        "integer division",
        "Your lr uses integer division (//) where the ratio is a fraction: step // warmup_steps is 0 all through "
        "the warmup, (step - warmup_steps) // (total_steps - warmup_steps) is 0 all along the decay. Divide with "
        "/ (a float in Python 3).",
        *(_mistake("integer division", "", **form) for form in (
            {"warmup": lambda s, m, w, f: m * (s // w)}, {"progress": lambda s, w, t: (s - w) // (t - w)}))),
    _mistake("no floor",
             "Your decay goes to 0, ignoring min_lr: interpolate between the peak and the floor, min_lr + (max_lr - "
             "min_lr) * 0.5 * (1 + cos(pi * progress)).", decay=lambda m, f, c: m * c),
    _mistake("floor added on top",
             "Your decay is min_lr + max_lr * 0.5 * (1 + cos(...)): it starts at max_lr + min_lr. Scale the cosine by "
             "max_lr - min_lr, min_lr + (max_lr - min_lr) * 0.5 * (1 + cos(pi * progress)).",
             decay=lambda m, f, c: f + m * c),
    _mistake("off by one at the end",
             "Your cosine reaches min_lr at step total_steps - 1 (progress divided by total_steps - warmup_steps "
             "- 1): it reaches it at step total_steps, progress = (step - warmup_steps) / (total_steps - "
             "warmup_steps).", (LAST,), progress=lambda s, w, t: min(1.0, (s - w) / (t - w - 1))),
    _mistake("cosine continues past the end",
             "Past total_steps your lr rises again along the cosine (Hugging Face's formula has no clamp): hold "
             "min_lr once step >= total_steps.", PAST, after=_cosine_on),
)

KATA = Kata(
    name="lr_schedule",
    title="linear warmup then cosine decay to a floor: the learning rate at a step",
    functions=("lr_schedule",),
    # Plain numbers cannot be modified in place: the template's "inputs not modified" row would say nothing.
    checks=tuple(row for row in function_checks((SCHEDULE,), EDGES) if row.name != "inputs not modified"),
    speed=function_speed("lr_schedule at 4 steps", *(("lr_schedule", _call(step)) for step in (4, 35, 97, 150))),
    hints=(
        "Three phases: a linear warmup from 0, a cosine from max_lr down to min_lr, then the floor. Which steps "
        "does the cosine span, and where is it at step warmup_steps?",
        "Raise ValueError for the bad arguments; return max_lr * step / warmup_steps inside the warmup and "
        "min_lr from total_steps on; between them compute progress from 0 to 1 over total_steps - warmup_steps "
        "steps and interpolate with the cosine.",
        "lr = min_lr + (max_lr - min_lr) * 0.5 * (1 + cos(pi * (step - warmup_steps) / (total_steps - "
        "warmup_steps))) for warmup_steps <= step < total_steps.",
    ),
    mistakes=MISTAKES,
)
