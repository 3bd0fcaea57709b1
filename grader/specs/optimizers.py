"""optimizers: one step of SGD, SGD with momentum, RMSProp and Adam, state carried in config.

Each rule runs several steps as a training loop calls it, from None, a
custom config and a partial one (rows built by grader.authoring.update_rule).
The edge rows are the classic slips: Adam's first step (bias correction), t
incremented before use, epsilon outside the root, momentum's velocity.
"""
import numpy as np

from grader.authoring.kata import Check, CheckFailed, Kata
from grader.authoring.update_rule import Probe, Rule, UpdateRules, dropping, leaked_state_mistake, looks_like, \
    one_step, probe_mistake, probe_row, raising_mistake, rule_checks, rule_mistake, rule_speed, value_mismatch

RULES = UpdateRules((
    Rule("sgd", {"learning_rate": 1e-2}, custom={"learning_rate": 0.1}, partial={}),
    Rule("sgd_momentum", {"learning_rate": 1e-2, "momentum": 0.9}, ("velocity",),
         custom={"learning_rate": 0.1, "momentum": 0.5}, partial={"momentum": 0.5}),
    Rule("rmsprop", {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8}, ("cache",),
         custom={"learning_rate": 0.1, "decay_rate": 0.9, "epsilon": 1e-4}, partial={"learning_rate": 0.05}),
    Rule("adam", {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, ("m", "v", "t"),
         custom={"learning_rate": 0.1, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-4},
         partial={"learning_rate": 1e-2, "beta2": 0.99},
         notes={"t": "t counts the steps taken, incremented before use"}),
))


def _w_and_dw(size: float | None = None):
    """w ~ N(0, 1); dw ~ N(0, 1), or of magnitude size/2 to 2*size with either sign: far from 0."""
    return lambda rng, shape: {"w": rng.standard_normal(shape), "dw": rng.standard_normal(shape) if size is None
                               else size * rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)}


def _after_four_steps(rng, shape):
    return {"w": rng.standard_normal(shape), "dw": rng.standard_normal(shape),
            "config": {"t": 4, "m": 0.3 * rng.standard_normal(shape),
                       "v": 0.01 + 0.1 * rng.standard_normal(shape) ** 2}}


# |dw| >> epsilon: from zero m and v, bias correction makes the first step -lr*dw/|dw|.
ADAM_FIRST = Probe("adam", "adam(w, dw, None)", "adam first step", _w_and_dw(1.0))
ADAM_T = Probe("adam", "adam(w, dw, {'t': 4, 'm': ..., 'v': ...})", "adam t", _after_four_steps)
# dw ~ 1e-6: rmsprop's sqrt(cache) ~ 1e-7 is near epsilon, inside or outside the root differ 1000-fold;
# adam's first step divides by |dw| + epsilon ~ 1e-6, with epsilon inside the root by ~1e-4.
RMSPROP_SMALL = Probe("rmsprop", "rmsprop(w, dw, None) with |dw| about 1e-6", "rmsprop epsilon", _w_and_dw(1e-6))
ADAM_SMALL = Probe("adam", "adam(w, dw, None) with |dw| about 1e-6", "adam epsilon", _w_and_dw(1e-6))
# From zero velocity, v = -lr*dw; PyTorch's v = dw gives the same next_w but another velocity.
FIRST_VELOCITY = Probe("sgd_momentum", "sgd_momentum(w, dw, None)", "momentum velocity", _w_and_dw())


# -- buggy rules, built on the reference: buggy(reference, w, dw, config) -> (next_w, config) ------

def _adam_uncorrected(reference, w, dw, config=None):
    _, config = reference.adam(w, dw, config)
    return w - config["learning_rate"] * config["m"] / (np.sqrt(config["v"]) + config["epsilon"]), config


def _rmsprop_epsilon_inside(reference, w, dw, config=None):
    _, config = reference.rmsprop(w, dw, config)
    return w - config["learning_rate"] * dw / np.sqrt(config["cache"] + config["epsilon"]), config


def _adam_epsilon_inside(reference, w, dw, config=None):
    _, config = reference.adam(w, dw, config)
    t, b1, b2 = config["t"], config["beta1"], config["beta2"]
    m_hat, v_hat = config["m"] / (1 - b1**t), config["v"] / (1 - b2**t)
    return w - config["learning_rate"] * m_hat / np.sqrt(v_hat + config["epsilon"]), config


def _adam_t(default: int, used: int, kept: int):
    """adam with t defaulting to `default`, whose bias correction uses t + `used` and which returns t + `kept`
    (the contract: 0, 1, 1)."""
    def step(reference, w, dw, config=None):
        t = (config or {}).get("t", default)
        next_w, config = reference.adam(w, dw, {**(config or {}), "t": t + used - 1})
        return next_w, {**config, "t": t + kept}
    return step


def _nesterov(reference, w, dw, config=None):
    """Nesterov's momentum step, w - momentum*v_prev + (1 + momentum)*v, in place of w + v."""
    v_prev = (config or {}).get("velocity", np.zeros_like(w))
    _, config = reference.sgd_momentum(w, dw, dict(config or {}))
    return w - config["momentum"] * v_prev + (1 + config["momentum"]) * config["velocity"], config


def _velocity_stored(times):
    """sgd_momentum's first step, the velocity stored as times(config) * the contract's: PyTorch's
    v = momentum*v + dw (with next_w = w - learning_rate*v) is -1/learning_rate times it."""
    def step(reference, w, dw, config=None):
        next_w, config = reference.sgd_momentum(w, dw, config)
        return next_w, {**config, "velocity": times(config) * config["velocity"]}
    return step


_T_AFTER_USE = _adam_t(0, 0, 1)
_PYTORCH_VELOCITY = _velocity_stored(lambda config: -1 / config["learning_rate"])
_FLIPPED_VELOCITY = _velocity_stored(lambda config: -1)


def _adam_first_step(session) -> None:
    """From zero m and v, the first step is -lr*sign(dw): else say how far off, and why when it is known."""
    step = one_step(session, RULES, ADAM_FIRST)
    mismatch = value_mismatch(RULES, step)
    if mismatch is None:
        return
    i, w = mismatch.index, step.arguments["w"]
    want, got = step.expected[i] - w[i], step.value[i] - w[i]
    if not np.isfinite(got):
        why = "t = 0 in the bias correction divides by zero: increment t before using it"
    elif looks_like(session, RULES, step, _adam_uncorrected):
        why = "that is m/sqrt(v) without bias correction: divide m by 1 - beta1**t and v by 1 - beta2**t"
    else:
        why = f"{got / want:.3g} times the expected step"
    raise CheckFailed(f"adam(w, dw, None): the first step next_w - w must be about -learning_rate*sign(dw) "
                      f"= {want:.6g} at [{', '.join(map(str, i))}], got {got:.6g}: {why}")


_EPSILON_INSIDE = "that is epsilon inside the square root: next_w = w - lr*"
_CONTRACT_VELOCITY = "the contract keeps v = momentum*v - learning_rate*dw (here -0.01*dw) and next_w = w + v"
EDGES = (
    Check("adam's first step is -lr*sign(dw)", "edge", _adam_first_step),
    probe_row(RULES, "adam increments t before use", ADAM_T,
              "adam with t = 4 in config (four steps taken) must take step 5", keys={"t": ()},
              like=((_T_AFTER_USE, "that is the step with t = 4 in the bias correction: increment t first, "
                                   "then use it"),)),
    probe_row(RULES, "rmsprop epsilon outside the root", RMSPROP_SMALL,
              like=((_rmsprop_epsilon_inside, _EPSILON_INSIDE + "dw/(sqrt(cache) + epsilon)"),)),
    probe_row(RULES, "adam's epsilon outside the root", ADAM_SMALL,
              like=((_adam_epsilon_inside, _EPSILON_INSIDE + "m_hat/(sqrt(v_hat) + epsilon)"),),
              needs=("adam's first step is -lr*sign(dw)",)),  # with another first step, epsilon is not the news
    probe_row(RULES, "momentum's first velocity is -lr*dw", FIRST_VELOCITY,
              keys={"velocity": ((_PYTORCH_VELOCITY, f"PyTorch's v = momentum*v + dw; {_CONTRACT_VELOCITY}"),
                                 (_FLIPPED_VELOCITY, f"v with the opposite sign; {_CONTRACT_VELOCITY}"))}),
)

MISTAKES = (
    rule_mistake(RULES, "adam without bias correction",
                 "Your adam steps with m/(sqrt(v) + epsilon): m and v start at 0, so divide them by "
                 "1 - beta1**t and 1 - beta2**t before the step.", {"adam": _adam_uncorrected}),
    probe_mistake(RULES, "adam's t incremented after use",
                  "Given t = 4 (four steps taken), your adam's bias correction uses t = 4: increment t first, "
                  "then use it, so this is step 5.", ADAM_T, _T_AFTER_USE, fallback=True),
    rule_mistake(RULES, "adam's t never incremented",
                 "Every adam step uses the same t in the bias correction: t counts the steps taken, so "
                 "increment it at each step, config['t'] += 1, before using it.", {"adam": _adam_t(1, 0, 0)}),
    rule_mistake(RULES, "Nesterov momentum",
                 "Your sgd_momentum steps with Nesterov's w - momentum*v_prev + (1 + momentum)*v: this kata's "
                 "momentum is the plain one, next_w = w + v.", {"sgd_momentum": _nesterov}),
    rule_mistake(RULES, "adam's default learning rate 1e-2",
                 "From config=None your adam steps as with learning_rate 1e-2, the default of the other rules: "
                 "Adam's default is 1e-3.",
                 {"adam": lambda reference, w, dw, config:
                     reference.adam(w, dw, {"learning_rate": 1e-2, **(config or {})})}),
    rule_mistake(RULES, "rmsprop epsilon inside the root",
                 "Your rmsprop divides by sqrt(cache + epsilon): epsilon is added after the root, "
                 "dw/(sqrt(cache) + epsilon).", {"rmsprop": _rmsprop_epsilon_inside}),
    rule_mistake(RULES, "adam's t starting at 1",
                 "Your adam's steps are those of t = 2, 3, ...: t starts at 0 and is incremented before use, "
                 "so the first step's bias correction uses t = 1.", {"adam": _adam_t(1, 1, 1)}),
    rule_mistake(RULES, "adam epsilon inside the root",
                 "Your adam divides by sqrt(v_hat + epsilon): epsilon is added after the root, "
                 "m_hat/(sqrt(v_hat) + epsilon).", {"adam": _adam_epsilon_inside}),
    rule_mistake(RULES, "momentum's velocity not carried",
                 "Every sgd_momentum step starts again from zero velocity, a plain SGD step: store the new "
                 "velocity in the config you return, config['velocity'] = v.",
                 {"sgd_momentum": dropping("sgd_momentum", lambda key: key != "velocity")}),
    rule_mistake(RULES, "rmsprop cache not stored",
                 "Every rmsprop step starts again from a zero cache: store the new cache in the config you "
                 "return, config['cache'] = cache.", {"rmsprop": dropping("rmsprop", lambda key: key != "cache")}),
    probe_mistake(RULES, "momentum velocity kept PyTorch's way",
                  "Your stored velocity is dw after the first step, PyTorch's v = momentum*v + dw: the contract "
                  "keeps v = momentum*v - learning_rate*dw and steps next_w = w + v.",
                  FIRST_VELOCITY, _PYTORCH_VELOCITY, judge=("velocity",)),
    probe_mistake(RULES, "momentum velocity sign flipped",
                  "Your stored velocity is +learning_rate*dw after the first step: v = momentum*v - "
                  "learning_rate*dw points downhill, and next_w = w + v.",
                  FIRST_VELOCITY, _FLIPPED_VELOCITY, judge=("velocity",)),
    leaked_state_mistake(RULES, "state kept outside config",
                         "The same run from config=None steps differently the second time: your rules keep state "
                         "(a velocity, a cache, m, v, t) outside the config, in a module-level variable, so one run "
                         "leaks into the next. Keep all state in the config you return."),
    raising_mistake(RULES, "missing keys not filled in",
                    "A config given without some keys makes your code raise KeyError: fill in each missing key "
                    "with its default, config.setdefault(key, default), not only when config is None.",
                    "partial", "KeyError"),
    rule_mistake(RULES, "hyperparameters in config ignored",
                 "Your rules step with the default hyperparameters whatever config says: read learning_rate, "
                 "momentum, decay_rate, beta1, beta2 and epsilon from config.",
                 {rule.name: dropping(rule.name, lambda key, rule=rule: key in rule.keeps) for rule in RULES.rules}),
)

KATA = Kata(
    name="optimizers",
    title="SGD, SGD with momentum, RMSProp and Adam: one step each, state in config",
    functions=RULES.names,
    checks=rule_checks(RULES, extra=EDGES),
    speed=rule_speed(RULES, "adam", (200, 100), 3),
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
