"""The adamw kata's reference against torch.optim.AdamW over several steps, in float64 (skipped without torch):
next_w and the state (m is torch's exp_avg, v its exp_avg_sq, t its step), with the defaults, a custom config,
and weight_decay 0 against torch.optim.Adam."""
import numpy as np
import pytest

from solutions.adamw import adamw
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")

STEPS = 6


def _ours(w, gradients, config):
    for dw in gradients:
        w, config = adamw(w, dw, config)
    return w, config


def _torch(optimizer_class, w, gradients, **options):
    param = torch.nn.Parameter(torch.tensor(w))
    optimizer = optimizer_class([param], foreach=False, **options)
    for dw in gradients:
        param.grad = torch.tensor(dw)
        optimizer.step()
    return param.detach(), optimizer.state[param]


def _problem(seed, shape=(4, 5)):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), [rng.standard_normal(shape) for _ in range(STEPS)]


@pytest.mark.parametrize("config", [
    None,
    {"learning_rate": 0.1, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-4, "weight_decay": 0.5},
    {"learning_rate": 0.05, "weight_decay": 0.2},
])
@pytest.mark.parametrize("seed", [0, 1])
def test_adamw_matches_torch(config, seed):
    w, gradients = _problem(seed)
    ours, state = _ours(w, gradients, None if config is None else dict(config))
    c = config or {}
    theirs, torch_state = _torch(torch.optim.AdamW, w, gradients, lr=c.get("learning_rate", 1e-3),
                                 betas=(c.get("beta1", 0.9), c.get("beta2", 0.999)), eps=c.get("epsilon", 1e-8),
                                 weight_decay=c.get("weight_decay", 1e-2))
    assert_agrees("next_w", theirs, ours)
    assert_agrees("m (torch's exp_avg)", torch_state["exp_avg"], state["m"])
    assert_agrees("v (torch's exp_avg_sq)", torch_state["exp_avg_sq"], state["v"])
    assert state["t"] == int(torch_state["step"]) == STEPS


def test_defaults_are_torchs():
    """The config filled in from None holds torch.optim.AdamW's defaults."""
    _, config = adamw(np.zeros(3), np.ones(3))
    defaults = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(3))]).defaults
    assert (config["learning_rate"], (config["beta1"], config["beta2"]), config["epsilon"],
            config["weight_decay"]) == (defaults["lr"], defaults["betas"], defaults["eps"], defaults["weight_decay"])


def test_weight_decay_0_is_torchs_adam():
    w, gradients = _problem(2, (3, 7))
    ours, _ = _ours(w, gradients, {"learning_rate": 0.1, "weight_decay": 0.0})
    theirs, _ = _torch(torch.optim.Adam, w, gradients, lr=0.1)
    assert_agrees("next_w", theirs, ours)


def test_adamw_is_not_adam_with_l2():
    """torch.optim.Adam's weight_decay adds it to the gradient (L2): another rule, which ours must not equal."""
    w, gradients = _problem(3)
    ours, _ = _ours(w, gradients, {"learning_rate": 0.1, "weight_decay": 0.5})
    l2, _ = _torch(torch.optim.Adam, w, gradients, lr=0.1, weight_decay=0.5)
    assert np.max(np.abs(l2.numpy() - ours)) > 1e-2
