# expect-group-fail: value
# diagnosis: normalised along the wrong axis
"""np.linalg.norm(x, axis=0): normalises each feature column instead of each embedding row (the axis argument of the norm is the slip), and the gradient divides by that norm alone."""
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
    ni = np.linalg.norm(image_emb, axis=0, keepdims=True)
    nt = np.linalg.norm(text_emb, axis=0, keepdims=True)
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
    dimage = dI / ni
    dtext = dT / nt
    return loss, dimage, dtext
