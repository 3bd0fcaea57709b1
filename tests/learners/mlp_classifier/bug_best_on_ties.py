# expect-fail: best params restored
# diagnosis: a tie replaces the best epoch
"""val_acc >= best_val_acc: a later epoch that only ties the best replaces it, where the stated rule keeps the earlier one."""
import copy
import numpy as np

from solutions.dataloader import DataLoader
import solutions.optimizers as optim


class TwoLayerClassifier:
    def __init__(self, input_dim=3 * 32 * 32, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0,
                 seed=None):
        self.reg = reg
        rng = np.random.default_rng(seed)
        self.params = {}
        self.params["W1"] = rng.normal(0.0, weight_scale, size=(input_dim, hidden_dim))
        self.params["W2"] = rng.normal(0.0, weight_scale, size=(hidden_dim, num_classes))
        self.params["b1"] = np.zeros(hidden_dim)
        self.params["b2"] = np.zeros(num_classes)

    def loss(self, X, y=None):
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        N = X.shape[0]
        h = np.maximum(0, X.reshape(N, -1).dot(W1) + b1)
        scores = h.dot(W2) + b2
        if y is None:
            return scores
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_probs[np.arange(N), y].mean()
        loss += 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dscores = np.exp(log_probs)
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads = {"W2": h.T.dot(dscores) + self.reg * W2, "b2": dscores.sum(axis=0)}
        dh = dscores.dot(W2.T)
        dh[h <= 0] = 0
        grads["W1"] = X.reshape(N, -1).T.dot(dh) + self.reg * W1
        grads["b1"] = dh.sum(axis=0)
        return loss, grads


class Trainer:
    def __init__(self, model, data, update_rule="sgd_momentum", optim_config=None, lr_decay=1.0,
                 batch_size=100, num_epochs=10, rng=None):
        self.model = model
        self.X_train, self.y_train = data["X_train"], data["y_train"]
        self.X_val, self.y_val = data["X_val"], data["y_val"]
        if update_rule not in ("sgd", "sgd_momentum", "rmsprop", "adam"):
            raise ValueError('Invalid update_rule "%s"' % update_rule)
        self.update_rule = getattr(optim, update_rule)
        self.optim_config = {} if optim_config is None else optim_config
        self.lr_decay = lr_decay
        self.batch_size = batch_size
        self.num_epochs = num_epochs
        self.rng = rng if rng is not None else np.random.default_rng()
        self._reset()

    def _reset(self):
        self.best_val_acc = 0
        self.best_params = {}
        self.loss_history = []
        self.train_acc_history = []
        self.val_acc_history = []
        self.optim_configs = {p: copy.deepcopy(self.optim_config) for p in self.model.params}

    def _step(self, X_batch, y_batch):
        loss, grads = self.model.loss(X_batch, y_batch)
        self.loss_history.append(loss.item() if hasattr(loss, "item") else float(loss))
        for p, w in self.model.params.items():
            next_w, next_config = self.update_rule(w, grads[p], self.optim_configs[p])
            self.model.params[p] = next_w
            self.optim_configs[p] = next_config

    def check_accuracy(self, X, y):
        y_pred = np.argmax(self.model.loss(X), axis=1)
        return np.mean(y_pred == y)

    def train(self):
        loader = DataLoader(self.X_train, self.y_train, self.batch_size, shuffle=True, rng=self.rng)
        for epoch in range(self.num_epochs):
            for X_batch, y_batch in loader:
                self._step(X_batch, y_batch)
            for k in self.optim_configs:
                self.optim_configs[k]["learning_rate"] *= self.lr_decay
            train_acc = self.check_accuracy(self.X_train, self.y_train)
            val_acc = self.check_accuracy(self.X_val, self.y_val)
            self.train_acc_history.append(train_acc)
            self.val_acc_history.append(val_acc)
            if epoch == 0 or val_acc >= self.best_val_acc:
                self.best_val_acc = val_acc
                self.best_params = {k: v.copy() for k, v in self.model.params.items()}
        self.model.params = self.best_params
