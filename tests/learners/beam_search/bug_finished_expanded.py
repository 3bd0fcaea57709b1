# expect-group-fail: edge
# diagnosis: finished beams expanded again
"""A hypothesis ending in eos is recorded as finished but also left in the beam, because the beam 'should always
hold beam_width hypotheses'; so it is expanded again past its eos and takes slots from live hypotheses."""


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
                beams.append((prefix, score))
            else:
                beams.append((prefix, score))
        if not beams:
            break
    finished.extend(beam for beam in beams if beam[0][-1] != eos)

    def final(hypothesis):
        prefix, score = hypothesis
        return score / (len(prefix) - 1) if length_norm else score

    best = max(finished, key=final)
    return best[0], final(best)
