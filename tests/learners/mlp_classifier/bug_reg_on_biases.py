# expect-fail: loss value with reg
# diagnosis: biases regularised
"""Every parameter is regularised, biases included, because a loop over self.params was shorter."""
import numpy as np

from solutions.activations import relu_backward, relu_forward
from solutions.dataloader import DataLoader
from solutions.linear import linear_backward, linear_forward
from solutions.optimizers import adam, rmsprop, sgd, sgd_momentum
from solutions.softmax_ce import softmax_cross_entropy

RULES = {"sgd": sgd, "sgd_momentum": sgd_momentum, "rmsprop": rmsprop, "adam": adam}


class TwoLayerClassifier:
    def __init__(self, input_dim=3 * 32 * 32, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0,
                 seed=None):
        rng = np.random.default_rng(seed)
        self.reg = reg
        self.params = {
            "W1": weight_scale * rng.standard_normal((input_dim, hidden_dim)),
            "b1": np.zeros(hidden_dim),
            "W2": weight_scale * rng.standard_normal((hidden_dim, num_classes)),
            "b2": np.zeros(num_classes),
        }

    def loss(self, X, y=None):
        W1, b1, W2, b2 = self.params["W1"], self.params["b1"], self.params["W2"], self.params["b2"]
        h, h_cache = linear_forward(X, W1, b1)
        a, a_cache = relu_forward(h)
        scores, s_cache = linear_forward(a, W2, b2)
        if y is None:
            return scores
        data_loss, dscores = softmax_cross_entropy(scores, y)
        loss = data_loss + 0.5 * self.reg * sum(np.sum(p ** 2) for p in self.params.values())
        grads = {}
        da, grads["W2"], grads["b2"] = linear_backward(dscores, s_cache)
        dh = relu_backward(da, a_cache)
        _, grads["W1"], grads["b1"] = linear_backward(dh, h_cache)
        for k in grads:
            grads[k] = grads[k] + self.reg * self.params[k]
        return loss, grads


class Trainer:
    def __init__(self, model, data, update_rule="sgd_momentum", optim_config=None, lr_decay=1.0,
                 batch_size=100, num_epochs=10, rng=None):
        if update_rule not in RULES:
            raise ValueError(f"unknown update rule {update_rule}")
        self.model, self.data = model, data
        self.update_rule = RULES[update_rule]
        self.optim_config = optim_config or {}
        self.lr_decay, self.batch_size, self.num_epochs = lr_decay, batch_size, num_epochs
        self.rng = rng if rng is not None else np.random.default_rng()

    def check_accuracy(self, X, y):
        return float(np.mean(np.argmax(self.model.loss(X), axis=1) == y))

    def train(self):
        data, model = self.data, self.model
        loader = DataLoader(data["X_train"], data["y_train"], self.batch_size, rng=self.rng)
        self.optim_configs = {k: dict(self.optim_config) for k in model.params}
        self.loss_history, self.train_acc_history, self.val_acc_history = [], [], []
        self.best_val_acc, self.best_params = -1.0, None
        for epoch in range(self.num_epochs):
            for X_batch, y_batch in loader:
                loss, grads = model.loss(X_batch, y_batch)
                self.loss_history.append(float(loss))
                for k in model.params:
                    model.params[k], self.optim_configs[k] = self.update_rule(model.params[k], grads[k],
                                                                              self.optim_configs[k])
            for config in self.optim_configs.values():
                config["learning_rate"] *= self.lr_decay
            train_acc = self.check_accuracy(data["X_train"], data["y_train"])
            val_acc = self.check_accuracy(data["X_val"], data["y_val"])
            self.train_acc_history.append(train_acc)
            self.val_acc_history.append(val_acc)
            if val_acc > self.best_val_acc:
                self.best_val_acc = val_acc
                self.best_params = {k: v.copy() for k, v in model.params.items()}
        model.params = self.best_params
