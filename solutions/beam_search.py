"""Reference solution for the beam_search kata: beam search over a step function."""

import numpy as np



def beam_search(step_fn, bos, eos, beam_width, max_len, length_norm=False):
    """Beam search: the most likely sequence a step function generates, approximately.

    step_fn(prefix) gives the log-probabilities of the next token: prefix
    is a list of ints starting with bos (the tokens so far), the result a
    1-D array of V log-probabilities, one per token id 0..V-1. A
    hypothesis is a prefix with its score, the SUM of the log-probabilities
    of its generated tokens (add log-probs; never multiply probabilities).

    The algorithm, exactly:
    - the beam starts as one live hypothesis, ([bos], 0.0);
    - each step expands every live hypothesis by every token: V
      candidates each, a candidate's score its hypothesis's score plus
      the token's log-probability;
    - keep the beam_width best candidates over ALL of them together (not
      the best of each hypothesis), ranked by their raw sums of
      log-probabilities; equal scores: the earlier hypothesis of the
      beam first, then the lower token id (a stable sort of the
      candidates listed hypothesis by hypothesis, token by token);
    - a kept candidate ending in eos is finished: it leaves the beam and
      is never expanded again, so the beam shrinks; the others are the
      live hypotheses of the next step, in their ranked order;
    - stop after max_len generated tokens, or earlier when no hypothesis
      is live; the live hypotheses left at max_len count as finished.

    Return the best finished hypothesis. Without length_norm, best means
    the highest sum of log-probabilities; with length_norm=True, the
    highest sum divided by the number of generated tokens (bos not
    counted, eos counted), which favours longer hypotheses less harshly.
    Length normalisation only chooses among finished hypotheses: pruning
    always ranks the raw sums. Equal final scores: the hypothesis
    finished first (an earlier step, then a better rank), the live ones
    at max_len last. With beam_width 1 this is greedy decoding. Raise
    ValueError when beam_width < 1 or max_len < 1.

    Inputs:
    - step_fn: A callable, prefix (a list of ints) -> log-probs, shape (V,)
    - bos: The int that starts every prefix (it need not be below V)
    - eos: The token id in [0, V) that ends a hypothesis
    - beam_width: An int >= 1, the number of candidates kept each step
    - max_len: An int >= 1, the most tokens generated (bos not counted)
    - length_norm: Whether the final choice divides by the length; default
      False

    Returns a tuple of:
    - tokens: A list of ints, bos first, then the generated tokens (eos
      last when the hypothesis ended with it)
    - score: A float, the hypothesis's sum of log-probabilities, divided
      by len(tokens) - 1 when length_norm is true

    What is graded: tokens is a list of ints and score a real scalar;
    tokens exactly and score against the reference (two arrays agree when
    their shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|),
    or max|a - b| <= 1e-10 * s, with s the largest magnitude among the
    check's inputs, at least 1) on random step functions of 4 to 6
    tokens, with and without length_norm; with beam_width >= V**max_len
    (nothing pruned) the best of all sequences, found by exhaustive
    search; that the same inputs give the same outputs. Edge cases:
    beam_width 1 equals greedy decoding; a step function where the beam
    finds a better sequence than greedy; eos ending hypotheses early
    (finished ones leave the beam); one where length normalisation
    changes the winner; max_len 1; ValueError for beam_width < 1 and
    max_len < 1. The step functions are deterministic: the same prefix
    always gives the same log-probs. Speed is shown beside the score but
    never counted in it.
    """
    if beam_width < 1:
        raise ValueError(f"beam_width must be >= 1, got {beam_width}")
    if max_len < 1:
        raise ValueError(f"max_len must be >= 1, got {max_len}")
    beams = [([bos], 0.0)]  # the live hypotheses, best first
    finished = []  # in the order they finish: the tie rule of the final choice
    for _ in range(max_len):
        # Every live hypothesis by every token, listed beam-major, token-minor.
        prefixes, scores = [], []
        for prefix, score in beams:
            log_probs = np.asarray(step_fn(list(prefix)), dtype=np.float64)
            prefixes += [prefix + [token] for token in range(len(log_probs))]
            scores.append(score + log_probs)  # add log-probs: a product of probabilities underflows
        scores = np.concatenate(scores)
        # One ranking over ALL candidates (raw sums), stable so that ties keep the listing order.
        best = np.argsort(-scores, kind="stable")[:beam_width]
        beams = []
        for index in best:
            hypothesis = (prefixes[index], float(scores[index]))
            # A finished hypothesis leaves the beam: expanding it would generate past its end.
            (finished if prefixes[index][-1] == eos else beams).append(hypothesis)
        if not beams:
            break
    finished += beams  # still live at max_len: finished by the length limit

    def final(hypothesis):  # normalisation chooses among finished hypotheses only, never while pruning
        tokens, score = hypothesis
        return score / (len(tokens) - 1) if length_norm else score

    tokens, _ = max(finished, key=final)  # max keeps the first of equal scores
    return [int(token) for token in tokens], final((tokens, _))
