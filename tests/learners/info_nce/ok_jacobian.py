# expect: pass
"""Back through the normalisation with its explicit Jacobian (I - x_n x_n^T)/|x| per row, via einsum, and the column softmax taken along axis 0 instead of transposing."""
import numpy as np


def info_nce(image_emb, text_emb, temperature=0.07):
    image_emb = np.asarray(image_emb, dtype=np.float64)
    text_emb = np.asarray(text_emb, dtype=np.float64)
    if temperature <= 0 or image_emb.ndim != 2 or image_emb.shape != text_emb.shape:
        raise ValueError("need temperature > 0 and two (N, D) arrays of one shape")
    N, D = image_emb.shape
    rx = np.sqrt(np.einsum("nd,nd->n", image_emb, image_emb))
    ry = np.sqrt(np.einsum("nd,nd->n", text_emb, text_emb))
    x, y = image_emb / rx[:, None], text_emb / ry[:, None]
    S = x @ y.T / temperature
    log_rows = S - np.logaddexp.reduce(S, axis=1, keepdims=True)
    log_cols = S - np.logaddexp.reduce(S, axis=0, keepdims=True)
    loss = -0.5 * (np.mean(np.diag(log_rows)) + np.mean(np.diag(log_cols)))
    dS = (np.exp(log_rows) + np.exp(log_cols) - 2 * np.eye(N)) / (2 * N * temperature)
    jac_x = (np.eye(D)[None] - np.einsum("ni,nj->nij", x, x)) / rx[:, None, None]
    jac_y = (np.eye(D)[None] - np.einsum("ni,nj->nij", y, y)) / ry[:, None, None]
    return loss, np.einsum("nij,nj->ni", jac_x, dS @ y), np.einsum("nij,nj->ni", jac_y, dS.T @ x)
