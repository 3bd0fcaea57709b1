# expect-fail: the defaults
"""num_heads=4 as the default, as in a config copied from a larger model: right whenever the
grader passes num_heads, wrong for TinyGPT(vocab_size, context) alone."""
import numpy as np

from solutions.attention import causal_mask
from solutions.cross_entropy import cross_entropy
from solutions.embedding import embedding_backward, embedding_forward
from solutions.multihead_attention import mha_backward, mha_forward
from solutions.rmsnorm import rmsnorm_backward, rmsnorm_forward
from solutions.swiglu import swiglu_backward, swiglu_forward


class TinyGPT:
    def __init__(self, vocab_size, context, d_model=16, num_heads=4, num_layers=1, d_hidden=32, seed=None):
        rng = np.random.default_rng(seed)
        self.heads, self.depth = num_heads, num_layers
        D, H = d_model, d_hidden
        P = {}
        P["token_embedding"] = rng.normal(0.0, 0.02, (vocab_size, D))
        P["position_embedding"] = rng.normal(0.0, 0.02, (context, D))
        for i in range(num_layers):
            P[f"layers.{i}.attn_norm"] = np.ones(D)
            for name in ("w_q", "w_k", "w_v", "w_o"):
                P[f"layers.{i}.{name}"] = rng.normal(0.0, 0.02, (D, D))
            P[f"layers.{i}.mlp_norm"] = np.ones(D)
            P[f"layers.{i}.w_gate"] = rng.normal(0.0, 0.02, (D, H))
            P[f"layers.{i}.w_up"] = rng.normal(0.0, 0.02, (D, H))
            P[f"layers.{i}.w_down"] = rng.normal(0.0, 0.02, (H, D))
        P["final_norm"] = np.ones(D)
        P["w_out"] = rng.normal(0.0, 0.02, (D, vocab_size))
        self.params = P

    def loss(self, ids, targets=None):
        P = self.params
        N, T = ids.shape
        tok, tok_cache = embedding_forward(ids, P["token_embedding"])
        pos, pos_cache = embedding_forward(np.arange(T), P["position_embedding"])
        x = tok + pos
        mask = causal_mask(T)
        stack = []
        for i in range(self.depth):
            L = f"layers.{i}."
            a_in, c1 = rmsnorm_forward(x, P[L + "attn_norm"])
            a_out, c2 = mha_forward(a_in, P[L + "w_q"], P[L + "w_k"], P[L + "w_v"], P[L + "w_o"], self.heads, mask)
            x = x + a_out
            m_in, c3 = rmsnorm_forward(x, P[L + "mlp_norm"])
            m_out, c4 = swiglu_forward(m_in, P[L + "w_gate"], P[L + "w_up"], P[L + "w_down"])
            x = x + m_out
            stack.append((c1, c2, c3, c4))
        xf, cf = rmsnorm_forward(x, P["final_norm"])
        logits = xf @ P["w_out"]
        if targets is None:
            return logits
        loss, dlogits = cross_entropy(logits, targets)
        g = {}
        g["w_out"] = np.einsum("ntd,ntv->dv", xf, dlogits)
        dx, g["final_norm"] = rmsnorm_backward(dlogits @ P["w_out"].T, cf)
        for i in range(self.depth - 1, -1, -1):
            L = f"layers.{i}."
            c1, c2, c3, c4 = stack[i]
            dm, g[L + "w_gate"], g[L + "w_up"], g[L + "w_down"] = swiglu_backward(dx, c4)
            dm_in, g[L + "mlp_norm"] = rmsnorm_backward(dm, c3)
            dx = dx + dm_in
            da, g[L + "w_q"], g[L + "w_k"], g[L + "w_v"], g[L + "w_o"] = mha_backward(dx, c2)
            da_in, g[L + "attn_norm"] = rmsnorm_backward(da, c1)
            dx = dx + da_in
        g["token_embedding"] = embedding_backward(dx, tok_cache)
        g["position_embedding"] = embedding_backward(dx.sum(axis=0), pos_cache)
        return float(loss), g
