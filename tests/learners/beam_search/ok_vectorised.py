# expect: pass
"""numpy all the way: the live scores plus each step's log-prob matrix, flattened beam-major, ranked with one
stable argsort; the flat index splits into (beam, token) with divmod."""
import numpy as np


def beam_search(step_fn, bos, eos, beam_width, max_len, length_norm=False):
    if beam_width < 1:
        raise ValueError("beam_width must be >= 1")
    if max_len < 1:
        raise ValueError("max_len must be >= 1")
    prefixes, scores = [[bos]], np.zeros(1)
    done_tokens, done_scores = [], []
    for _ in range(max_len):
        log_probs = np.stack([np.asarray(step_fn(prefix), dtype=float) for prefix in prefixes])
        total = (scores[:, None] + log_probs).ravel()
        keep = np.argsort(-total, kind="stable")[:beam_width]
        beam, token = np.divmod(keep, log_probs.shape[1])
        ended = token == eos
        for b, t, s in zip(beam[ended], token[ended], total[keep][ended]):
            done_tokens.append(prefixes[b] + [int(t)])
            done_scores.append(s)
        prefixes = [prefixes[b] + [int(t)] for b, t in zip(beam[~ended], token[~ended])]
        scores = total[keep][~ended]
        if not prefixes:
            break
    done_tokens += prefixes
    done_scores = np.concatenate([np.array(done_scores, dtype=float), scores])
    lengths = np.array([len(tokens) - 1 for tokens in done_tokens])
    final = done_scores / lengths if length_norm else done_scores
    best = int(np.argmax(final))
    return done_tokens[best], float(final[best])
