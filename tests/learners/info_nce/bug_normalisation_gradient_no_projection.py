# expect-group-fail: value
# diagnosis: normalisation's gradient without the projection
"""Back through x / |x| as if |x| were a constant: dx = dx_n / |x|, missing the term -x_n * sum(dx_n * x_n) / |x| from the norm's own dependence on x."""
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
    dimage = dI / ni
    dtext = dT / nt
    return loss, dimage, dtext
