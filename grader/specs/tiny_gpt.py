"""tiny_gpt: the Transformer capstone, a pre-norm decoder built from the learner's Transformer katas, checked whole
(grader/authoring/model.py) and trained with the learner's adam on the copy task until every copied token is right."""
from __future__ import annotations

import numpy as np

from grader.authoring.datasets import copy_sequences
from grader.authoring.kata import CheckFailed
from grader.authoring.model import Edge, InitialLoss, Mistake, Model, Net, Trained, Training, model_kata
from grader.checks.progress import curve

NET = Net("small model", {"vocab_size": 7, "context": 6, "d_model": 8, "num_heads": 2, "num_layers": 2,
                          "d_hidden": 12}, n=3)
#: Training: the copy task, HALF symbols of SYMBOLS repeated once, SAMPLES sequences, at most EPOCHS epochs of
#: adam on minibatches of BATCH.
HALF, SYMBOLS, SAMPLES, EPOCHS, BATCH, LEARNING_RATE = 5, 10, 256, 60, 32, 1e-2
TRAIN_NET = Net("training model", {"vocab_size": SYMBOLS, "context": 2 * HALF - 1, "d_model": 16, "num_heads": 2,
                                   "num_layers": 1, "d_hidden": 32}, n=BATCH)
IGNORED = -100


def _batch(rng: np.random.Generator, net: Net) -> tuple[np.ndarray, np.ndarray]:
    """ids (N, T) with T = context - 1 (the last position row unused: its gradient must be 0), and targets with
    about a quarter of the positions ignored."""
    shape, vocabulary = (net.n, max(net.kwargs["context"] - 1, 1)), net.kwargs["vocab_size"]
    targets = rng.integers(0, vocabulary, size=shape)
    targets[rng.random(shape) < 0.25] = IGNORED
    return rng.integers(0, vocabulary, size=shape), targets


def _copied(trained: Trained, targets: np.ndarray) -> str:
    """Every copied token predicted right, counted here from the trained model's logits."""
    scored = targets != IGNORED
    right, total = int(np.sum(np.argmax(trained.outputs, axis=-1)[scored] == targets[scored])), int(scored.sum())
    run = f"{trained.epochs or '?'} epochs ({len(trained.losses)} steps of your adam, learning_rate " \
          f"{LEARNING_RATE:g}, minibatches of {BATCH}; {trained.seconds:.2f} s)"
    if right < total:
        raise CheckFailed(f"after {run}, {right} of the {total} copied tokens are predicted right (accuracy "
                          f"{right / total:.3f}), not all; loss {curve(trained.losses)}")
    return f"every copied token of {SAMPLES} sequences right after {run}; loss {curve(trained.losses)}"


def _logits(causal=True, positions=True, pre_norm=True, final_norm=True, residual=True):
    """A Mistake's `outputs`: the reference model's logits with one part changed (each keyword False: left out,
    or for pre_norm, each block's rmsnorm applied after the residual sum, as the original Transformer)."""
    def outputs(reference, model, ids):
        p, T = model.params, ids.shape[1]
        h = p["token_embedding"][ids] + (p["position_embedding"][:T] if positions else 0)
        mask = reference.causal_mask(T) if causal else None

        def block(h, norm, layer):
            if not pre_norm:
                return reference.rmsnorm_forward(h + layer(h), p[norm])[0]
            out = layer(reference.rmsnorm_forward(h, p[norm])[0])
            return h + out if residual else out
        for i in range(model.num_layers):
            w = [p[f"layers.{i}.{name}"] for name in ("w_q", "w_k", "w_v", "w_o", "w_gate", "w_up", "w_down")]
            h = block(h, f"layers.{i}.attn_norm", lambda x: reference.mha_forward(x, *w[:4], model.num_heads, mask)[0])
            h = block(h, f"layers.{i}.mlp_norm", lambda x: reference.swiglu_forward(x, *w[4:])[0])
        return (reference.rmsnorm_forward(h, p["final_norm"])[0] if final_norm else h) @ p["w_out"]
    return outputs


def _param_shapes(num_layers: int) -> dict[str, str]:
    layer = {"attn_norm": "(D,)", **{w: "(D, D)" for w in ("w_q", "w_k", "w_v", "w_o")}, "mlp_norm": "(D,)",
             "w_gate": "(D, d_hidden)", "w_up": "(D, d_hidden)", "w_down": "(d_hidden, D)"}
    return {"token_embedding": "(vocab_size, D)", "position_embedding": "(context, D)",
            **{f"layers.{i}.{name}": shape for i in range(num_layers) for name, shape in layer.items()},
            "final_norm": "(D,)", "w_out": "(D, vocab_size)"}


TINY_GPT = Model(
    name="TinyGPT",
    outputs="logits",
    params=_param_shapes(1),  # the gradient model's; a second layer's are alike
    batch=_batch,
    net=NET,
    # Small, so that numerical gradients cover every element fast (each costs two loss calls): 62 elements.
    gradient_net=Net("tiny model", {"vocab_size": 4, "context": 3, "d_model": 2, "num_heads": 2, "num_layers": 1,
                                    "d_hidden": 3}, n=2),
    init_net=NET.variant("initial weights", vocab_size=64, context=16, d_model=32, d_hidden=64),
    initial_loss=InitialLoss(
        "initial loss near log(vocab_size)", NET.variant("fresh model", vocab_size=10, context=7, num_layers=1),
        lambda: copy_sequences(4, 4, 10, seed=1), expected=float(np.log(10)), tolerance=0.05,
        why="weights of 0.02 make every logit about 0, so every token about equally likely: a loss of log(10)"),
    edges=(
        Edge("one token (T = 1)", NET.variant("one token", n=3, context=2),
             why="a sequence of one token attends to itself alone"),
        Edge("one head", NET.variant("one head", num_heads=1),
             why="num_heads = 1 is one head of size d_model"),
        Edge("heads of size 1", NET.variant("heads of size 1", d_model=4, num_heads=4),
             why="num_heads = d_model gives heads of size 1"),
        Edge("the defaults", Net("defaults", {"vocab_size": 7, "context": 6}, n=2),
             why="TinyGPT(vocab_size, context) has d_model=16, num_heads=2, num_layers=1 and d_hidden=32"),
    ),
    mistakes=(
        Mistake("no causal mask",
                "Your logits match the model without the causal mask: every position also attends to the later "
                "ones, so in training it reads the very token it must predict. Pass causal_mask(T) to every "
                "mha_forward.", outputs=_logits(causal=False), hint="no causal mask in attention"),
        Mistake("no position embedding",
                "Your logits match the model without the position embedding: attention alone cannot tell the "
                "positions apart. Add position_embedding[:T] (rows 0 .. T-1) to the token embeddings.",
                outputs=_logits(positions=False), hint="no position embedding"),
        Mistake("post-norm blocks",
                "Your logits match post-norm blocks, h = rmsnorm(h + block(h)), as in the original Transformer: "
                "this model is pre-norm, h = h + block(rmsnorm(h)), the residual stream never normalised but by "
                "the final rmsnorm.", outputs=_logits(pre_norm=False), hint="blocks normalised after the sum"),
        Mistake("no final rmsnorm",
                "Your logits match the model without the final rmsnorm: normalise h with final_norm before "
                "w_out.", outputs=_logits(final_norm=False), hint="no final rmsnorm before w_out"),
        Mistake("no residual connections",
                "Your logits match blocks without their skip connections, h = block(rmsnorm(h)): each block adds "
                "to the stream, h = h + block(rmsnorm(h)).", outputs=_logits(residual=False),
                hint="blocks replace h instead of adding to it"),
    ),
    training=Training("learns the copy task with your adam", TRAIN_NET, "train_classifier",
                      lambda: copy_sequences(SAMPLES, HALF, SYMBOLS, seed=0), judge=_copied, samples="sequences",
                      options=dict(epochs=EPOCHS, batch_size=BATCH, learning_rate=LEARNING_RATE)),
    weights=lambda name: not name.endswith("norm"),
    init_std=0.02,
    others=1.0,
    reg=False,
    arguments=("ids", "targets"),
)

KATA = model_kata(
    TINY_GPT, "loss(ids, targets) with grads, a minibatch of 32 sequences of 9 tokens, the training model",
    name="tiny_gpt",
    title="capstone: a tiny GPT from your Transformer katas, trained with your adam on the copy task",
    depends_on=("embedding", "multihead_attention", "rmsnorm", "swiglu", "cross_entropy", "attention", "optimizers"),
    timeout=30.0,
    hints=(
        "Chain your own katas, keeping every cache: embeddings, then each block's two sublayers, each "
        "h = h + sublayer(rmsnorm(h)), then the final rmsnorm and w_out. Backward runs them in reverse; at "
        "each residual sum the gradient goes both ways and adds up.",
        "Forward: h = embedding(ids, token_embedding) + position_embedding[:T]; attention gets causal_mask(T); "
        "logits = rmsnorm(h, final_norm) @ w_out; cross_entropy gives the loss and dlogits. Backward: "
        "dw_out = final^T @ dlogits over every position, then for each block in reverse "
        "dh = dh + rmsnorm_backward(swiglu_backward(dh)), and the same through mha.",
        "grads['position_embedding'] = embedding_backward(dh.sum(axis=0), cache of positions np.arange(T)): "
        "every sequence uses the same rows, and rows past T get 0; grads['token_embedding'] = "
        "embedding_backward(dh, the token cache).",
    ),
)
