# expect-group-fail: value
# diagnosis: no normalisation
"""Uses the raw dot products as logits, because encoders in many code bases already return unit vectors (CLIP normalises right before the loss), but these embeddings are not, and the loss must not depend on their lengths."""
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
    logits = image_emb @ text_emb.T / temperature
    a, b = _log_softmax(logits), _log_softmax(logits.T)
    loss = -(np.trace(a) + np.trace(b)) / (2 * N)
    I = np.eye(N)
    d = ((np.exp(a) - I) + (np.exp(b) - I).T) / (2 * N) / temperature
    return loss, d @ text_emb, d.T @ image_emb
