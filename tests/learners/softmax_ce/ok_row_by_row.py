# expect: pass
"""One example at a time in a Python loop with the stable formulas written out, accumulating the loss and filling dlogits row by row."""
import numpy as np


def softmax(x):
    probs = np.empty_like(x, dtype=float)
    for i, row in enumerate(x):
        e = np.exp(row - np.max(row))
        probs[i] = e / np.sum(e)
    return probs


def softmax_cross_entropy(logits, labels):
    N = len(logits)
    total = 0.0
    dlogits = np.zeros_like(logits, dtype=float)
    for i in range(N):
        row = logits[i] - np.max(logits[i])
        log_norm = np.log(np.sum(np.exp(row)))
        y = int(labels[i])
        total += log_norm - row[y]
        dlogits[i] = np.exp(row - log_norm)
        dlogits[i, y] -= 1.0
    return total / N, dlogits / N
