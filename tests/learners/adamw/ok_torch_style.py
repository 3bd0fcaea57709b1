# expect: pass
"""Written after reading torch.optim.AdamW's source: a fresh config dict each step, the decay as an in-place multiply on a private copy, the step size and denominator with the bias corrections folded in (step_size = lr / bias_correction1, denom = sqrt(v)/sqrt(bias_correction2) + eps)."""
import math

import numpy as np

DEFAULTS = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weight_decay": 1e-2}


def adamw(w, dw, config=None):
    config = {**DEFAULTS, "t": 0, **(config or {})}
    lr, (b1, b2) = config["learning_rate"], (config["beta1"], config["beta2"])
    param = w.copy()
    param *= 1 - lr * config["weight_decay"]
    step = config["t"] + 1
    exp_avg = config.get("m", np.zeros_like(w)).copy()
    exp_avg_sq = config.get("v", np.zeros_like(w)).copy()
    exp_avg += (1 - b1) * (dw - exp_avg)
    exp_avg_sq *= b2
    exp_avg_sq += (1 - b2) * dw * dw
    bias_correction1 = 1 - b1**step
    bias_correction2 = 1 - b2**step
    denom = np.sqrt(exp_avg_sq) / math.sqrt(bias_correction2) + config["epsilon"]
    param -= (lr / bias_correction1) * exp_avg / denom
    config.update(t=step, m=exp_avg, v=exp_avg_sq)
    return param, config
