# expect: pass
"""Naive loops: the layers written by hand with a loop over the samples of the batch (the softmax and
its gradient row by row), and a Trainer that counts its steps and keeps the best params with copy.deepcopy,
because the learner likes to see each sample's contribution."""
import copy

import numpy as np

from solutions.dataloader import DataLoader
from solutions.optimizers import adam, rmsprop, sgd, sgd_momentum


class TwoLayerClassifier:
    def __init__(self, input_dim=3 * 32 * 32, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0,
                 seed=None):
        rng = np.random.default_rng(seed)
        W1 = rng.standard_normal((input_dim, hidden_dim)) * weight_scale
        W2 = rng.standard_normal((hidden_dim, num_classes)) * weight_scale
        self.params = {"W1": W1, "b1": np.zeros(hidden_dim), "W2": W2, "b2": np.zeros(num_classes)}
        self.reg = reg

    def loss(self, X, y=None):
        p = self.params
        N = X.shape[0]
        scores = np.zeros((N, p["W2"].shape[1]))
        hidden = np.zeros((N, p["W1"].shape[1]))
        for i in range(N):
            hidden[i] = np.maximum(X[i] @ p["W1"] + p["b1"], 0.0)
            scores[i] = hidden[i] @ p["W2"] + p["b2"]
        if y is None:
            return scores
        grads = {k: np.zeros_like(v) for k, v in p.items()}
        total = 0.0
        for i in range(N):
            shifted = scores[i] - np.max(scores[i])
            log_probs = shifted - np.log(np.sum(np.exp(shifted)))
            total -= log_probs[y[i]]
            dscore = np.exp(log_probs)
            dscore[y[i]] -= 1.0
            dscore /= N
            grads["W2"] += np.outer(hidden[i], dscore)
            grads["b2"] += dscore
            dhidden = (p["W2"] @ dscore) * (hidden[i] > 0)
            grads["W1"] += np.outer(X[i], dhidden)
            grads["b1"] += dhidden
        loss = total / N
        for k in ("W1", "W2"):
            loss += 0.5 * self.reg * np.sum(p[k] * p[k])
            grads[k] += self.reg * p[k]
        return loss, grads


class Trainer:
    _rules = {"sgd": sgd, "sgd_momentum": sgd_momentum, "rmsprop": rmsprop, "adam": adam}

    def __init__(self, model, data, update_rule="sgd_momentum", optim_config=None, lr_decay=1.0,
                 batch_size=100, num_epochs=10, rng=None):
        if update_rule not in self._rules:
            raise ValueError("update_rule must name one of the optimizers kata's rules")
        self.model = model
        self.data = data
        self.update_rule = self._rules[update_rule]
        self.optim_config = {} if optim_config is None else optim_config
        self.lr_decay = lr_decay
        self.batch_size = batch_size
        self.num_epochs = num_epochs
        self.rng = np.random.default_rng() if rng is None else rng

    def check_accuracy(self, X, y):
        scores = self.model.loss(X)
        right = 0
        for i in range(len(y)):
            if np.argmax(scores[i]) == y[i]:
                right += 1
        return right / len(y)

    def _step(self, X_batch, y_batch):
        loss, grads = self.model.loss(X_batch, y_batch)
        self.loss_history.append(float(loss))
        for name in list(self.model.params):
            new, self.optim_configs[name] = self.update_rule(self.model.params[name], grads[name],
                                                             self.optim_configs[name])
            self.model.params[name] = new

    def train(self):
        loader = DataLoader(self.data["X_train"], self.data["y_train"], self.batch_size, shuffle=True,
                            drop_last=False, rng=self.rng)
        self.optim_configs = {}
        for name in self.model.params:
            self.optim_configs[name] = copy.deepcopy(self.optim_config)
        self.loss_history, self.train_acc_history, self.val_acc_history = [], [], []
        self.best_val_acc, self.best_params = None, None
        for epoch in range(self.num_epochs):
            for X_batch, y_batch in loader:
                self._step(X_batch, y_batch)
            for name in self.optim_configs:
                self.optim_configs[name]["learning_rate"] = self.optim_configs[name]["learning_rate"] * self.lr_decay
            self.train_acc_history.append(self.check_accuracy(self.data["X_train"], self.data["y_train"]))
            val_acc = self.check_accuracy(self.data["X_val"], self.data["y_val"])
            self.val_acc_history.append(val_acc)
            if self.best_val_acc is None or val_acc > self.best_val_acc:
                self.best_val_acc = val_acc
                self.best_params = copy.deepcopy(self.model.params)
        self.model.params = copy.deepcopy(self.best_params)
