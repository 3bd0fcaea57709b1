# expect-fail: loss value with reg; gradient b1; gradient b2
# diagnosis: biases regularised
"""Biases regularised with the weights, because looping over self.params is shorter."""
import numpy as np

from solutions.activations import sigmoid_backward, sigmoid_forward
from solutions.linear import linear_backward, linear_forward
from solutions.mse_loss import mse_loss


class MLPRegressor:
    def __init__(self, input_dim=1, hidden_dim=32, output_dim=1, weight_scale=1.0, reg=0.0, seed=None):
        rng = np.random.default_rng(seed)
        self.reg = reg
        self.params = {
            "W1": weight_scale * rng.standard_normal((input_dim, hidden_dim)),
            "b1": np.zeros(hidden_dim),
            "W2": weight_scale * rng.standard_normal((hidden_dim, output_dim)),
            "b2": np.zeros(output_dim),
        }

    def loss(self, X, y=None):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        z, z_cache = linear_forward(X, W1, b1)
        h, h_cache = sigmoid_forward(z)
        out, out_cache = linear_forward(h, W2, b2)
        if y is None:
            return out

        data_loss, dout = mse_loss(out, y)
        loss = data_loss + 0.5 * self.reg * sum(np.sum(p**2) for p in self.params.values())
        grads = {}
        dh, grads["W2"], grads["b2"] = linear_backward(dout, out_cache)
        dz = sigmoid_backward(dh, h_cache)
        _, grads["W1"], grads["b1"] = linear_backward(dz, z_cache)
        for name in grads:
            grads[name] += self.reg * self.params[name]
        return loss, grads
