"""Cross-check the tiny_gpt reference against the same decoder written in PyTorch, in float64: logits, loss and
the gradient of every parameter (autograd).

The torch model is the contract's formula read literally: embeddings, pre-norm blocks with F.rms_norm (eps 1e-6),
per-head F.scaled_dot_product_attention with the causal mask, a SwiGLU MLP, a final rms_norm, logits @ w_out, and
F.cross_entropy with ignore_index -100. Weights multiply on the right, as in the katas.
"""

import numpy as np
import pytest

from solutions import tiny_gpt as reference
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _torch_loss(p, ids, targets, num_heads, num_layers):
    N, T = ids.shape
    D = p["token_embedding"].shape[1]
    h = p["token_embedding"][ids] + p["position_embedding"][:T]
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    for i in range(num_layers):
        w = {name: p[f"layers.{i}.{name}"] for name in ("w_q", "w_k", "w_v", "w_o", "w_gate", "w_up", "w_down")}
        x = F.rms_norm(h, (D,), weight=p[f"layers.{i}.attn_norm"], eps=1e-6)

        def heads(a):
            return a.reshape(N, T, num_heads, D // num_heads).transpose(1, 2)
        out = F.scaled_dot_product_attention(heads(x @ w["w_q"]), heads(x @ w["w_k"]), heads(x @ w["w_v"]),
                                             attn_mask=causal)
        h = h + out.transpose(1, 2).reshape(N, T, D) @ w["w_o"]
        x = F.rms_norm(h, (D,), weight=p[f"layers.{i}.mlp_norm"], eps=1e-6)
        h = h + (F.silu(x @ w["w_gate"]) * (x @ w["w_up"])) @ w["w_down"]
    logits = F.rms_norm(h, (D,), weight=p["final_norm"], eps=1e-6) @ p["w_out"]
    return logits, F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100)


@pytest.mark.parametrize("sizes, batch", [
    (dict(vocab_size=7, context=6, d_model=8, num_heads=2, num_layers=2, d_hidden=12), (3, 5)),
    (dict(vocab_size=5, context=4, d_model=4, num_heads=4, num_layers=1, d_hidden=6), (2, 4)),
    (dict(vocab_size=9, context=3, d_model=6, num_heads=1, num_layers=1, d_hidden=5), (4, 1)),
])
def test_tiny_gpt_matches_torch(sizes, batch):
    rng = np.random.default_rng(sum(batch) + sizes["d_model"])
    model = reference.TinyGPT(**sizes, seed=1)
    # Weights far from the initial 0.02, gains away from 1: every part of the model matters to the logits.
    model.params = {name: (1.0 + 0.2 * rng.standard_normal(value.shape)) if name.endswith("norm")
                    else rng.standard_normal(value.shape) / np.sqrt(value.shape[0])
                    for name, value in model.params.items()}
    ids = rng.integers(0, sizes["vocab_size"], size=batch)
    targets = rng.integers(0, sizes["vocab_size"], size=batch)
    targets[rng.random(batch) < 0.3] = -100
    targets[0, 0] = 1  # at least one position scored

    logits = model.loss(ids)
    loss, grads = model.loss(ids, targets)

    tensors = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
               for name, value in model.params.items()}
    expected_logits, expected_loss = _torch_loss(tensors, torch.tensor(ids), torch.tensor(targets),
                                                 sizes["num_heads"], sizes["num_layers"])
    expected_loss.backward()

    assert_agrees("logits", expected_logits, logits)
    assert_agrees("loss", expected_loss, np.array(loss))
    assert set(grads) == set(tensors)
    for name, tensor in tensors.items():
        assert_agrees(f"grads[{name!r}]", tensor.grad, grads[name])
