# expect: pass
"""PyTorch's in-place style (mul_, addcmul_ as out= ufuncs and +=) on private copies of w, m and v; t kept as a float, and the state kept twice, also under torch's names exp_avg, exp_avg_sq and step (extra keys are allowed)."""
import numpy as np
def adamw(w, dw, config=None):
    cfg = dict(config) if config else {}
    lr = cfg.get("learning_rate", 1e-3); b1 = cfg.get("beta1", 0.9); b2 = cfg.get("beta2", 0.999)
    eps = cfg.get("epsilon", 1e-8); wd = cfg.get("weight_decay", 1e-2)
    p = np.array(w, dtype=np.float64, copy=True)
    exp_avg = np.array(cfg.get("m", np.zeros_like(w)), copy=True)
    exp_avg_sq = np.array(cfg.get("v", np.zeros_like(w)), copy=True)
    t = float(cfg.get("t", 0)) + 1.0
    p *= 1 - lr * wd
    np.multiply(exp_avg, b1, out=exp_avg); exp_avg += (1 - b1) * dw
    exp_avg_sq *= b2; exp_avg_sq += (1 - b2) * np.square(dw)
    bc1 = 1 - b1 ** t; bc2 = 1 - b2 ** t
    denom = np.sqrt(exp_avg_sq) / np.sqrt(bc2) + eps
    p -= lr / bc1 * exp_avg / denom
    cfg.update(learning_rate=lr, beta1=b1, beta2=b2, epsilon=eps, weight_decay=wd,
               m=exp_avg, v=exp_avg_sq, t=t, exp_avg=exp_avg.copy(), exp_avg_sq=exp_avg_sq.copy(), step=t)
    return p, cfg
