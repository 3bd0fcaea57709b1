"""adamw: one step of AdamW (decoupled weight decay), state carried in config.

The rule runs several steps as a training loop calls it, from None, a custom
config (a large learning rate and weight decay, where where and how the decay
is applied shows) and a partial one (rows built by grader.authoring.update_rule).
The edge rows are the slips of the decay: the first step, a zero gradient
(the decay alone), weight_decay 0 (Adam), t incremented before use.
"""
import numpy as np

from grader.authoring.kata import Kata
from grader.authoring.update_rule import Probe, Rule, UpdateRules, probe_row, rule_checks, rule_mistake, rule_speed

DEFAULTS = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 1e-2}
RULES = UpdateRules((
    Rule("adamw", DEFAULTS, ("m", "v", "t"),
         custom={"learning_rate": 0.1, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-4, "weight_decay": 0.5},
         partial={"learning_rate": 0.05, "weight_decay": 0.2},
         notes={"t": "t counts the steps taken, incremented before use"}),
))
LARGE = {"learning_rate": 0.1, "weight_decay": 0.5}  # the decay, 5% of w a step, is as large as the Adam step


def _draw(config: dict, dw_scale: float = 1.0):
    """w ~ N(0, 1); dw of magnitude 1/2 to 2 with either sign (far from 0), times dw_scale; the config given."""
    return lambda rng, shape: {"w": rng.standard_normal(shape), "config": dict(config),
                               "dw": dw_scale * rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)}


def _after_four_steps(rng, shape):
    return {"w": rng.standard_normal(shape), "dw": rng.standard_normal(shape),
            "config": {**LARGE, "t": 4, "m": 0.3 * rng.standard_normal(shape),
                       "v": 0.01 + 0.1 * rng.standard_normal(shape) ** 2}}


FIRST = Probe("adamw", f"adamw(w, dw, {LARGE})", "adamw first step", _draw(LARGE))
ZERO = Probe("adamw", "adamw(w, zeros, {'learning_rate': 0.1, 'weight_decay': 0.1})", "adamw zero gradient",
             _draw({"learning_rate": 0.1, "weight_decay": 0.1}, 0.0))
NO_DECAY = Probe("adamw", "adamw(w, dw, {'learning_rate': 0.1, 'weight_decay': 0.0}), three steps", "adamw no decay",
                 _draw({"learning_rate": 0.1, "weight_decay": 0.0}), step_shapes=((3, 4),) * 3)
T_GIVEN = Probe("adamw", "adamw(w, dw, {'t': 4, 'm': ..., 'v': ...})", "adamw t", _after_four_steps)


# -- buggy rules, built on the reference: buggy(reference, w, dw, config) -> (next_w, config) ------

def _adam(reference, w, dw, config):
    """(Adam's next_w from w, without decay; the config as the reference fills it; its hyperparameters)."""
    c = {**DEFAULTS, **(config or {})}
    next_w, state = reference.adamw(w, dw, {**c, "weight_decay": 0.0})
    return next_w, {**state, "weight_decay": c["weight_decay"]}, c


def _l2(reference, w, dw, config=None):
    c = {**DEFAULTS, **(config or {})}
    next_w, state = reference.adamw(w, dw + c["weight_decay"] * w, {**c, "weight_decay": 0.0})
    return next_w, {**state, "weight_decay": c["weight_decay"]}


def _decay_updated(reference, w, dw, config=None):
    next_w, state, c = _adam(reference, w, dw, config)
    return next_w * (1 - c["learning_rate"] * c["weight_decay"]), state


def _decay_without_lr(reference, w, dw, config=None):
    next_w, state, c = _adam(reference, w, dw, config)
    return next_w - c["weight_decay"] * w, state


def _uncorrected(reference, w, dw, config=None):
    _, c = reference.adamw(w, dw, config)
    step = c["m"] / (np.sqrt(c["v"]) + c["epsilon"])
    return w * (1 - c["learning_rate"] * c["weight_decay"]) - c["learning_rate"] * step, c


def _epsilon_hat(reference, w, dw, config=None):
    """Kingma and Ba's "efficient" form (TensorFlow's): the bias corrections folded into the learning rate,
    lr_t = lr*sqrt(1 - beta2**t)/(1 - beta1**t), then m/(sqrt(v) + epsilon): epsilon meets the uncorrected root,
    as if it were epsilon*sqrt(1 - beta2**t) in the rule (at the custom config's step 1, 1e-3 for 1e-4)."""
    c = {**DEFAULTS, **(config or {})}
    _, state = reference.adamw(w, dw, dict(config or {}))
    t, b1, b2 = state["t"], c["beta1"], c["beta2"]
    lr_t = c["learning_rate"] * np.sqrt(1 - b2**t) / (1 - b1**t)
    decayed = w * (1 - c["learning_rate"] * c["weight_decay"])
    return decayed - lr_t * state["m"] / (np.sqrt(state["v"]) + c["epsilon"]), state


def _state_only(reference, w, dw, config=None):
    """The right step, but the config returned holds m, v and t alone: the next call takes the defaults."""
    next_w, state = reference.adamw(w, dw, dict(config or {}))
    return next_w, {key: state[key] for key in ("m", "v", "t")}


def _t_after_use(reference, w, dw, config=None):
    """t starting at 1 (no division by zero at the first step) and incremented after use: one ahead."""
    t = (config or {}).get("t", 1)
    next_w, config = reference.adamw(w, dw, {**(config or {}), "t": t - 1})
    return next_w, {**config, "t": t + 1}


_L2 = "that is Adam with L2, weight_decay * w added to dw: decouple it, w * (1 - lr*weight_decay), then Adam on dw"
_NO_LR = "that is the decay without the learning rate, w * (1 - weight_decay): it is w * (1 - lr*weight_decay)"
_UPDATED = "that is the decay applied to the Adam-updated weights: decay the old w, then take the Adam step"
_UNCORRECTED = "that is m/(sqrt(v) + epsilon) without bias correction: divide m by 1 - beta1**t, v by 1 - beta2**t"
EDGES = (
    probe_row(RULES, "first step: decay, then -lr*sign(dw)", FIRST,
              "the first step is about w * (1 - lr*weight_decay) - lr*sign(dw)",
              like=((_uncorrected, _UNCORRECTED), (_l2, _L2), (_decay_without_lr, _NO_LR),
                    (_decay_updated, _UPDATED))),
    probe_row(RULES, "zero gradient: the decay alone", ZERO,
              "with dw = 0 from zero m and v, next_w = w * (1 - lr*weight_decay)",
              like=((_l2, _L2), (_decay_without_lr, _NO_LR))),
    probe_row(RULES, "weight_decay 0 is Adam", NO_DECAY, "with weight_decay = 0, AdamW is Adam"),
    probe_row(RULES, "t incremented before use", T_GIVEN,
              "with t = 4 in config (four steps taken) adamw must take step 5", keys={"t": ()},
              like=((_t_after_use, "that is the step with t = 4 in the bias correction: increment t first"),)),
)

MISTAKES = (
    rule_mistake(RULES, "L2 added to the gradient",
                 "Your adamw adds weight_decay * w to dw before the Adam step: that is Adam with L2 "
                 "regularisation, whose decay is divided by sqrt(v_hat) like the gradient. AdamW decouples it: "
                 "w * (1 - learning_rate * weight_decay) from the old w, then Adam's step on dw alone.",
                 {"adamw": _l2}, probes=(FIRST, ZERO)),
    rule_mistake(RULES, "decay from the updated weights",
                 "Your adamw decays the weights after the Adam step, (w - step) * (1 - learning_rate * "
                 "weight_decay): PyTorch decays the OLD w first, then takes the step, w * (1 - learning_rate * "
                 "weight_decay) - step.", {"adamw": _decay_updated}, probes=(FIRST,)),
    rule_mistake(RULES, "decay without the learning rate",
                 "Your weights decay by w * (1 - weight_decay) per step: the decoupled decay is scaled by the "
                 "learning rate, w * (1 - learning_rate * weight_decay) (PyTorch's AdamW).",
                 {"adamw": _decay_without_lr}, probes=(FIRST, ZERO)),
    rule_mistake(RULES, "adamw without bias correction",
                 "Your adamw steps with m/(sqrt(v) + epsilon): m and v start at 0, so divide them by "
                 "1 - beta1**t and 1 - beta2**t before the step.", {"adamw": _uncorrected}, probes=(FIRST,)),
    rule_mistake(RULES, "t incremented after use",
                 "Your bias correction uses the t given in config, then increments it (starting from 1): t counts "
                 "the steps taken, starts at 0 and is incremented first, so the first step uses t = 1 and a "
                 "config with t = 4 takes step 5.", {"adamw": _t_after_use}, probes=(T_GIVEN,)),
    rule_mistake(RULES, "epsilon added to the uncorrected root",
                 "Your adamw folds the bias corrections into the learning rate, lr * sqrt(1 - beta2**t) / "
                 "(1 - beta1**t), and divides m by sqrt(v) + epsilon (the Adam paper's efficient form, TensorFlow's "
                 "'epsilon hat'): epsilon then meets the uncorrected root, and the step differs when epsilon is not "
                 "negligible. Add epsilon to sqrt(v_hat), v_hat = v / (1 - beta2**t), as PyTorch does.",
                 {"adamw": _epsilon_hat}),
    rule_mistake(RULES, "hyperparameters not returned in config",
                 "Your adamw returns a config holding only m, v and t: the next call, given it, takes the default "
                 "learning rate, betas, epsilon and weight decay. Return the config with every key filled in.",
                 {"adamw": _state_only}),
)

KATA = Kata(
    name="adamw",
    title="AdamW: Adam with decoupled weight decay, one step, state in config",
    functions=RULES.names,
    checks=rule_checks(RULES, extra=EDGES),
    speed=rule_speed(RULES, "adamw", (200, 100), 3),
    hints=(
        "AdamW is Adam plus a weight decay that never enters the gradient: where, and from which w, is the "
        "decay applied, and is it scaled by the learning rate?",
        "Fill in the missing keys of config, decay the old weights by the factor 1 - learning_rate * "
        "weight_decay, then take the optimizers kata's Adam step on dw alone (t incremented first, bias "
        "corrections), and keep m, v and t in config.",
        "next_w = w * (1 - lr*weight_decay) - lr * (m/(1 - beta1**t)) / (sqrt(v/(1 - beta2**t)) + epsilon), "
        "with m and v the running averages of dw and dw**2.",
    ),
    mistakes=MISTAKES,
)
