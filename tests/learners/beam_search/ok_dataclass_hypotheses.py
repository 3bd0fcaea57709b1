# expect: pass
"""A Hyp dataclass, sorted() by -logp, a while loop; tokens returned as a tuple."""
from dataclasses import dataclass, field
@dataclass
class Hyp:
    tokens: list
    logp: float = 0.0
    def extend(self, tok, lp):
        return Hyp(self.tokens + [tok], self.logp + lp)
    def score(self, norm):
        return self.logp / (len(self.tokens) - 1) if norm else self.logp
def beam_search(step_fn, bos, eos, beam_width, max_len, length_norm=False):
    if beam_width < 1:
        raise ValueError("beam_width")
    if max_len < 1:
        raise ValueError("max_len")
    live, done = [Hyp([bos])], []
    step = 0
    while live and step < max_len:
        cands = [h.extend(t, float(lp)) for h in live for t, lp in enumerate(step_fn(h.tokens))]
        cands = sorted(cands, key=lambda h: -h.logp)[:beam_width]
        done += [h for h in cands if h.tokens[-1] == eos]
        live = [h for h in cands if h.tokens[-1] != eos]
        step += 1
    pool = done + live
    best = pool[0]
    for h in pool[1:]:
        if h.score(length_norm) > best.score(length_norm):
            best = h
    return tuple(best.tokens), best.score(length_norm)
