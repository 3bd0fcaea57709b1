# expect: pass
"""Loops everywhere: norms by math.sqrt of dot products, logits entry by entry, a cross-entropy helper over rows applied to L and to a copy of L.T, and the normalisation's Jacobian (I - x_n x_n^T)/|x| built explicitly per row."""
import math
import numpy as np
def _ce_rows(L):
    n = L.shape[0]
    loss = 0.0; d = np.zeros_like(L)
    for i in range(n):
        row = L[i]
        m = row.max()
        e = np.exp(row - m)
        s = e.sum()
        loss += -(row[i] - m - math.log(s))
        d[i] = e / s
        d[i, i] -= 1.0
    return loss / n, d / n
def info_nce(image_emb, text_emb, temperature=0.07):
    if not temperature > 0:
        raise ValueError("temperature")
    x = np.asarray(image_emb, dtype=float); y = np.asarray(text_emb, dtype=float)
    if x.ndim != 2 or y.ndim != 2 or x.shape != y.shape:
        raise ValueError("shapes")
    n, D = x.shape
    xn = np.empty_like(x); yn = np.empty_like(y); rx = np.empty(n); ry = np.empty(n)
    for i in range(n):
        rx[i] = math.sqrt(float(np.dot(x[i], x[i]))); ry[i] = math.sqrt(float(np.dot(y[i], y[i])))
        xn[i] = x[i] / rx[i]; yn[i] = y[i] / ry[i]
    L = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            L[i, j] = np.dot(xn[i], yn[j]) / temperature
    l1, d1 = _ce_rows(L)
    l2, d2 = _ce_rows(L.T.copy())
    dL = 0.5 * (d1 + d2.T)
    dxn = dL @ yn / temperature
    dyn = dL.T @ xn / temperature
    dx = np.zeros_like(x); dy = np.zeros_like(y)
    for i in range(n):
        Jx = (np.eye(D) - np.outer(xn[i], xn[i])) / rx[i]
        Jy = (np.eye(D) - np.outer(yn[i], yn[i])) / ry[i]
        dx[i] = Jx.T @ dxn[i]; dy[i] = Jy.T @ dyn[i]
    return 0.5 * (l1 + l2), dx, dy
