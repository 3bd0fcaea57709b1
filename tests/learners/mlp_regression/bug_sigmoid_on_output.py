# expect-fail: predictions values; fits 20 sin(2 pi x) with your sgd
# diagnosis: sigmoid on the output layer
"""A sigmoid after the output layer too, because every layer of the textbook MLP had one;
but then every prediction is in (0, 1) and a sine of amplitude 20 is out of reach."""
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
        a, a_cache = linear_forward(h, W2, b2)
        out, out_cache = sigmoid_forward(a)
        if y is None:
            return out

        data_loss, dout = mse_loss(out, y)
        loss = data_loss + 0.5 * self.reg * (np.sum(W1**2) + np.sum(W2**2))
        grads = {}
        da = sigmoid_backward(dout, out_cache)
        dh, grads["W2"], grads["b2"] = linear_backward(da, a_cache)
        dz = sigmoid_backward(dh, h_cache)
        _, grads["W1"], grads["b1"] = linear_backward(dz, z_cache)
        grads["W1"] += self.reg * W1
        grads["W2"] += self.reg * W2
        return loss, grads
