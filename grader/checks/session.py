"""What a check works with while a kata is graded: the learner's process, the reference, a memo.

A Session is made by the engine for one grading run and handed to every
check. Checks call the learner through it (each call watched for arrays it
modifies in place), share results through its memo, draw their inputs from
its seeded generators, and say what they are checking (`about`), so that an
error or a modification names its configuration.
"""
from __future__ import annotations

import copy
import inspect
import zlib
from contextlib import contextmanager
from typing import Callable, ContextManager

import numpy as np

from grader.checks.failures import CheckFailed
from grader.checks.gradcheck import GradientBudget
from grader.checks.progress import Progress, quiet_progress
from grader.sandbox.process import LearnerError, LearnerProcess, Returned

#: Learner time all numerical gradients of one kata may take together.
GRADIENT_SECONDS = 1.0


class Session:
    """What a check works with: the learner's process, the reference, a memo."""

    def __init__(self, kata_name: str, learner: LearnerProcess, reference: object, seed: int = 0,
                 progress: Callable[[str], ContextManager[Progress]] = quiet_progress):
        self.kata_name = kata_name
        #: progress(title) -> a context manager giving a Progress: how a long call (training) is shown.
        self.progress = progress
        self.learner = learner
        self.reference = reference
        #: Mixed into every input draw: 0 when practising (the same inputs run after run).
        self.seed = seed
        self.gradient_budget = GradientBudget(GRADIENT_SECONDS)
        #: perf_counter time by which the speed line must be done (set by `grade`; see grader.checks.speed).
        self.speed_deadline = float("inf")
        self._memo: dict[object, tuple[bool, object]] = {}

    @contextmanager
    def about(self, context: str):
        """Learner calls made inside are about `context` (a configuration's label): an array they
        modify in place is reported with it (see check_inputs_unmodified)."""
        outer, self.learner.context = self.learner.context, context
        try:
            yield
        finally:
            self.learner.context = outer

    def check_inputs_unmodified(self, functions: tuple[str, ...] | None = None) -> None:
        """CheckFailed saying what the first learner call of this run (of `functions`, when given: one layer
        of a kata with several) that modified an array the grader passed in did ('conv2d_forward modified
        its input x in place (stride 2, pad 1 [...]; on a repeated call ...)')."""
        modifications = [m for m in self.learner.modifications if functions is None or m.function in functions]
        if not modifications:
            return
        first = modifications[0]
        where = [first.context] if first.context else []
        if first.calls > 1:
            where.append(f"on a repeated call (call {first.calls} with these inputs)")
        if isinstance(first.arguments[0], tuple):  # an earlier call's input, reached through its result
            earlier, argument = first.arguments[0]
            text = (f"{first.function} modified {earlier}'s input {self._argument_name(earlier, argument)} in place, "
                    f"through the cache that holds it")
        else:
            names = ", ".join(self._argument_name(first.function, argument) for argument in first.arguments)
            plural = "s" if len(first.arguments) > 1 else ""
            text = f"{first.function} modified its input{plural} {names} in place"
        text += f" ({'; '.join(where)})" if where else ""
        others = sorted({m.function for m in modifications} - {first.function})
        if others:
            text += f"; so did {' and '.join(others)}"
        raise CheckFailed(text + ": leave the caller's arrays as they were (work on a copy, or build new arrays)")

    def _argument_name(self, function: str, argument: int | str) -> str:
        """The reference's name for positional `argument` of `function` ('x'), or the keyword itself;
        `function` names a function of the reference or a method as a call's label gives it ('Net().loss')."""
        if isinstance(argument, str):
            return argument
        try:
            target = self.reference
            for part in function.replace("()", "").split("."):
                target = getattr(target, part)
            parameters = [name for name in inspect.signature(target).parameters if name != "self"]
            return parameters[argument]
        except (AttributeError, TypeError, ValueError, IndexError):
            return f"argument {argument + 1}"

    def call(self, fn: str, *args, **kwargs) -> Returned:
        """Call the learner's `fn` in the child (see LearnerProcess.call)."""
        return self.learner.call(fn, *args, **kwargs)

    def reference_call(self, fn: str, *args, **kwargs):
        """Call the reference's `fn` on private copies of the arguments."""
        return getattr(self.reference, fn)(*copy.deepcopy(args), **copy.deepcopy(kwargs))

    def memo(self, key: object, compute: Callable[[], object]) -> object:
        """compute() once per key, a raised CheckFailed/LearnerError included: checks that need the same
        learner call (a forward pass, say) share its result, so each call runs once."""
        if key not in self._memo:
            try:
                self._memo[key] = (True, compute())
            except (CheckFailed, LearnerError) as error:
                self._memo[key] = (False, error)
        ok, value = self._memo[key]
        if not ok:
            raise value
        return value

    def rng(self, *key: object) -> np.random.Generator:
        """A generator seeded by the kata, `key` and the run's seed: the same inputs run after run."""
        draw = zlib.crc32(repr((self.kata_name,) + key).encode())
        return np.random.default_rng(draw if self.seed == 0 else (draw, self.seed))


