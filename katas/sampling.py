"""Kata sampling: temperature, top-k and top-p (nucleus) sampling from logits.

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader sampling

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/sampling.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def sampling_probs(logits, temperature=1.0, top_k=None, top_p=None):
    """The distribution a language model's next token is sampled from.

    Each row of logits is one position's scores over a vocabulary of V
    tokens. The steps, in Hugging Face's order (its temperature, top-k and
    top-p logits warpers, then softmax):

    1. temperature: z = logits / temperature. temperature == 0 means
       greedy decoding: return the one-hot row of the argmax of logits
       (ties: the lowest index, as np.argmax), whatever top_k and top_p.
    2. top_k (when not None): keep the tokens whose z is >= the k-th
       highest z of the row, k = min(top_k, V); every token tied with
       the k-th highest is kept too, so more than k may stay (Hugging
       Face's `scores < kth_value` filter). The others get probability 0.
    3. softmax over the kept tokens: probabilities renormalised over them.
    4. top_p (when not None), the nucleus: order the kept tokens by
       probability, descending, equal probabilities by lower token index
       first (a stable sort). Keep a token when the probability mass of
       the tokens strictly before it in that order is < top_p: so the
       token that crosses top_p is kept, and the most likely token always
       is. The others get probability 0.
    5. renormalise, so that each row sums to 1.

    Be stable: logits of magnitude 1e4 give finite probabilities and no
    warning (subtract the row's maximum before exp; exp(-inf) is 0).
    Raise ValueError when logits is not 2-D, temperature < 0, top_k < 1
    (when not None) or top_p is not in (0, 1] (when not None). Do not
    modify logits.

    Inputs:
    - logits: Array of shape (N, V), float64
    - temperature: A float >= 0; default 1.0
    - top_k: An int >= 1, or None (no top-k filter); default None
    - top_p: A float in (0, 1], or None (no nucleus filter); default None

    Returns:
    - probs: Array of shape (N, V), each row non-negative and summing to 1

    What is graded: the shape of probs; probs against the reference on
    random logits with temperature, top_k and top_p alone and together
    (two arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs, at least 1); that logits is not
    modified; that the same inputs give the same outputs. Edge cases:
    top-k ties with the k-th logit all kept; top_k > V keeping every
    token; the token crossing top_p kept; top-p ties by lower index;
    temperature 0 (argmax, lowest index on ties); logits of +-1e4
    (finite, no warnings); and ValueError for a
    negative temperature, top_k < 1, top_p outside (0, 1] and 1-D logits.
    All inputs are float64. Speed is shown beside the score but never
    counted in it.
    """
    raise NotImplementedError("sampling_probs: not started")


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    """Draw one token per row of logits from sampling_probs's distribution.

    Row i's token is drawn from sampling_probs(logits, temperature, top_k,
    top_p)[i], independently of the other rows: a token of probability 0
    is never drawn. Draw the random numbers from rng, a
    numpy.random.Generator (for example np.random.default_rng(seed));
    when rng is None, use a fresh np.random.default_rng(). The same seed
    must give the same tokens. Never use or change the global np.random
    state (np.random.rand, np.random.choice, np.random.seed, ...).
    temperature == 0 gives the argmax of each row, whatever the rng.
    Raises ValueError where sampling_probs does. Do not modify logits.

    Inputs:
    - logits: Array of shape (N, V), float64
    - temperature, top_k, top_p: as in sampling_probs
    - rng: A numpy.random.Generator, or None; default None

    Returns:
    - tokens: numpy integer array of shape (N,) (any integer dtype; a
      list is not an array: np.array(list_of_tokens)), token ids in [0, V)

    What is graded: the shape and integer dtype of tokens; the support:
    every token drawn (2000 rows of varied logits, top_k and top_p) has a
    nonzero probability; rows are independent: over 10000 identical rows,
    rows 2k and 2k+1 both draw (or both miss) the likeliest token no more
    often than independent rows could, within Hoeffding's bounds around
    your own frequency of it (no random number shared by rows);
    frequencies: over those 10000 rows, each token's frequency lies
    within Hoeffding's bound around its probability, for two
    configurations of 6 tokens. The independence test fails a correct
    answer with probability at most 2e-8, each of the 12 frequency tests
    at most 1e-8: a grading run fails a correct answer with probability
    below 2e-7. Edge cases: temperature 0 and top_k = 1 give the argmax
    (two arrays agree when their shapes are equal and max|a - b| <= 1e-6
    * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the
    largest magnitude among the check's inputs, at least 1); a negative
    temperature raises ValueError. The same seed gives the same tokens,
    another seed (or rng=None, twice) other tokens; the global np.random
    state is neither used nor changed; logits is not modified. Your
    tokens are never compared with the reference's. Speed is shown beside
    the score but never counted in it.
    """
    raise NotImplementedError("sample: not started")
