# expect: pass
"""The layers written out in numpy instead of calling the katas (the grader checks the
model, not how it is assembled): a stable sigmoid via np.logaddexp and the chain rule
spelled out; only the loss comes from the mse_loss kata."""
import numpy as np

from solutions.mse_loss import mse_loss


class MLPRegressor:
    def __init__(self, input_dim=1, hidden_dim=32, output_dim=1, weight_scale=1.0, reg=0.0, seed=None):
        rng = np.random.default_rng(seed)
        self.reg = reg
        self.params = {"W1": weight_scale * rng.standard_normal((input_dim, hidden_dim)),
                       "b1": np.zeros(hidden_dim),
                       "W2": weight_scale * rng.standard_normal((hidden_dim, output_dim)),
                       "b2": np.zeros(output_dim)}

    def loss(self, X, y=None):
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        z = X @ W1 + b1
        h = np.exp(-np.logaddexp(0.0, -z))  # sigmoid(z), stable for large |z|
        out = h @ W2 + b2
        if y is None:
            return out
        loss, dout = mse_loss(out, y)
        loss += 0.5 * self.reg * (np.sum(W1**2) + np.sum(W2**2))
        dz = (dout @ W2.T) * h * (1.0 - h)
        grads = {"W2": h.T @ dout + self.reg * W2, "b2": dout.sum(axis=0),
                 "W1": X.T @ dz + self.reg * W1, "b1": dz.sum(axis=0)}
        return loss, grads
