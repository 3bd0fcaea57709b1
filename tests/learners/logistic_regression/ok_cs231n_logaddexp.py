# expect: pass
"""CS231n style: scores, data_loss + reg loss, dscores divided in place by N, numpy scalars returned as they come, in-place updates of w and of a numpy-scalar b in the fit, the sigmoid as exp(-logaddexp(0, -z))."""
import numpy as np

def logistic_loss(w, b, X, y, reg=0.0):
    N = len(y)
    scores = X.dot(w) + b
    data_loss = (np.logaddexp(0.0, scores) - y * scores).sum() / N
    loss = data_loss + reg * 0.5 * (w ** 2).sum()
    probs = np.exp(-np.logaddexp(0.0, -scores))
    dscores = probs - y
    dscores /= N
    dw = np.dot(X.T, dscores)
    dw += reg * w
    db = dscores.sum()
    return loss, dw, db

def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    w = np.zeros(X.shape[1])
    b = np.float64(0.0)
    for it in range(num_iters):
        loss, dw, db = logistic_loss(w, b, X, y, reg)
        w -= lr * dw
        b -= lr * db
    return w, b

def predict_logistic(w, b, X):
    return np.where(X @ w + b > 0, 1, 0)
