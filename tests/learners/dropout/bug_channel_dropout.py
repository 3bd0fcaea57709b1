# expect-fail: units dropped independently
# diagnosis: whole channels dropped
"""For conv activations (N, C, H, W) the mask has shape (N, C, 1, 1) and drops whole feature maps,
because the learner had read that neighbouring pixels are so correlated that dropping single ones
does nothing, and copied what nn.Dropout2d does; other ranks get an elementwise mask."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if p < 0 or p > 1:
        raise ValueError("p must be in [0, 1]")
    if not train:
        return x.copy(), {"mask": None}
    if rng is None:
        rng = np.random.default_rng()
    if x.ndim == 4:
        N, C = x.shape[:2]
        mask_shape = (N, C, 1, 1)  # one draw per feature map
    else:
        mask_shape = x.shape
    keep = rng.random(mask_shape) >= p
    if p == 1:
        mask = np.zeros(mask_shape)
    else:
        mask = keep / (1 - p)
    return x * mask, {"mask": mask}


def dropout_backward(dout, cache):
    mask = cache["mask"]
    if mask is None:
        return dout.copy()
    return dout * mask
