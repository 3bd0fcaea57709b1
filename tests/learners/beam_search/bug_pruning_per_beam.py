# expect-fail: the beam finds what greedy misses
# diagnosis: pruning per beam
"""Each hypothesis contributes its own beam_width best tokens, appended beam after beam, and the list is cut to
beam_width without ranking the candidates against each other (the sort was meant to be done per beam)."""
import numpy as np


def beam_search(step_fn, bos, eos, beam_width, max_len, length_norm=False):
    if beam_width < 1 or max_len < 1:
        raise ValueError("beam_width and max_len must be >= 1")
    beams = [([bos], 0.0)]
    finished = []
    for _ in range(max_len):
        candidates = []
        for prefix, score in beams:
            log_probs = step_fn(prefix)
            for token in np.argsort(-np.asarray(log_probs), kind="stable")[:beam_width]:
                candidates.append((prefix + [int(token)], score + float(log_probs[token])))
        candidates = candidates[:beam_width]
        beams = []
        for prefix, score in candidates:
            if prefix[-1] == eos:
                finished.append((prefix, score))
            else:
                beams.append((prefix, score))
        if not beams:
            break
    finished.extend(beams)

    def final(hypothesis):
        prefix, score = hypothesis
        return score / (len(prefix) - 1) if length_norm else score

    best = max(finished, key=final)
    return best[0], final(best)
