# expect-group-fail: gradient
# diagnosis: gradient stops at the normalised rows
"""Normalises in the forward pass but back-propagates only to the normalised rows, treating x / |x| as a constant rescaling, because the normalisation "has no parameters"; it still depends on x."""
import numpy as np


def _log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def info_nce(image_emb, text_emb, temperature=0.07):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    if image_emb.ndim != 2 or image_emb.shape != text_emb.shape:
        raise ValueError("shapes differ")
    N = len(image_emb)
    img = image_emb / np.linalg.norm(image_emb, axis=1, keepdims=True)
    txt = text_emb / np.linalg.norm(text_emb, axis=1, keepdims=True)
    logits = img @ txt.T / temperature
    a, b = _log_softmax(logits), _log_softmax(logits.T)
    loss = -(np.trace(a) + np.trace(b)) / (2 * N)
    I = np.eye(N)
    d = ((np.exp(a) - I) + (np.exp(b) - I).T) / (2 * N) / temperature
    return loss, d @ txt, d.T @ img
