# expect: pass
"""Plain Python loops, the way the algorithm reads: every hypothesis by every token into one list of candidates,
sorted (a stable sort) by score, the first beam_width kept, those ending in eos put aside as finished."""


def beam_search(step_fn, bos, eos, beam_width, max_len, length_norm=False):
    if beam_width < 1 or max_len < 1:
        raise ValueError("beam_width and max_len must be >= 1")
    beams = [([bos], 0.0)]
    finished = []
    for _ in range(max_len):
        candidates = []
        for prefix, score in beams:
            log_probs = step_fn(prefix)
            for token, log_prob in enumerate(log_probs):
                candidates.append((prefix + [token], score + float(log_prob)))
        candidates = sorted(candidates, key=lambda candidate: -candidate[1])[:beam_width]  # sorted is stable
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
