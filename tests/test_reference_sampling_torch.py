"""The sampling kata's reference against Hugging Face's logits warpers written in torch (temperature, then top-k with
`scores < topk(...)[..., -1, None]`, then top-p by an ascending sort and `cumsum(softmax) <= 1 - top_p`, the last
token always kept), then softmax; and sample's frequencies against those probabilities. Skipped without torch.
There is nothing to differentiate: sampling_probs has no backward."""
import numpy as np
import pytest

from solutions.sampling import sample, sampling_probs
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")


def _hf_probs(logits, temperature, top_k, top_p):
    """transformers' TemperatureLogitsWarper, TopKLogitsWarper and TopPLogitsWarper (min_tokens_to_keep=1), then
    softmax: the distribution model.generate(do_sample=True) draws from."""
    scores = torch.tensor(logits) / temperature
    if top_k is not None:
        k = min(top_k, scores.shape[-1])
        scores = scores.masked_fill(scores < torch.topk(scores, k)[0][..., -1, None], -float("inf"))
    if top_p is not None:
        sorted_logits, sorted_indices = torch.sort(scores, descending=False)
        cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        remove = cumulative <= (1 - top_p)
        remove[..., -1:] = False
        scores = scores.masked_fill(remove.scatter(1, sorted_indices, remove), -float("inf"))
    return torch.softmax(scores, dim=-1).numpy()


@pytest.mark.parametrize("temperature, top_k, top_p", [
    (1.0, None, None), (0.7, None, None), (1.0, 5, None), (1.3, 3, None), (1.0, None, 0.9), (0.6, None, 0.5),
    (0.8, 10, 0.8), (2.0, 40, 0.95), (1.0, 100, None), (1.0, None, 1.0)])
def test_sampling_probs_matches_hugging_face_in_torch(temperature, top_k, top_p):
    rng = np.random.default_rng(3)
    logits = 3 * rng.standard_normal((16, 50))  # continuous: no ties, no row on a top-p boundary
    assert_agrees("probs", _hf_probs(logits, temperature, top_k, top_p),
                  sampling_probs(logits, temperature, top_k, top_p))


def test_large_logits_match_torch_without_warnings():
    logits = np.array([[1e4, -1e4, 3.0, 2.0], [-1e4, 0.0, 1e4, 5.0]])
    with np.errstate(divide="raise", over="raise", invalid="raise"):  # underflow to 0 is no warning in numpy
        probs = sampling_probs(logits, 0.5, 3, 0.9)
    assert_agrees("probs", _hf_probs(logits, 0.5, 3, 0.9), probs)


def test_temperature_zero_is_torch_argmax():
    logits = np.random.default_rng(4).standard_normal((8, 20))
    expected = torch.nn.functional.one_hot(torch.tensor(logits).argmax(dim=-1), 20).double().numpy()
    assert_agrees("probs", expected, sampling_probs(logits, temperature=0.0, top_k=3))


def test_sample_frequencies_match_torch_probabilities():
    row = np.random.default_rng(5).standard_normal(12)
    probs = _hf_probs(row[None], 0.9, 8, 0.85)[0]
    tokens = sample(np.tile(row, (100000, 1)), 0.9, 8, 0.85, rng=np.random.default_rng(6))
    frequencies = np.bincount(tokens, minlength=12) / len(tokens)
    assert np.all(frequencies[probs == 0] == 0)
    assert np.max(np.abs(frequencies - probs)) < 0.01  # 5.5 standard deviations at most: about 1e-7 of failing
