# expect: pass
"""One sequence at a time: the learner runs each sequence of the batch through the model on
its own (a batch of 1) and adds up the gradients, weighting each sequence's mean loss by its
share of the scored positions, which is what the batch mean is. Draws the weights layer by
layer, biases of the norms set afterwards."""
import numpy as np

from solutions.attention import causal_mask
from solutions.cross_entropy import cross_entropy
from solutions.embedding import embedding_backward, embedding_forward
from solutions.multihead_attention import mha_backward, mha_forward
from solutions.rmsnorm import rmsnorm_backward, rmsnorm_forward
from solutions.swiglu import swiglu_backward, swiglu_forward


class TinyGPT:
    def __init__(self, vocab_size, context, d_model=16, num_heads=2, num_layers=1, d_hidden=32, seed=None):
        rng = np.random.default_rng(seed)
        self.num_heads, self.num_layers = num_heads, num_layers
        shapes = {"w_out": (d_model, vocab_size), "token_embedding": (vocab_size, d_model),
                  "position_embedding": (context, d_model)}
        for i in range(num_layers):
            for name in ("w_q", "w_k", "w_v", "w_o"):
                shapes[f"layers.{i}.{name}"] = (d_model, d_model)
            shapes[f"layers.{i}.w_gate"] = shapes[f"layers.{i}.w_up"] = (d_model, d_hidden)
            shapes[f"layers.{i}.w_down"] = (d_hidden, d_model)
        self.params = {name: 0.02 * rng.standard_normal(shape) for name, shape in shapes.items()}
        for i in range(num_layers):
            self.params[f"layers.{i}.attn_norm"] = np.ones(d_model)
            self.params[f"layers.{i}.mlp_norm"] = np.ones(d_model)
        self.params["final_norm"] = np.ones(d_model)

    def _one(self, ids, targets):
        """logits (1, T, V) of one sequence ids (1, T); with targets (1, T), also its mean loss and grads."""
        p, T = self.params, ids.shape[1]
        h, token_cache = embedding_forward(ids, p["token_embedding"])
        for t in range(T):
            h[0, t] = h[0, t] + p["position_embedding"][t]
        caches = []
        for i in range(self.num_layers):
            w = lambda name: p[f"layers.{i}.{name}"]
            n1, c1 = rmsnorm_forward(h, w("attn_norm"))
            a, c2 = mha_forward(n1, w("w_q"), w("w_k"), w("w_v"), w("w_o"), self.num_heads, causal_mask(T))
            h = h + a
            n2, c3 = rmsnorm_forward(h, w("mlp_norm"))
            m, c4 = swiglu_forward(n2, w("w_gate"), w("w_up"), w("w_down"))
            h = h + m
            caches.append((c1, c2, c3, c4))
        f, cf = rmsnorm_forward(h, p["final_norm"])
        logits = f @ p["w_out"]
        if targets is None:
            return logits
        loss, dlogits = cross_entropy(logits, targets)
        grads = {"w_out": f[0].T @ dlogits[0]}
        dh, grads["final_norm"] = rmsnorm_backward(dlogits @ p["w_out"].T, cf)
        for i in reversed(range(self.num_layers)):
            c1, c2, c3, c4 = caches[i]
            key = lambda name: f"layers.{i}.{name}"
            dn2, grads[key("w_gate")], grads[key("w_up")], grads[key("w_down")] = swiglu_backward(dh, c4)
            d, grads[key("mlp_norm")] = rmsnorm_backward(dn2, c3)
            dh = dh + d
            dn1, grads[key("w_q")], grads[key("w_k")], grads[key("w_v")], grads[key("w_o")] = mha_backward(dh, c2)
            d, grads[key("attn_norm")] = rmsnorm_backward(dn1, c1)
            dh = dh + d
        grads["token_embedding"] = embedding_backward(dh, token_cache)
        grads["position_embedding"] = np.zeros_like(p["position_embedding"])
        for t in range(T):
            grads["position_embedding"][t] += dh[0, t]
        return logits, loss, grads

    def loss(self, ids, targets=None):
        if targets is None:
            return np.concatenate([self._one(ids[n:n + 1], None) for n in range(len(ids))])
        kept = [int(np.sum(row != -100)) for row in targets]
        total = max(sum(kept), 1)
        loss, grads = 0.0, {name: np.zeros_like(value) for name, value in self.params.items()}
        for n in range(len(ids)):
            if kept[n] == 0:
                continue
            _, one_loss, one_grads = self._one(ids[n:n + 1], targets[n:n + 1])
            share = kept[n] / total
            loss += share * one_loss
            for name in grads:
                grads[name] += share * one_grads[name]
        return float(loss), grads
