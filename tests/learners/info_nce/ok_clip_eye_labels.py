# expect: pass
"""CLIP's numpy pseudocode taken literally: labels as np.eye(N), both cross-entropies as -sum(labels * log_softmax) / N, the backward through the normalisation written per row."""
import numpy as np
def _log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))
def info_nce(image_emb, text_emb, temperature=0.07):
    image_emb = np.asarray(image_emb); text_emb = np.asarray(text_emb)
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    if image_emb.ndim != 2 or image_emb.shape != text_emb.shape:
        raise ValueError("embeddings must be (N, D) of one shape")
    n = image_emb.shape[0]
    ni = np.linalg.norm(image_emb, axis=1, keepdims=True)
    nt = np.linalg.norm(text_emb, axis=1, keepdims=True)
    I, T = image_emb / ni, text_emb / nt
    logits = I @ T.T / temperature
    labels = np.eye(n)
    lp_i = _log_softmax(logits)
    lp_t = _log_softmax(logits.T)
    loss_i = -np.sum(labels * lp_i) / n
    loss_t = -np.sum(labels * lp_t) / n
    loss = (loss_i + loss_t) / 2
    dlogits = ((np.exp(lp_i) - labels) + (np.exp(lp_t) - labels).T) / (2 * n)
    dI = dlogits @ T / temperature
    dT = dlogits.T @ I / temperature
    dimage = (dI - I * np.sum(dI * I, axis=1, keepdims=True)) / ni
    dtext = (dT - T * np.sum(dT * T, axis=1, keepdims=True)) / nt
    return loss, dimage, dtext
