"""init: fans (grader.authoring.functions), then Xavier and Kaiming draws graded by distribution (statistical).

Each initialiser's draws on (300, 100) and (64, 16, 3, 3) weights (non-square, F != C: swapped fans show) pass
Hoeffding-bounded fractions: positive (1/2), within one std (68.27% normal, 1/sqrt(3) uniform), within two std
(95.45%, normal), and no uniform weight beyond its bound. 25 tests at 1e-8 each: 2.5e-7 false failures in all.
"""
from __future__ import annotations

import math

import numpy as np

from grader.authoring.functions import Edge as FansEdge
from grader.authoring.functions import Function, Inputs, Value, function_checks, function_mistake
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.authoring.statistical import SHAPE_ROW, Event, Sampler, expect_fraction, global_rng_mistake, \
    hoeffding_band, sample, sampler_speed, statistical_checks, within_band
from grader.checks.results import GROUPS
from grader.checks.returns import describe_value, expect_raises, tried
from grader.checks.session import Session

LINEAR, CONV = (300, 100), (64, 16, 3, 3)
SQRT3, NORMAL_1, NORMAL_2 = math.sqrt(3), math.erf(1 / math.sqrt(2)), math.erf(math.sqrt(2))  # 68.27%, 95.45%


def _shape(shape):
    return Inputs(f"shape {shape}", {"shape": shape})


FANS = Function("fans", (Value("fan_in"), Value("fan_out")), tuple(map(_shape, ((5, 3), (3, 7), (8, 4, 3, 3),
                                                                               (6, 10, 5, 1)))))
FANS_EDGES = (
    FansEdge("fans of 3-D and 5-D shapes", (("fans", _shape((6, 4, 5))), ("fans", _shape((2, 3, 4, 5, 6)))),
             why="the receptive field is the product of the axes after the first two: "),
    FansEdge("fans of fewer than 2 axes raise ValueError", (("fans", _shape((7,))), ("fans", _shape(()))),
             raises="ValueError"),
)


def _sampler(name: str, *parameters) -> Sampler:
    """The randomness rows' sampler of `name`: shape (20, 30) and `parameters`; the shape row's 2-D, 3-D, 4-D."""
    def label(shape, *given):
        words = (f"gain={given[0]:.4g}",) if len(given) == 1 else (f"a={given[0]:.4g}", f"mode={given[1]!r}")
        return f"{name}({shape}, {', '.join(words)})"
    return Sampler(name, lambda rng: ((20, 30), *parameters), label, draw="weights",
                   shape=lambda shape, *_: tuple(shape),
                   cases=tuple(lambda rng, s=s: (s, *parameters) for s in ((4, 6), (3, 5, 7), (6, 4, 3, 3))))


SAMPLERS = {name: _sampler(name, *parameters) for name, parameters in (
    ("xavier_uniform", (1.0,)), ("xavier_normal", (1.0,)), ("kaiming_uniform", (0.0, "fan_in")),
    ("kaiming_normal", (0.0, "fan_in")))}
#: The configurations of the distribution rows, (shape, *parameters) each.
CONFIGS = {
    "xavier_uniform": ((LINEAR, 1.0), (CONV, math.sqrt(2))),
    "xavier_normal": ((LINEAR, 0.5), (CONV, 1.0)),
    "kaiming_uniform": ((LINEAR, 0.0, "fan_in"), (CONV, math.sqrt(5), "fan_in"), (LINEAR, 0.0, "fan_out")),
    "kaiming_normal": ((LINEAR, 0.0, "fan_in"), (CONV, 0.0, "fan_out"), (LINEAR, 1.0, "fan_out")),
}
POSITIVE = Event("weights", "positive", "positive together")


def _fans(shape):
    receptive = math.prod(shape[2:])
    return (shape[0], shape[1]) if len(shape) == 2 else (shape[1] * receptive, shape[0] * receptive)


def _std(name, shape, *parameters, fans=_fans, gain=lambda a: math.sqrt(2 / (1 + a * a))):
    """The std of `name`'s draw, with the fans and Kaiming's gain given (the contract's by default)."""
    fan_in, fan_out = fans(shape)
    if name.startswith("xavier"):
        return parameters[0] * math.sqrt(2 / (fan_in + fan_out))
    a, mode = parameters
    return gain(a) / math.sqrt(fan_in if mode == "fan_in" else fan_out)


def _uniform(name):
    return name.endswith("uniform")


def _draws(session: Session, name: str, index: int) -> np.ndarray:
    """The learner's draw at CONFIGS[name][index], rng=default_rng(100 + index); the rows and mistakes share it."""
    return session.memo(("draw", name, index), lambda: sample(session, SAMPLERS[name], CONFIGS[name][index],
                                                              100 + index)[0])


def _looks_like(w: np.ndarray, uniform: bool, std: float) -> bool:
    """The tests of a distribution row pass for a draw of this std."""
    within = np.abs(w) <= std
    if uniform:
        return bool(np.max(np.abs(w)) <= SQRT3 * std * (1 + 1e-9)) and within_band(within, 1 / SQRT3)
    return within_band(within, NORMAL_1) and within_band(np.abs(w) <= 2 * std, NORMAL_2)


def _kaiming(name):
    return name.startswith("kaiming")


# {mistake: (the functions it applies to, its words, the std with the slip)}: a draw off is told the first it fits.
SLIPS = {
    "uniform bound = std": (_uniform, "the bound is std: a uniform on [-b, b] has std b/sqrt(3), so the bound is "
                            "sqrt(3)*std", lambda name, *config: _std(name, *config) / SQRT3),
    "Kaiming without the sqrt(2) gain": (_kaiming, "std is 1/sqrt(fan): Kaiming's gain sqrt(2/(1 + a**2)) is "
                                         "missing", lambda name, *config: _std(name, *config, gain=lambda a: 1.0)),
    "Kaiming's slope a ignored": (_kaiming, "the gain is sqrt(2) whatever a: it is sqrt(2/(1 + a**2))",
                                  lambda name, *config: _std(name, *config, gain=lambda a: math.sqrt(2))),
    "variance passed as the scale": (lambda name: not _uniform(name), "that is a normal of std std**2: "
                                     "rng.normal's scale is the std, not the variance",
                                     lambda name, *config: _std(name, *config) ** 2),
}
#: A normal has 1.24% of its draws beyond 2.5 std (a correct draw of 9216 has none with probability e**-114): none
#: there, its bulk of about the right scale (57% to 80% within 1 std: not a draw of a smaller std), is a truncated
#: normal (TensorFlow's truncated_normal initialisers cut at 2 std, 71% within 1; rescaled by 1/0.88, 65%).
TAIL = 2.5


def _truncated(name: str, config: tuple, w: np.ndarray) -> bool:
    std = _std(name, *config)
    return not _uniform(name) and bool(np.max(np.abs(w)) <= TAIL * std) and \
        0.57 <= float(np.mean(np.abs(w) <= std)) <= 0.8
#: {mistake: (its words, fans(shape) with the slip)}.
FAN_SLIPS = {
    "fan_in and fan_out swapped": ("fan_in and fan_out swapped (a linear weight here is (D_in, D_out), not "
                                   "PyTorch's (out, in))", lambda shape: _fans(shape)[::-1]),
    "PyTorch's (out, in) order for a linear weight": (
        "a linear weight read as PyTorch's (out, in): here it is (D_in, D_out)",
        lambda shape: shape[::-1] if len(shape) == 2 else _fans(shape)),
    "conv fans without the receptive field": ("conv fans without the receptive field HH*WW",
                                              lambda shape: (shape[1], shape[0]) if len(shape) > 2 else _fans(shape)),
}


def _why(name: str, config: tuple, w: np.ndarray) -> str:
    """The slip whose std the draw looks like, in words, or how far off its scale is."""
    std = _std(name, *config)
    if _truncated(name, config, w):
        return f": no weight lies beyond {TAIL} std, where a normal has 1.24% of them: that is a truncated normal"
    slips = [(words, wrong(name, *config)) for applies, words, wrong in SLIPS.values() if applies(name)]
    slips += [(f"that is the std with {words}", _std(name, *config, fans=fans)) for words, fans in FAN_SLIPS.values()]
    for words, wrong in slips:
        if not math.isclose(wrong, std) and _looks_like(w, _uniform(name), wrong):
            return f": {words}"
    scale = np.max(np.abs(w)) / SQRT3 if _uniform(name) else np.sqrt(np.mean(w**2))
    return f" (your weights' scale is {scale / std:.3g} times the expected std {std:.4g})"


def _distribution(name: str) -> Check:
    """The draw at each configuration: float64 and finite; half positive; within one std (two for a normal) as
    often as the distribution says, within Hoeffding's band; a uniform never beyond its bound."""
    def check(session: Session) -> None:
        for index, config in enumerate(CONFIGS[name]):
            w, std, label = _draws(session, name, index), _std(name, *config), SAMPLERS[name].label(*config)
            if w.dtype != np.float64 or not np.all(np.isfinite(w)):
                raise CheckFailed(f"{label}: the weights must be finite float64 numbers; got {describe_value(w)}")
            expect_fraction(w > 0, 0.5, label, POSITIVE, ((0.0, "no weight is positive"),
                                                         (1.0, "every weight is positive: draw around 0")))
            largest = float(np.max(np.abs(w)))
            if _uniform(name) and largest > SQRT3 * std * (1 + 1e-9):
                raise CheckFailed(f"{label}: |w| reaches {largest:.4g}, beyond the bound sqrt(3)*std = "
                                  f"{SQRT3 * std:.4g}{_why(name, config, w)}")
            tests = ((1, 1 / SQRT3),) if _uniform(name) else ((1, NORMAL_1), (2, NORMAL_2))
            for times, fraction in tests:
                events = np.abs(w) <= times * std
                if not within_band(events, fraction):
                    raise CheckFailed(f"{label}: {np.mean(events):.2%} of {w.size} weights within {times} std "
                                      f"({times * std:.4g}) of 0, expected {fraction:.2%} +- "
                                      f"{hoeffding_band(w.size):.2%}{_why(name, config, w)}")
    return Check(f"{name} distribution", "value", check, needs=(SHAPE_ROW,))


def _raises(session: Session) -> None:
    for name, sampler in SAMPLERS.items():
        bad = [((7,), *CONFIGS[name][0][1:])] + ([(LINEAR, 0.0, "fan_avg")] if name.startswith("kaiming") else [])
        for arguments in bad:
            expect_raises(lambda: sample(session, sampler, arguments, 0), "ValueError", sampler.label(*arguments))


# -- known mistakes -----------------------------------------------------------

def _slip(name: str, explanation: str) -> KnownMistake:
    """Every draw answered, of the functions the slip applies to, looks like the slip's std; one std differs."""
    applies, _, wrong = SLIPS[name]

    def detect(session: Session) -> bool:
        answered = [(function, config, w) for function in filter(applies, CONFIGS)
                    for index, config in enumerate(CONFIGS[function])
                    if (w := tried(lambda: _draws(session, function, index))) is not None]
        return any(not math.isclose(wrong(f, *config), _std(f, *config)) for f, config, _ in answered) and \
            all(_looks_like(w, _uniform(f), wrong(f, *config)) for f, config, w in answered)
    return KnownMistake(name, explanation, detect)


def _truncation(session: Session) -> bool:
    """Every normal draw answered lacks the tails beyond TAIL std."""
    answered = [(function, config, w) for function in CONFIGS if not _uniform(function)
                for index, config in enumerate(CONFIGS[function])
                if (w := tried(lambda: _draws(session, function, index))) is not None]
    return bool(answered) and all(_truncated(*each) for each in answered)


def _fan_mistake(name: str, explanation: str) -> KnownMistake:
    return function_mistake(FANS, name, explanation, lambda reference, shape: FAN_SLIPS[name][1](shape))


MISTAKES = (
    _fan_mistake("fan_in and fan_out swapped",
                 "Your fans are the wrong way round: fan_in counts the inputs each output sums over, D_in of a "
                 "(D_in, D_out) linear weight and C*HH*WW of a (F, C, HH, WW) conv weight; fan_out is D_out, "
                 "F*HH*WW."),
    _fan_mistake("PyTorch's (out, in) order for a linear weight",
                 "Your fans of a 2-D weight read it as PyTorch's (out, in): this repository's linear weight is "
                 "(D_in, D_out) (x @ w), so fan_in = shape[0] and fan_out = shape[1]; conv weights keep PyTorch's "
                 "(F, C, HH, WW)."),
    _fan_mistake("conv fans without the receptive field",
                 "Your conv fans leave out the kernel: each output of a (F, C, HH, WW) conv sums over C*HH*WW "
                 "inputs, so fan_in = C*HH*WW and fan_out = F*HH*WW."),
    _slip("uniform bound = std",
          "Your uniform weights stop at std: a uniform on [-b, b] has variance b**2/3, so the bound is sqrt(3)*std."),
    _slip("Kaiming without the sqrt(2) gain",
          "Your Kaiming std lacks the gain sqrt(2/(1 + a**2)) (sqrt(2) for a ReLU, which zeroes half its inputs): "
          "std = sqrt(2/(1 + a**2)) / sqrt(fan)."),
    _slip("Kaiming's slope a ignored",
          "Your Kaiming gain is sqrt(2) whatever a: for a leaky ReLU of slope a it is sqrt(2/(1 + a**2)) "
          "(PyTorch's nn.Linear uses a = sqrt(5))."),
    _slip("variance passed as the scale",
          "Your normal weights have std std**2: rng.normal(loc, scale, size) takes the standard deviation, "
          "rng.normal(0, std, shape), not the variance."),
    KnownMistake("truncated normal",
                 "Your normal weights have no tails: none lies beyond 2.5 std, where a normal has 1.24% of them. "
                 "That is a truncated normal (TensorFlow's truncated_normal initialisers, torch's trunc_normal_); "
                 "the kata asks for a plain normal, rng.normal(0, std, shape).", _truncation),
    global_rng_mistake(tuple(SAMPLERS.values()), "weights drawn from the global np.random",
                       "Your weights come from np.random's global state (np.random.randn, np.random.uniform...) "
                       "although an rng is given: draw from it, rng.normal(0, std, shape), so that the same seed "
                       "gives the same weights and nothing else's random numbers change."),
)

# The statistical rows' "inputs not modified" watches every call, fans' too: fans' own row would repeat it.
ROWS = (*map(_distribution, CONFIGS), Check("bad shape or mode raises ValueError", "edge", _raises))
CHECKS = tuple(sorted((*(row for row in function_checks((FANS,), FANS_EDGES, prefix="fans ")
                         if row.name != "fans inputs not modified"),
                       *statistical_checks(tuple(SAMPLERS.values()), ROWS)), key=lambda row: GROUPS.index(row.group)))

KATA = Kata(
    name="init",
    title="fan-in and fan-out, Xavier and Kaiming initialisation, graded by distribution",
    functions=("fans", *SAMPLERS),
    checks=CHECKS,
    speed=sampler_speed(SAMPLERS["kaiming_normal"], "kaiming_normal((128, 64, 3, 3))",
                        lambda rng: ((128, 64, 3, 3), 0.0, "fan_in")),
    hints=(
        "Everything follows from fan_in and fan_out: which axes of a (D_in, D_out) linear weight and of a "
        "(F, C, HH, WW) conv weight does each output sum over? Then each rule picks a std.",
        "fans from the shape; std = gain*sqrt(2/(fan_in + fan_out)) for Xavier, sqrt(2/(1 + a**2))/sqrt(fan) for "
        "Kaiming; draw rng.normal(0, std, shape), or rng.uniform(-bound, bound, shape) with the bound that gives "
        "that std.",
        "fan_in, fan_out = D_in, D_out (2-D) or C*HH*WW, F*HH*WW (conv); uniform bound = sqrt(3)*std.",
    ),
    mistakes=MISTAKES,
)
