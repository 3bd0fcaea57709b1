"""The init kata's reference against torch.nn.init (skipped without torch): fans against
_calculate_fan_in_and_fan_out (on the transposed shape for a 2-D weight: torch's linear weight is (out, in), ours
(D_in, D_out); on the same shape for conv weights), Kaiming's gain against calculate_gain, and the draws against
torch's own initialisers of the same fans: a uniform's largest |w| (its bound, to 1e-3: 60000 draws fall short of
it by more with probability e**-60) and a normal's std (to 2%, seven standard errors), both sides seeded."""
import math

import numpy as np
import pytest

from solutions.init import fans, kaiming_normal, kaiming_uniform, xavier_normal, xavier_uniform

torch = pytest.importorskip("torch")
init = torch.nn.init


def _torch_shape(shape):
    """The torch tensor shape of the same weight: a linear weight transposed to (out, in), a conv weight as is."""
    return tuple(shape[::-1]) if len(shape) == 2 else tuple(shape)


@pytest.mark.parametrize("shape", [(5, 3), (3, 7), (500, 120), (8, 4, 3, 3), (6, 10, 5, 1), (6, 4, 5),
                                   (2, 3, 4, 5, 6)])
def test_fans_match_torch(shape):
    assert fans(shape) == init._calculate_fan_in_and_fan_out(torch.empty(_torch_shape(shape)))


@pytest.mark.parametrize("a", [0.0, 0.2, 1.0, math.sqrt(5)])
def test_kaiming_gain_is_torchs_leaky_relu_gain(a):
    std = kaiming_normal((400, 300), a=a, rng=np.random.default_rng(0)).std()
    assert std == pytest.approx(init.calculate_gain("leaky_relu", a) / math.sqrt(400), rel=0.02)


def _torch_draw(function, shape, **options):
    torch.manual_seed(0)
    tensor = torch.empty(_torch_shape(shape), dtype=torch.float64)
    function(tensor, **options)
    return tensor.numpy()


CASES = [
    (xavier_uniform, init.xavier_uniform_, (500, 120), {"gain": 1.0}, {"gain": 1.0}),
    (xavier_uniform, init.xavier_uniform_, (64, 16, 3, 3), {"gain": math.sqrt(2)}, {"gain": math.sqrt(2)}),
    (kaiming_uniform, init.kaiming_uniform_, (500, 120), {}, {}),
    (kaiming_uniform, init.kaiming_uniform_, (500, 120), {"mode": "fan_out"}, {"mode": "fan_out"}),
    (kaiming_uniform, init.kaiming_uniform_, (64, 16, 3, 3), {"a": math.sqrt(5)}, {"a": math.sqrt(5)}),
    (xavier_normal, init.xavier_normal_, (500, 120), {"gain": 0.5}, {"gain": 0.5}),
    (xavier_normal, init.xavier_normal_, (64, 16, 3, 3), {}, {}),
    (kaiming_normal, init.kaiming_normal_, (500, 120), {}, {}),
    (kaiming_normal, init.kaiming_normal_, (64, 16, 3, 3), {"mode": "fan_out"}, {"mode": "fan_out"}),
    (kaiming_normal, init.kaiming_normal_, (500, 120), {"a": 1.0, "mode": "fan_out"}, {"a": 1.0, "mode": "fan_out"}),
]


@pytest.mark.parametrize("ours, theirs, shape, options, torch_options", CASES,
                         ids=[f"{case[0].__name__}-{case[2]}-{case[3]}" for case in CASES])
def test_draws_match_torchs_scale(ours, theirs, shape, options, torch_options):
    w = ours(shape, rng=np.random.default_rng(1), **options)
    t = _torch_draw(theirs, shape, **torch_options)
    assert w.shape == shape and w.dtype == np.float64
    if ours.__name__.endswith("uniform"):
        assert np.abs(w).max() == pytest.approx(np.abs(t).max(), rel=1e-3)
    else:
        assert w.std() == pytest.approx(t.std(), rel=0.02)
