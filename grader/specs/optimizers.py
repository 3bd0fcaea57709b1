"""optimizers: one step of SGD, SGD with momentum, RMSProp and Adam, state carried in config.

Each rule runs several steps the way a training loop calls it: the first call
passes a config (None, a custom one, or a partial one), every later call
passes back the learner's own returned config object (a Ref: the learner's
process keeps it), and w is the previous step's next_w. The reference runs
the same steps here, on copies; next_w and the state keys in the returned
config are compared at every step.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from grader.checks.compare import agree, compare_arrays, input_scale, same_outputs
from grader.checks.session import Session
from grader.sandbox.process import LearnerError
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.checks.results import Speed
from grader.checks.returns import describe_value, expect_array, expect_tuple
from grader.checks.speed import measure_speed
from solutions import optimizers as reference

RULES = ("sgd", "sgd_momentum", "rmsprop", "adam")
#: The state each rule keeps in config between calls (the contract's keys).
STATE_KEYS = {"sgd": (), "sgd_momentum": ("velocity",), "rmsprop": ("cache",), "adam": ("m", "v", "t")}
#: Every hyperparameter away from its default.
CUSTOM = {"sgd": {"learning_rate": 0.1},
          "sgd_momentum": {"learning_rate": 0.1, "momentum": 0.5},
          "rmsprop": {"learning_rate": 0.1, "decay_rate": 0.9, "epsilon": 1e-4},
          "adam": {"learning_rate": 0.1, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-4}}
#: Some keys given, the rest must take their defaults.
PARTIAL = {"sgd": {},
           "sgd_momentum": {"momentum": 0.5},
           "rmsprop": {"learning_rate": 0.05},
           "adam": {"learning_rate": 1e-2, "beta2": 0.99}}
#: Each rule's hyperparameters by default (the contract's).
DEFAULTS = {"sgd": {"learning_rate": 1e-2},
            "sgd_momentum": {"learning_rate": 1e-2, "momentum": 0.9},
            "rmsprop": {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
            "adam": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}}
SHAPE = (3, 4)
STEPS = 5
SPEED_SHAPE, SPEED_STEPS = (200, 100), 3


@dataclass(frozen=True)
class _Step:
    """One step of a run: the learner's answer and the reference's."""

    w: np.ndarray             # the w the learner was given (its previous next_w)
    next_w: np.ndarray
    config: object            # the learner's returned config, as plain data
    expected_w: np.ndarray
    expected_config: dict


def _learner_step(session: Session, rule: str, w: np.ndarray, dw: np.ndarray, config: object):
    """The learner's rule(w, dw, config): (next_w, config as data, the call), shapes checked."""
    returned = session.call(rule, w, dw, config)
    next_w, returned_config = expect_tuple(returned.value, rule, ("next_w", "config"))
    expect_array(next_w, f"{rule}'s next_w")
    if next_w.shape != w.shape:
        raise CheckFailed(f"{rule}'s next_w has shape {next_w.shape}, expected {w.shape} (the shape of w)")
    return next_w, returned_config, returned


def _run(session: Session, rule: str, start: str, repeat: int = 0) -> tuple[_Step, ...]:
    """STEPS steps of `rule` from the config named by `start` ('default', 'custom', 'partial').

    The learner gets its own returned config back at every step after the
    first, and its own next_w as the next w; the reference runs alike.
    """
    def compute() -> tuple[_Step, ...]:
        config = {"default": None, "custom": CUSTOM[rule], "partial": PARTIAL[rule]}[start]
        rng = session.rng("run", rule, start)
        w = rng.standard_normal(SHAPE)
        expected_w, expected_config = w.copy(), copy.deepcopy(config)
        learner_config: object = config
        done = []
        for k in range(1, STEPS + 1):
            dw = rng.standard_normal(SHAPE)
            with session.about(f"{_describe_start(rule, start)}: step {k} of {STEPS}"):
                next_w, returned_config, returned = _learner_step(session, rule, w, dw, learner_config)
            expected_w, expected_config = session.reference_call(rule, expected_w, dw, expected_config)
            done.append(_Step(w, next_w, returned_config, expected_w, copy.deepcopy(expected_config)))
            w, learner_config = next_w, returned.ref[1]
        return tuple(done)
    return session.memo(("run", rule, start, repeat), compute)


def _describe_start(rule: str, start: str) -> str:
    if start == "default":
        return f"{rule}(w, dw, None), then the config it returned"
    given = CUSTOM[rule] if start == "custom" else PARTIAL[rule]
    return f"{rule}(w, dw, {_format_config(given)}), then the config it returned"


def _format_config(config: dict) -> str:
    return "{" + ", ".join(f"{key!r}: {value:g}" for key, value in config.items()) + "}"


def _expect_run(session: Session, rule: str, start: str) -> None:
    """next_w agrees with the reference at every step of the run; the first step off says how its
    step next_w - w compares with the expected one (a constant ratio: a power of the learning rate?)."""
    steps = _run(session, rule, start)
    config = {"default": {}, "custom": CUSTOM[rule], "partial": PARTIAL[rule]}[start]
    hyperparameters = {**DEFAULTS[rule], **config}
    for k, step in enumerate(steps, 1):
        scale = input_scale(step.w, step.expected_w)
        mismatch = compare_arrays("next_w", step.expected_w, step.next_w, scale)
        if mismatch:
            how = compare_arrays("the step next_w - w", step.expected_w - step.w, step.next_w - step.w, scale,
                                 hyperparameters)
            ratio = f"; {how.how()}" if how is not None and how.how() else ""
            raise CheckFailed(f"{_describe_start(rule, start)}: step {k} of {len(steps)}: {mismatch.describe()}{ratio}")


def _state(config: object, rule: str, key: str, when: str) -> object:
    """config[key] from the learner's returned config, or a failure saying what is missing."""
    if not isinstance(config, dict):
        raise CheckFailed(f"{rule} must return its config as a dict; {when} it returned {describe_value(config)}")
    if key not in config:
        keys = ", ".join(STATE_KEYS[rule])
        raise CheckFailed(f"{rule}'s returned config has no {key!r} {when}; it must carry the state: {keys}")
    return config[key]


def _expect_state(rule: str, key: str, expected: object, got: object, when: str) -> None:
    """One state entry of the learner's config against the reference's."""
    if key == "t":
        if isinstance(got, np.ndarray) and got.size == 1:
            got = got.reshape(()).item()
        number = isinstance(got, (int, float, np.integer, np.floating)) and not isinstance(got, bool)
        if not number or got != expected:
            shown = got if number else describe_value(got)
            raise CheckFailed(f"{rule}: config['t'] {when} expected {expected}, got {shown} "
                              f"(t counts the steps taken, incremented before use)")
        return
    if not isinstance(got, np.ndarray) or got.shape != expected.shape:
        raise CheckFailed(f"{rule}: config[{key!r}] {when} must be an array of shape {expected.shape} "
                          f"(the shape of w); got {describe_value(got)}")
    mismatch = compare_arrays(f"config[{key!r}]", expected, got)
    if mismatch:
        raise CheckFailed(f"{rule}: {when}: {mismatch.describe()}")


# -- the rows -----------------------------------------------------------------

def _returns_pair(session: Session) -> None:
    rng = session.rng("shape")
    w, dw = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4))
    for rule in RULES:
        returned = session.call(rule, w, dw)  # config left out: it defaults to None
        next_w, config = expect_tuple(returned.value, rule, ("next_w", "config"))
        expect_array(next_w, f"{rule}'s next_w")
        if next_w.shape != w.shape:
            raise CheckFailed(f"{rule}: next_w has shape {next_w.shape}, expected {w.shape} (the shape of w)")
        if not isinstance(config, dict):
            raise CheckFailed(f"{rule} must return (next_w, config) with config a dict; its config is "
                              f"{describe_value(config)}")


def _several_steps(rule: str):
    return lambda session: _expect_run(session, rule, "default")


def _custom(session: Session) -> None:
    for rule in RULES:
        _expect_run(session, rule, "custom")


def _partial(session: Session) -> None:
    for rule in RULES:
        _expect_run(session, rule, "partial")


def _state_carried(session: Session) -> None:
    for rule in RULES:
        steps = _run(session, rule, "default")
        for k, step in enumerate(steps, 1):
            when = f"after step {k} of {len(steps)} ({rule}(w, dw, None), then the config it returned)"
            for key in STATE_KEYS[rule]:
                got = _state(step.config, rule, key, when)
                _expect_state(rule, key, step.expected_config[key], got, when)


def _adam_first_step(session: Session) -> None:
    """From zero m and v, bias correction makes the first step -lr*dw/|dw|."""
    rng = session.rng("adam first step")
    w = rng.standard_normal(SHAPE)
    dw = rng.uniform(0.5, 2.0, SHAPE) * rng.choice([-1.0, 1.0], SHAPE)  # |dw| >> epsilon
    next_w, _, _ = _learner_step(session, "adam", w, dw, None)
    expected, _ = session.reference_call("adam", w, dw, None)
    mismatch = compare_arrays("next_w", expected, next_w)
    if mismatch is None:
        return
    i = mismatch.index
    want, got = expected[i] - w[i], next_w[i] - w[i]
    if not np.isfinite(got):
        why = "t = 0 in the bias correction divides by zero: increment t before using it"
    elif abs(got / want - (1 - 0.9) / np.sqrt(1 - 0.999)) < 1e-3:
        why = "that is m/sqrt(v) without bias correction: divide m by 1 - beta1**t and v by 1 - beta2**t"
    else:
        why = f"{got / want:.3g} times the expected step"
    raise CheckFailed(f"adam(w, dw, None): the first step next_w - w must be about -learning_rate*sign(dw) "
                      f"= {want:.6g} at [{', '.join(map(str, i))}], got {got:.6g}: {why}")


def _adam_t_first(session: Session) -> None:
    """Given t = 4 (four steps taken), the step uses t = 5 and returns t = 5."""
    rng = session.rng("adam t")
    w, dw = rng.standard_normal(SHAPE), rng.standard_normal(SHAPE)
    state = {"t": 4, "m": 0.3 * rng.standard_normal(SHAPE), "v": 0.01 + 0.1 * rng.standard_normal(SHAPE) ** 2}
    next_w, config, _ = _learner_step(session, "adam", w, dw, state)
    expected, expected_config = session.reference_call("adam", w, dw, state)
    mismatch = compare_arrays("next_w", expected, next_w)
    if mismatch:
        used_four, _ = session.reference_call("adam", w, dw, {**state, "t": 3})
        hint = ("; that is the step with t = 4 in the bias correction: increment t first, then use it"
                if compare_arrays("next_w", used_four, next_w) is None else "")
        raise CheckFailed(f"adam with t = 4 in config (four steps taken) must take step 5: "
                          f"{mismatch.describe()}{hint}")
    when = "after adam(w, dw, {'t': 4, 'm': ..., 'v': ...})"
    _expect_state("adam", "t", expected_config["t"], _state(config, "adam", "t", when), when)


def _rmsprop_epsilon(session: Session) -> None:
    """With dw ~ 1e-6, sqrt(cache) ~ 1e-7 is near epsilon: inside or outside the root differ 1000-fold."""
    rng = session.rng("rmsprop epsilon")
    w = rng.standard_normal(SHAPE)
    dw = 1e-6 * rng.uniform(0.5, 2.0, SHAPE) * rng.choice([-1.0, 1.0], SHAPE)
    next_w, _, _ = _learner_step(session, "rmsprop", w, dw, None)
    expected, _ = session.reference_call("rmsprop", w, dw, None)
    mismatch = compare_arrays("next_w", expected, next_w)
    if mismatch:
        inside = w - 1e-2 * dw / np.sqrt(0.01 * dw**2 + 1e-8)
        hint = ("; that is epsilon inside the square root: next_w = w - lr*dw/(sqrt(cache) + epsilon)"
                if compare_arrays("next_w", inside, next_w) is None else "")
        raise CheckFailed(f"rmsprop(w, dw, None) with |dw| about 1e-6: {mismatch.describe()}{hint}")


def _adam_epsilon(session: Session) -> None:
    """With dw ~ 1e-6 the first step divides by |dw| + epsilon ~ 1e-6; with epsilon inside the root, by
    sqrt(dw**2 + epsilon) ~ 1e-4, a step 100 times too small."""
    rng = session.rng("adam epsilon")
    w = rng.standard_normal(SHAPE)
    dw = 1e-6 * rng.uniform(0.5, 2.0, SHAPE) * rng.choice([-1.0, 1.0], SHAPE)
    next_w, _, _ = _learner_step(session, "adam", w, dw, None)
    expected, _ = session.reference_call("adam", w, dw, None)
    mismatch = compare_arrays("next_w", expected, next_w, input_scale(w))
    if mismatch:
        inside, _ = _adam_epsilon_inside(w, dw, None)
        hint = ("; that is epsilon inside the square root: next_w = w - lr*m_hat/(sqrt(v_hat) + epsilon)"
                if agree(inside, next_w, input_scale(w)) else "")
        raise CheckFailed(f"adam(w, dw, None) with |dw| about 1e-6: {mismatch.describe()}{hint}")


def _momentum_velocity(session: Session) -> None:
    """From zero velocity, v = -lr*dw; PyTorch's v = dw gives the same next_w but another velocity."""
    rng = session.rng("momentum velocity")
    w, dw = rng.standard_normal(SHAPE), rng.standard_normal(SHAPE)
    next_w, config, _ = _learner_step(session, "sgd_momentum", w, dw, None)
    expected, expected_config = session.reference_call("sgd_momentum", w, dw, None)
    mismatch = compare_arrays("next_w", expected, next_w)
    if mismatch:
        raise CheckFailed(f"sgd_momentum(w, dw, None): {mismatch.describe()}")
    when = "after one step from sgd_momentum(w, dw, None)"
    velocity = _state(config, "sgd_momentum", "velocity", when)
    expected_v = expected_config["velocity"]
    if isinstance(velocity, np.ndarray) and velocity.shape == expected_v.shape:
        for other, why in ((dw, "PyTorch's v = momentum*v + dw"), (-expected_v, "v with the opposite sign")):
            if compare_arrays("velocity", other, velocity) is None:
                raise CheckFailed(f"sgd_momentum: {when}, config['velocity'] is {why}; the contract keeps "
                                  f"v = momentum*v - learning_rate*dw (here -0.01*dw) and next_w = w + v")
    _expect_state("sgd_momentum", "velocity", expected_v, velocity, when)


def _not_modified(session: Session) -> None:
    """No step of any run changed the w or dw it was given."""
    for rule in RULES:
        try:
            _run(session, rule, "default")
        except (CheckFailed, LearnerError) as error:
            if isinstance(error, LearnerError) and (error.fatal or error.kind == "not_started"):
                raise
    session.check_inputs_unmodified()


def _deterministic(session: Session) -> None:
    for rule in RULES:
        first, second = _run(session, rule, "default"), _run(session, rule, "default", repeat=1)
        for k, (a, b) in enumerate(zip(first, second), 1):
            if not same_outputs(a.next_w, b.next_w):
                raise CheckFailed(f"{rule} gave a different next_w at step {k} for the same inputs")


# -- known mistakes ---------------------------------------------------------------
# Buggy rules, built on the reference: each takes and returns (w, dw, config) like a rule.

def _adam_uncorrected(w, dw, config=None):
    _, config = reference.adam(w, dw, config)
    return w - config["learning_rate"] * config["m"] / (np.sqrt(config["v"]) + config["epsilon"]), config


def _adam_learning_rate_1e_2(w, dw, config=None):
    return reference.adam(w, dw, {"learning_rate": 1e-2, **(config or {})})


def _rmsprop_epsilon_inside(w, dw, config=None):
    _, config = reference.rmsprop(w, dw, config)
    return w - config["learning_rate"] * dw / np.sqrt(config["cache"] + config["epsilon"]), config


def _adam_epsilon_inside(w, dw, config=None):
    _, config = reference.adam(w, dw, config)
    t, b1, b2 = config["t"], config["beta1"], config["beta2"]
    m_hat, v_hat = config["m"] / (1 - b1**t), config["v"] / (1 - b2**t)
    return w - config["learning_rate"] * m_hat / np.sqrt(v_hat + config["epsilon"]), config


def _adam_t_from_1(w, dw, config=None):
    """t defaulting to 1 (steps counted from 1), then incremented before use: step k uses t = k + 1."""
    config = dict(config or {})
    config.setdefault("t", 1)
    return reference.adam(w, dw, config)


def _adam_t_never_incremented(w, dw, config=None):
    """t read from config (default 1) but never incremented: every step's bias correction uses that t."""
    config = dict(config or {})
    t = config.get("t", 1)
    next_w, config = reference.adam(w, dw, {**config, "t": t - 1})
    return next_w, {**config, "t": t}


def _nesterov(w, dw, config=None):
    """Nesterov's momentum step, w - momentum*v_prev + (1 + momentum)*v, in place of w + v."""
    config = dict(config or {})
    v_prev = config.get("velocity", np.zeros_like(w))
    _, config = reference.sgd_momentum(w, dw, config)
    return w - config["momentum"] * v_prev + (1 + config["momentum"]) * config["velocity"], config


def _momentum_velocity_forgotten(w, dw, config=None):
    return reference.sgd_momentum(w, dw, {key: value for key, value in (config or {}).items() if key != "velocity"})


def _rmsprop_cache_forgotten(w, dw, config=None):
    return reference.rmsprop(w, dw, {key: value for key, value in (config or {}).items() if key != "cache"})


def _hyperparameters_ignored(rule: str):
    """`rule` with every hyperparameter at its default, whatever config says; the state still carried."""
    def step(w, dw, config=None):
        state = {key: value for key, value in (config or {}).items() if key in STATE_KEYS[rule]}
        return getattr(reference, rule)(w, dw, state)
    return step


def _runs_mistake(name: str, explanation: str, buggy: dict) -> KnownMistake:
    """Every run of each rule in `buggy` (rule -> buggy rule) gives the buggy rule's next_w at every step.

    The buggy rule runs here from the same w, dws and config as the learner's
    run; a run that fails some other way is not judged. At least one step must
    differ from the reference.
    """
    def detect(session: Session) -> bool:
        telling = False
        for rule, wrong in buggy.items():
            for start in ("default", "custom", "partial"):
                try:
                    steps = _run(session, rule, start)
                except (CheckFailed, LearnerError):
                    continue
                rng = session.rng("run", rule, start)  # the draws _run made, in its order
                w = rng.standard_normal(SHAPE)
                config = copy.deepcopy({"default": None, "custom": CUSTOM[rule], "partial": PARTIAL[rule]}[start])
                for step in steps:
                    w, config = wrong(w, rng.standard_normal(SHAPE), config)
                    if not same_outputs(w, step.next_w):
                        return False
                    telling = telling or not same_outputs(w, step.expected_w)
        return telling
    return KnownMistake(name, explanation, detect)


def _adam_t_after_use(session: Session) -> bool:
    """Given t = 4, the step uses t = 4 in the bias correction (the inputs of the t check)."""
    rng = session.rng("adam t")
    w, dw = rng.standard_normal(SHAPE), rng.standard_normal(SHAPE)
    state = {"t": 4, "m": 0.3 * rng.standard_normal(SHAPE), "v": 0.01 + 0.1 * rng.standard_normal(SHAPE) ** 2}
    next_w, _, _ = _learner_step(session, "adam", w, dw, state)
    return same_outputs(session.reference_call("adam", w, dw, {**state, "t": 3})[0], next_w)


def _first_velocity(session: Session) -> tuple[np.ndarray, object]:
    """(dw, the velocity the learner stored) after one sgd_momentum step from None, as the velocity check runs."""
    rng = session.rng("momentum velocity")
    w, dw = rng.standard_normal(SHAPE), rng.standard_normal(SHAPE)
    _, config, _ = _learner_step(session, "sgd_momentum", w, dw, None)
    return dw, config.get("velocity") if isinstance(config, dict) else None


def _velocity_is(factor: float):
    """The first velocity is factor*dw (the contract's is -learning_rate*dw = -0.01*dw)."""
    def detect(session: Session) -> bool:
        dw, velocity = session.memo(("first velocity",), lambda: _first_velocity(session))
        return isinstance(velocity, np.ndarray) and same_outputs(factor * dw, velocity)
    return detect


def _state_outside_config(session: Session) -> bool:
    """The same run from config=None, made twice, steps differently the second time: some state
    lives outside the config (a module-level variable) and carries from one run to the next."""
    for rule in RULES:
        try:
            first, second = _run(session, rule, "default"), _run(session, rule, "default", repeat=1)
        except (CheckFailed, LearnerError):
            continue
        if any(not same_outputs(a.next_w, b.next_w) for a, b in zip(first, second)):
            return True
    return False


def _partial_config_key_error(session: Session) -> bool:
    for rule in RULES:
        try:
            _run(session, rule, "partial")
        except LearnerError as error:
            if error.exception_type == "KeyError":
                return True
        except CheckFailed:
            pass
    return False


MISTAKES = (
    _runs_mistake("adam without bias correction",
                  "Your adam steps with m/(sqrt(v) + epsilon): m and v start at 0, so divide them by "
                  "1 - beta1**t and 1 - beta2**t before the step.", {"adam": _adam_uncorrected}),
    KnownMistake("adam's t incremented after use",
                 "Given t = 4 (four steps taken), your adam's bias correction uses t = 4: increment t first, "
                 "then use it, so this is step 5.", _adam_t_after_use, fallback=True),
    _runs_mistake("adam's t never incremented",
                  "Every adam step uses the same t in the bias correction: t counts the steps taken, so "
                  "increment it at each step, config['t'] += 1, before using it.", {"adam": _adam_t_never_incremented}),
    _runs_mistake("Nesterov momentum",
                  "Your sgd_momentum steps with Nesterov's w - momentum*v_prev + (1 + momentum)*v: this kata's "
                  "momentum is the plain one, next_w = w + v.", {"sgd_momentum": _nesterov}),
    _runs_mistake("adam's default learning rate 1e-2",
                  "From config=None your adam steps as with learning_rate 1e-2, the default of the other rules: "
                  "Adam's default is 1e-3.", {"adam": _adam_learning_rate_1e_2}),
    _runs_mistake("rmsprop epsilon inside the root",
                  "Your rmsprop divides by sqrt(cache + epsilon): epsilon is added after the root, "
                  "dw/(sqrt(cache) + epsilon).", {"rmsprop": _rmsprop_epsilon_inside}),
    _runs_mistake("adam's t starting at 1",
                  "Your adam's steps are those of t = 2, 3, ...: t starts at 0 and is incremented before use, "
                  "so the first step's bias correction uses t = 1.", {"adam": _adam_t_from_1}),
    _runs_mistake("adam epsilon inside the root",
                  "Your adam divides by sqrt(v_hat + epsilon): epsilon is added after the root, "
                  "m_hat/(sqrt(v_hat) + epsilon).", {"adam": _adam_epsilon_inside}),
    _runs_mistake("momentum's velocity not carried",
                  "Every sgd_momentum step starts again from zero velocity, a plain SGD step: store the new "
                  "velocity in the config you return, config['velocity'] = v.",
                  {"sgd_momentum": _momentum_velocity_forgotten}),
    _runs_mistake("rmsprop cache not stored",
                  "Every rmsprop step starts again from a zero cache: store the new cache in the config you "
                  "return, config['cache'] = cache.", {"rmsprop": _rmsprop_cache_forgotten}),
    KnownMistake("momentum velocity kept PyTorch's way",
                 "Your stored velocity is dw after the first step, PyTorch's v = momentum*v + dw: the contract "
                 "keeps v = momentum*v - learning_rate*dw and steps next_w = w + v.", _velocity_is(1.0)),
    KnownMistake("momentum velocity sign flipped",
                 "Your stored velocity is +learning_rate*dw after the first step: v = momentum*v - "
                 "learning_rate*dw points downhill, and next_w = w + v.", _velocity_is(0.01)),
    KnownMistake("state kept outside config",
                 "The same run from config=None steps differently the second time: your rules keep state "
                 "(a velocity, a cache, m, v, t) outside the config, in a module-level variable, so one run "
                 "leaks into the next. Keep all state in the config you return.", _state_outside_config),
    KnownMistake("missing keys not filled in",
                 "A config given without some keys makes your code raise KeyError: fill in each missing key "
                 "with its default, config.setdefault(key, default), not only when config is None.",
                 _partial_config_key_error),
    _runs_mistake("hyperparameters in config ignored",
                  "Your rules step with the default hyperparameters whatever config says: read learning_rate, "
                  "momentum, decay_rate, beta1, beta2 and epsilon from config.",
                  {rule: _hyperparameters_ignored(rule) for rule in RULES}),
)


def _speed(session: Session) -> Speed:
    rng = session.rng("speed")
    w, dws = rng.standard_normal(SPEED_SHAPE), [rng.standard_normal(SPEED_SHAPE) for _ in range(SPEED_STEPS)]

    def run_reference() -> None:
        next_w, config = w, None
        for dw in dws:
            next_w, config = session.reference.adam(next_w, dw, config)

    def run_learner() -> float:
        returned = session.call("adam", w, dws[0], None, send=(), watch_inputs=False)
        seconds = returned.seconds
        for dw in dws[1:]:  # next_w and config stay in the learner's process
            returned = session.call("adam", returned.ref[0], dw, returned.ref[1], send=(), watch_inputs=False)
            seconds += returned.seconds
        return seconds

    size = "x".join(map(str, SPEED_SHAPE))
    return measure_speed(session, f"{SPEED_STEPS} steps of adam on w {size}", run_reference, run_learner)


KATA = Kata(
    name="optimizers",
    title="SGD, SGD with momentum, RMSProp and Adam: one step each, state in config",
    functions=RULES,
    checks=(
        Check("returns (next_w, config)", "shape", _returns_pair),
        *(Check(f"{rule} over several steps", "value", _several_steps(rule)) for rule in RULES),
        Check("custom configs", "value", _custom),
        Check("missing keys take defaults", "value", _partial),
        Check("state carried in config", "value", _state_carried),
        Check("adam's first step is -lr*sign(dw)", "edge", _adam_first_step),
        Check("adam increments t before use", "edge", _adam_t_first),
        Check("rmsprop epsilon outside the root", "edge", _rmsprop_epsilon),
        Check("adam's epsilon outside the root", "edge", _adam_epsilon,
              needs=("adam's first step is -lr*sign(dw)",)),  # with another first step, epsilon is not the news
        Check("momentum's first velocity is -lr*dw", "edge", _momentum_velocity),
        Check("w and dw not modified", "behaviour", _not_modified, runs_last=True),
        Check("deterministic", "behaviour", _deterministic),
    ),
    speed=_speed,
    hints=(
        "Each rule is one step of a loop that hands its config back at the next call: fill in the missing "
        "keys, keep the state (velocity, cache, m, v, t) in config, and never touch w or dw in place.",
        "Start from config = {} when it is None and setdefault each hyperparameter; compute the new state "
        "from the old, store it in config, and return a new next_w. In adam, increment t before the bias "
        "corrections.",
        "adam: next_w = w - lr * (m/(1 - beta1**t)) / (sqrt(v/(1 - beta2**t)) + epsilon); rmsprop: "
        "next_w = w - lr*dw/(sqrt(cache) + epsilon), epsilon outside the root.",
    ),
    mistakes=MISTAKES,
)
