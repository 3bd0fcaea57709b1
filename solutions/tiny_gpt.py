"""Reference solution for the tiny_gpt kata: a decoder-only Transformer from the Transformer katas.

The model is its layers' forward passes in a row, each keeping its cache, and
the backward passes in the opposite order. The two new pieces are the
residual stream (a block adds to h, so h's gradient is the sum of what comes
back along the skip and through the block) and the learned position
embedding (one row per position, whose gradient sums over the batch).
"""

import numpy as np

from .attention import causal_mask
from .cross_entropy import cross_entropy
from .embedding import embedding_backward, embedding_forward
from .multihead_attention import mha_backward, mha_forward
from .rmsnorm import rmsnorm_backward, rmsnorm_forward
from .swiglu import swiglu_backward, swiglu_forward


class TinyGPT:
    """A decoder-only Transformer language model, pre-norm, LLaMA-style:

        h = token_embedding[ids] + position_embedding[0 .. T-1]
        for each of num_layers blocks:
            h = h + mha(rmsnorm(h), causal mask)
            h = h + swiglu(rmsnorm(h))
        logits = rmsnorm(h) @ w_out

    built from your own katas: embedding_forward/backward (embedding),
    mha_forward/backward (multihead_attention), rmsnorm_forward/backward
    (rmsnorm, default eps), swiglu_forward/backward (swiglu) and
    cross_entropy (cross_entropy, no label smoothing, ignore_index -100);
    causal_mask (attention) gives the mask. The grader trains it with the
    adam of your optimizers kata.

    Shapes, for ids of shape (N, T) with T <= context, D = d_model:
    - h, every block's input and output: (N, T, D);
    - the position embedding's rows 0 .. T-1 are added to every sequence
      (broadcast over N);
    - attention is causal: position t attends to positions 0 .. t;
    - logits: (N, T, vocab_size).

    Attributes:
    - params: a dict of float64 arrays, these keys and shapes (i = 0 ..
      num_layers - 1):
        "token_embedding"     (vocab_size, D)
        "position_embedding"  (context, D)
        "layers.i.attn_norm"  (D,)     rmsnorm gain before attention
        "layers.i.w_q", "layers.i.w_k", "layers.i.w_v", "layers.i.w_o"
                              (D, D)   mha's weights, num_heads heads
        "layers.i.mlp_norm"   (D,)     rmsnorm gain before the MLP
        "layers.i.w_gate", "layers.i.w_up"
                              (D, d_hidden)
        "layers.i.w_down"     (d_hidden, D)
        "final_norm"          (D,)
        "w_out"               (D, vocab_size)
      loss() reads the weights from self.params at every call: the grader
      sets entries of it (model.params["w_out"] = new_w_out) to train the
      model and to differentiate the loss numerically.

    What is graded: all arrays are float64, and two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (ids and params included), at least 1: an exact 0 that your
    formula computes as rounding noise agrees with 0. Checked:
    - the shapes of params, of the logits and of the grads;
    - the initial weights: every entry of params but the norm gains has a
      standard deviation within 25% of 0.02 and mean about 0 (up to 0.005)
      per array; every norm gain is all ones;
    - the initial loss of a model of vocab_size 10 on 4 sequences of 7
      tokens is within 0.05 of log(10) (weights of 0.02 make every logit
      about 0);
    - with params the grader sets (vocab_size 7, context 6, d_model 8, 2
      heads, 2 layers, d_hidden 12; ids and targets (3, 5), about a
      quarter of the targets -100): the logits and the loss against the
      reference's;
    - the gradient of every parameter, on a smaller model (vocab_size 4,
      context 3, d_model 2, 2 heads, 1 layer, d_hidden 3; ids (2, 2), so
      the last row of position_embedding is unused and its gradient 0):
      against the reference's, and against central-difference numerical
      gradients of your own loss, every element;
    - edge cases: one token (T = 1), one head, heads of size 1 (num_heads
      = d_model = 4), and TinyGPT(vocab_size, context) with every other
      argument left at its default;
    - ids and targets not modified; the same seed giving the same weights,
      another seed other weights, the global np.random state unchanged;
    - training: the copy task. Sequences of 2 * 5 tokens, the first 5
      drawn at random from 10 symbols and repeated as the last 5; the
      model reads tokens 0 .. 8 and predicts tokens 1 .. 9, with targets
      -100 where the next token is random (it cannot be predicted), so
      only the copied half is scored. Only attention can solve it:
      position t must look back 4 positions. A model of vocab_size 10,
      context 9, d_model 16, 2 heads, 1 layer, d_hidden 32 (seed 0) is
      trained with your adam (learning_rate 1e-2, minibatches of 32 of
      256 training sequences, at most 60 epochs; it stops after the first
      epoch at whose end every copied token of the 256 is predicted right,
      typically the fourth) and must predict every copied token right, as
      the grader counts it from your logits. The scorecard shows the loss
      curve. The adam is the one in optimizers.py beside the graded file
      (katas/optimizers.py for katas/tiny_gpt.py); where there is none,
      the optimizers module of the package your layers are imported from.
    The time limit for all of it is 30 s (the reference takes under 1 s).
    """

    def __init__(self, vocab_size, context, d_model=16, num_heads=2, num_layers=1, d_hidden=32, seed=None):
        """Draw the initial weights; set self.params.

        Inputs:
        - vocab_size: Number of token ids, V
        - context: Longest sequence the model reads (rows of the position
          embedding)
        - d_model: Width D of the residual stream
        - num_heads: Heads of each attention layer (it divides d_model)
        - num_layers: Number of blocks
        - d_hidden: Hidden width of each SwiGLU MLP
        - seed: Seed of the generator the weights are drawn from

        Every array of params but the norm gains is 0.02 times standard
        normal draws from np.random.default_rng(seed) (one generator for
        all, drawn in any order); every norm gain is ones. The global
        np.random state is neither used nor changed. All are float64.
        """
        rng = np.random.default_rng(seed)
        self.num_heads, self.num_layers = num_heads, num_layers

        def weight(*shape):
            return 0.02 * rng.standard_normal(shape)

        D = d_model
        self.params = {"token_embedding": weight(vocab_size, D), "position_embedding": weight(context, D)}
        for i in range(num_layers):
            self.params.update({
                f"layers.{i}.attn_norm": np.ones(D),
                f"layers.{i}.w_q": weight(D, D), f"layers.{i}.w_k": weight(D, D),
                f"layers.{i}.w_v": weight(D, D), f"layers.{i}.w_o": weight(D, D),
                f"layers.{i}.mlp_norm": np.ones(D),
                f"layers.{i}.w_gate": weight(D, d_hidden), f"layers.{i}.w_up": weight(D, d_hidden),
                f"layers.{i}.w_down": weight(d_hidden, D),
            })
        self.params.update({"final_norm": np.ones(D), "w_out": weight(D, vocab_size)})

    def loss(self, ids, targets=None):
        """Logits of a batch of sequences, or the loss and its gradients.

        Inputs:
        - ids: Token ids, integers of shape (N, T), T <= context
        - targets: The next token at each position, integers of shape
          (N, T), or -100 where a position is not scored; or None

        Returns:
        - if targets is None: logits, of shape (N, T, vocab_size);
        - else a tuple of:
          - loss: a float, cross_entropy(logits, targets), the mean over
            the positions whose target is not -100 (0.0 if none is);
          - grads: a dict with the keys of self.params, grads[k] the
            gradient of loss with respect to self.params[k], of its shape
            (rows of position_embedding past T get 0).

        Do not modify ids or targets.
        """
        p, T = self.params, ids.shape[1]
        positions = np.arange(T)
        tokens, token_cache = embedding_forward(ids, p["token_embedding"])
        where, position_cache = embedding_forward(positions, p["position_embedding"])
        h = tokens + where  # (N, T, D) + (T, D)
        mask = causal_mask(T)

        caches = []
        for i in range(self.num_layers):
            layer = f"layers.{i}."
            normed, attn_norm_cache = rmsnorm_forward(h, p[layer + "attn_norm"])
            attended, mha_cache = mha_forward(normed, p[layer + "w_q"], p[layer + "w_k"], p[layer + "w_v"],
                                              p[layer + "w_o"], self.num_heads, mask)
            h = h + attended
            normed, mlp_norm_cache = rmsnorm_forward(h, p[layer + "mlp_norm"])
            mixed, swiglu_cache = swiglu_forward(normed, p[layer + "w_gate"], p[layer + "w_up"], p[layer + "w_down"])
            h = h + mixed
            caches.append((attn_norm_cache, mha_cache, mlp_norm_cache, swiglu_cache))
        final, final_cache = rmsnorm_forward(h, p["final_norm"])
        logits = final @ p["w_out"]
        if targets is None:
            return logits

        loss, dlogits = cross_entropy(logits, targets)
        D = final.shape[-1]
        grads = {"w_out": final.reshape(-1, D).T @ dlogits.reshape(-1, dlogits.shape[-1])}
        dh, grads["final_norm"] = rmsnorm_backward(dlogits @ p["w_out"].T, final_cache)
        for i in reversed(range(self.num_layers)):
            layer, (attn_norm_cache, mha_cache, mlp_norm_cache, swiglu_cache) = f"layers.{i}.", caches[i]
            # h_out = h_in + block(h_in): the skip passes dh on unchanged, the block adds its own part.
            dnormed, grads[layer + "w_gate"], grads[layer + "w_up"], grads[layer + "w_down"] = \
                swiglu_backward(dh, swiglu_cache)
            dblock, grads[layer + "mlp_norm"] = rmsnorm_backward(dnormed, mlp_norm_cache)
            dh = dh + dblock
            dnormed, grads[layer + "w_q"], grads[layer + "w_k"], grads[layer + "w_v"], grads[layer + "w_o"] = \
                mha_backward(dh, mha_cache)
            dblock, grads[layer + "attn_norm"] = rmsnorm_backward(dnormed, attn_norm_cache)
            dh = dh + dblock
        grads["token_embedding"] = embedding_backward(dh, token_cache)
        # Every sequence of the batch used position t's row: sum over N, and rows past T get 0.
        grads["position_embedding"] = embedding_backward(dh.sum(axis=0), position_cache)
        return float(loss), {name: grads[name] for name in p}
