# expect-fail: gradient dlogits
"""softmax_cross_entropy keeps its (loss, dlogits) in a module-level dict keyed by logits.shape,
because the learner saw the same (batch size, classes) come back every iteration of the training
loop and wanted to skip "recomputing the same thing"; but the shape does not identify the logits, so
any later call with new logits of a shape already seen gets the first call's stale answer."""
import numpy as np

_results = {}


def softmax(x):
    z = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    key = logits.shape
    if key in _results:
        return _results[key]
    N = logits.shape[0]
    z = logits - logits.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    rows = np.arange(N)
    loss = -np.mean(log_probs[rows, labels])
    dlogits = np.exp(log_probs)
    dlogits[rows, labels] -= 1.0
    dlogits /= N
    _results[key] = (loss, dlogits)
    return loss, dlogits
