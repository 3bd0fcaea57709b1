"""The beam_search kata's reference against an exhaustive search (PyTorch has no beam search to check it with): with
beam_width >= V**max_len nothing is pruned, so beam search must return the best of all hypotheses, every token
sequence that ends at its first eos or runs to max_len. Also: width 1 is greedy decoding, and the grader's step
functions are deterministic, picklable and take the prefix as a list, a tuple or an array."""
import itertools
import pickle

import numpy as np
import pytest

from grader.sandbox.trusted.step_functions import RandomStep, TableStep
from solutions.beam_search import beam_search


def _all_hypotheses(step_fn, bos, eos, vocab, max_len):
    """(tokens, sum of log-probs) of every hypothesis, scoring each sequence token by token."""
    for length in range(1, max_len + 1):
        for generated in itertools.product(range(vocab), repeat=length):
            if eos in generated[:-1] or (length < max_len and generated[-1] != eos):
                continue
            tokens = [bos, *generated]
            yield tokens, sum(float(step_fn(tokens[:i])[tokens[i]]) for i in range(1, len(tokens)))


@pytest.mark.parametrize("length_norm", [False, True])
@pytest.mark.parametrize("vocab, max_len, eos_bias", [(2, 5, 0.0), (3, 3, 0.5), (3, 4, -1.0), (4, 3, 1.0), (5, 2, 0.0)])
def test_exhaustive_width_finds_the_best_hypothesis(vocab, max_len, eos_bias, length_norm):
    for seed in range(8):
        step_fn = RandomStep(vocab, seed, eos=0, eos_bias=eos_bias)
        score = (lambda h: h[1] / (len(h[0]) - 1)) if length_norm else (lambda h: h[1])
        tokens, best = max(_all_hypotheses(step_fn, vocab, 0, vocab, max_len), key=score)
        got_tokens, got_score = beam_search(step_fn, vocab, 0, vocab**max_len, max_len, length_norm)
        assert got_tokens == tokens
        assert got_score == pytest.approx(score((tokens, best)), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("eos_bias", [-2.0, 0.0, 1.0])
def test_width_one_is_greedy(eos_bias):
    for seed in range(10):
        step_fn, tokens, total = RandomStep(6, seed, eos=2, eos_bias=eos_bias), [9], 0.0
        while len(tokens) <= 7 and (len(tokens) == 1 or tokens[-1] != 2):
            log_probs = step_fn(tokens)
            tokens.append(int(np.argmax(log_probs)))
            total += log_probs[tokens[-1]]
        assert beam_search(step_fn, 9, 2, 1, 7) == (tokens, pytest.approx(total, abs=1e-12))


def test_step_functions_are_deterministic_picklable_and_take_any_prefix():
    for step_fn in (RandomStep(5, 3, eos=0, eos_bias=1.0), TableStep({(1,): (0.2, 0.8)}, (0.5, 0.5))):
        again = pickle.loads(pickle.dumps(step_fn))
        outputs = [fn(prefix) for fn in (step_fn, again) for prefix in ([4, 1], (4, 1), np.array([4, 1]))]
        for output in outputs:
            np.testing.assert_array_equal(output, outputs[0])
        assert np.isclose(np.exp(outputs[0]).sum(), 1.0)


def test_beam_search_raises_for_a_width_or_length_below_one():
    for width, max_len in ((0, 3), (2, 0)):
        with pytest.raises(ValueError):
            beam_search(RandomStep(3, 0), 3, 0, width, max_len)
