"""info_nce: CLIP's symmetric InfoNCE loss on L2-normalised embeddings, gradients to the raw embeddings.

dimage and dtext are checked against central differences of the learner's own loss, every element. Rows of norms
from 0.3 to 100 show a missing normalisation (or a gradient that ignores it) in the values; a temperature of 1e-3
puts logits at 1000, where exp overflows without the max shift.
"""
import numpy as np

from grader.authoring.functions import (Edge, Factor, Function, Inputs, Value, function_checks, function_mistake,
                                        function_speed)
from grader.authoring.kata import Kata

ARGS = ("image_emb", "text_emb")


def _pairs(n: int, d: int, temperature: float, label: str = "", norms=None, same: bool = False) -> Inputs:
    """N(0, 1) embeddings (rows rescaled to `norms` when given; text = image when `same`)."""
    def draw(rng):
        x, y = rng.standard_normal((n, d)), rng.standard_normal((n, d))
        if norms is not None:
            x, y = (v / np.linalg.norm(v, axis=1, keepdims=True) * np.asarray(norms)[:, None] for v in (x, y[::-1]))
        return {"image_emb": x, "text_emb": x.copy() if same else y}
    return Inputs(label or f"embeddings {n}x{d}, temperature {temperature:g}", draw, {"temperature": temperature})


def _fixed(label: str, x, y, temperature: float) -> Inputs:
    return Inputs(label, {"image_emb": np.asarray(x, dtype=np.float64), "text_emb": np.asarray(y, dtype=np.float64)},
                  {"temperature": temperature})


NCE = Function("info_nce", (Value("loss"), *(Value(f"d{arg[:-4]}", arg, of="loss", wrt=arg) for arg in ARGS)),
               cases=(_pairs(5, 4, 0.07), _pairs(3, 6, 0.5), _pairs(4, 4, 1.0)),
               quantities=lambda arguments: {"N": len(arguments["image_emb"])},
               factors=(Factor("loss dimage dtext", lambda sizes: sizes["N"], "the cross-entropies are means over the "
                                                                                "N rows, not sums"),
                        Factor("loss dimage dtext", 2, "the loss is the AVERAGE of the two directions, not the sum")))
# Norms below 0.3 put the central differences' truncation error, ~(h / (temperature * |x|))**2, near the agreement
# rule's 1e-6 (norms from 0.01 failed the reference at most seeds); 0.3 to 100 stays below 5e-8 over 200 seeds.
NORMS = _pairs(5, 3, 0.07, "rows of norms 0.3 to 100, temperature 0.07", norms=(0.3, 1.0, 5.0, 20.0, 100.0))
SAME = _pairs(4, 5, 0.1, "matching rows identical (4x5, temperature 0.1)", same=True)
SHARP = _pairs(6, 4, 1e-3, "embeddings 6x4, temperature 1e-3 (logits up to 1000)")
ONE = _pairs(1, 5, 0.07, "N = 1 (1x5: loss 0, gradients 0)")
_X = np.ones((4, 3))
EDGES = (
    Edge("rows of norms 0.3 to 100", (("info_nce", NORMS),), gradient=True,
         why="the loss depends only on each row's direction: "),
    Edge("matching rows identical", (("info_nce", SAME),), gradient=True),
    Edge("temperature 1e-3: exact, no warnings", (("info_nce", SHARP),),
         clean="subtract each row's maximum before exp (log-sum-exp), in both directions"),
    Edge("N = 1: loss 0, gradients 0", (("info_nce", ONE),), expect={"loss": 0.0, "dimage": 0.0, "dtext": 0.0}),
    Edge("temperature 0 raises ValueError", (("info_nce", _fixed("temperature 0", _X, _X, 0.0)),), raises="ValueError",
         if_returned=lambda arguments: "dividing by a temperature of 0 has no meaning"),
    Edge("shapes (4, 3) and (5, 3) or 1-D raise ValueError",
         (("info_nce", _fixed("shapes (4, 3) and (5, 3)", _X, np.ones((5, 3)), 0.07)),
          ("info_nce", _fixed("1-D embeddings of 3", np.ones(3), np.ones(3), 0.07))), raises="ValueError",
         if_returned=lambda arguments: "N pairs need two (N, D) arrays of one shape"),
)


# -- known mistakes: a CLIP loss with one thing changed --------------------------

def _clip(x, y, temperature, directions=2, normalise=True, through=True, project=True, axis=1):
    """(loss, dx, dy) of CLIP's loss, over `directions` (1: image-to-text only), on rows normalised (along `axis`:
    0 normalises the columns) or raw ones, with the gradient taken through the normalisation (`project` False: only
    its 1/|x|, not the projection off x_n) or stopped at the normalised rows. The gradients are right only for the
    row normalisation."""
    rx, ry = (np.linalg.norm(v, axis=axis, keepdims=True) if normalise else np.ones((len(v), 1)) for v in (x, y))
    xn, yn = x / rx, y / ry
    logits, eye = xn @ yn.T / temperature, np.eye(len(x))
    logp = [z - z.max(1, keepdims=True) - np.log(np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True))
            for z in (logits, logits.T)][:directions]
    loss = -sum(np.trace(lp) for lp in logp) / (directions * len(x))
    dlogits = sum((np.exp(lp) - eye).T if k else np.exp(lp) - eye for k, lp in enumerate(logp)) / (directions * len(x))
    dxn, dyn = dlogits @ yn / temperature, dlogits.T @ xn / temperature
    if not (normalise and through):
        return loss, dxn, dyn
    if not project:
        return loss, dxn / rx, dyn / ry
    return loss, *((dv - vn * np.sum(dv * vn, 1, keepdims=True)) / r for dv, vn, r in ((dxn, xn, rx), (dyn, yn, ry)))


MISTAKES = (
    function_mistake(NCE, "only image-to-text", "Your loss is CE(logits, arange(N)) alone, each image classifying its "
                     "text: CLIP's loss is symmetric, the average of that and CE(logits.T, arange(N)), each text "
                     "classifying its image.", lambda reference, x, y, temperature=0.07: _clip(x, y, temperature, 1),
                     cases=(NORMS,)),
    function_mistake(NCE, "no normalisation", "Your logits are raw dot products: L2-normalise each row first, "
                     "x / |x|, so that the logits are cosine similarities over the temperature.",
                     lambda reference, x, y, temperature=0.07: _clip(x, y, temperature, normalise=False),
                     cases=(NORMS,)),
    function_mistake(NCE, "gradient stops at the normalised rows", "Your dimage and dtext are the gradients with "
                     "respect to the NORMALISED rows: go back through x_n = x/|x| too, dx = (dx_n - x_n * sum(dx_n * "
                     "x_n)) / |x| row by row.", lambda reference, x, y, temperature=0.07: _clip(
                         x, y, temperature, through=False), cases=(NORMS,)),
    function_mistake(NCE, "normalised along the wrong axis", "Your embeddings are normalised column by column "
                     "(norm over axis 0): each ROW is one embedding, x / np.linalg.norm(x, axis=1, keepdims=True).",
                     lambda reference, x, y, temperature=0.07: _clip(x, y, temperature, axis=0), judged=("loss",),
                     cases=(NORMS,)),
    function_mistake(NCE, "normalisation's gradient without the projection", "Your gradients divide dx_n by |x| "
                     "but leave out the projection: x_n = x/|x| changes with x's direction only, so dx = (dx_n - x_n "
                     "* sum(dx_n * x_n)) / |x|, the component of dx_n along x_n removed, row by row.",
                     lambda reference, x, y, temperature=0.07: _clip(x, y, temperature, project=False),
                     judged=("dimage", "dtext"), cases=(NORMS,)),
    function_mistake(NCE, "temperature multiplied", "Your logits are multiplied by the temperature: divide by it, "
                     "img_n @ txt_n.T / temperature (a small temperature sharpens the softmax).",
                     lambda reference, x, y, temperature=0.07: reference.info_nce(x, y, 1 / temperature),
                     cases=(NORMS,)),
    function_mistake(NCE, "summed over the batch", "Your loss and gradients are N times the contract's: each "
                     "cross-entropy is the MEAN over the N rows, F.cross_entropy's default.",
                     lambda reference, x, y, temperature=0.07: tuple(
                         len(x) * v for v in reference.info_nce(x, y, temperature)), cases=(NORMS,)),
)

KATA = Kata(
    name="info_nce", title="CLIP's symmetric InfoNCE loss with temperature, and its gradients",
    functions=("info_nce",), checks=function_checks((NCE,), EDGES), mistakes=MISTAKES,
    speed=function_speed("info_nce on 128 pairs of 64-d embeddings", ("info_nce", _pairs(128, 64, 0.07))),
    hints=("Two cross-entropies over one N x N matrix of cosine similarities, one along its rows and one down its "
           "columns; and the embeddings you are given are not unit length.",
           "Normalise the rows, logits = img_n @ txt_n.T / temperature, take log-softmax of logits and of logits.T, "
           "average the diagonals; back-propagate (softmax - I)/N from each direction, then through the "
           "normalisation.",
           "dlogits = ((softmax_rows(L) - I) + (softmax_rows(L.T) - I).T) / (2N); dimg_n = dlogits @ txt_n / t; "
           "dx = (dimg_n - img_n * sum(dimg_n * img_n, axis=1)) / |x|, and likewise for the texts."),
)
