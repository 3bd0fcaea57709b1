"""Cross-check the references of batchnorm, spatial_batchnorm, maxpool, softmax_ce and
optimizers against PyTorch, in float64.

The grader trusts solutions/ as ground truth; these tests check that trust
against an independent implementation. PyTorch's conventions differ from the
contract in known ways, converted here, never papered over with tolerance:
- batch norm: torch's momentum weights the NEW batch (ours 0.9 is torch's 0.1)
  and its running_var is updated with the UNBIASED batch variance;
- SGD with momentum: torch keeps v = mu*v + g and steps w -= lr*v, we keep
  v = mu*v - lr*g and step w += v: the weights agree for a constant lr, and
  our velocity is -lr times torch's buffer;
- RMSprop: torch's alpha is our decay_rate (eps outside the root in both).
Dropout is random by design and has no counterpart to compare with.
"""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-10  # tighter than the contract's 1e-6: both sides are exact float64 formulas


def _reference(kata):
    """solutions/<kata>.py, loaded from its path (no package import needed)."""
    spec = importlib.util.spec_from_file_location(f"reference_{kata}", ROOT / "solutions" / f"{kata}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def relative_error(expected, got):
    """The contract's normwise relative error, max|a - b| / max(max|a|, max|b|)."""
    expected = np.asarray(expected, dtype=np.float64)
    got = np.asarray(got, dtype=np.float64)
    assert expected.shape == got.shape, f"shape {got.shape}, expected {expected.shape}"
    scale = max(np.abs(expected).max(initial=0.0), np.abs(got).max(initial=0.0))
    return 0.0 if scale == 0 else float(np.abs(expected - got).max() / scale)


def assert_close(name, expected, got, tolerance=TOLERANCE):
    if isinstance(expected, torch.Tensor):
        expected = expected.detach().numpy()
    error = relative_error(expected, got)
    assert error <= tolerance, f"{name}: relative error {error:.3g} > {tolerance:g}"


def _tensor(array, grad=False):
    return torch.tensor(array, dtype=torch.float64, requires_grad=grad)


@pytest.fixture
def rng():
    return np.random.default_rng(20240613)


# -- batch normalisation ------------------------------------------------------

def _torch_batchnorm_steps(xs, gamma, beta, douts, momentum, eps, stat_shape):
    """Train-mode torch batch norm over several batches: (outs, grads, running_mean, running_var)."""
    running_mean = torch.zeros(stat_shape, dtype=torch.float64)
    running_var = torch.zeros(stat_shape, dtype=torch.float64)
    outs, grads = [], []
    for x, dout in zip(xs, douts):
        xt, gt, bt = _tensor(x, True), _tensor(gamma, True), _tensor(beta, True)
        out = F.batch_norm(xt, running_mean, running_var, gt, bt, training=True,
                           momentum=1 - momentum, eps=eps)
        out.backward(_tensor(dout))
        outs.append(out.detach().numpy())
        grads.append((xt.grad.numpy(), gt.grad.numpy(), bt.grad.numpy()))
    return outs, grads, running_mean.numpy(), running_var.numpy()


BATCHNORM_CASES = [
    # kata, forward, backward, x shape, bn_param beyond mode
    ("batchnorm", "batchnorm_forward", "batchnorm_backward", (6, 5), {}),
    ("batchnorm", "batchnorm_forward", "batchnorm_backward", (3, 4), {"momentum": 0.7, "eps": 1e-3}),
    ("spatial_batchnorm", "spatial_batchnorm_forward", "spatial_batchnorm_backward", (3, 4, 5, 6), {}),
    ("spatial_batchnorm", "spatial_batchnorm_forward", "spatial_batchnorm_backward", (2, 3, 2, 3),
     {"momentum": 0.5, "eps": 1e-2}),
]


@pytest.mark.parametrize("kata, forward, backward, shape, extra", BATCHNORM_CASES)
def test_batchnorm_matches_torch(kata, forward, backward, shape, extra, rng):
    ref = _reference(kata)
    C = shape[1]
    momentum, eps = extra.get("momentum", 0.9), extra.get("eps", 1e-5)
    gamma, beta = rng.standard_normal(C), rng.standard_normal(C)
    steps = 3
    xs = [rng.standard_normal(shape) * 2 + 3 for _ in range(steps)]
    douts = [rng.standard_normal(shape) for _ in range(steps)]

    t_outs, t_grads, t_mean, t_var = _torch_batchnorm_steps(xs, gamma, beta, douts, momentum, eps, (C,))

    bn_param = {"mode": "train", **extra}
    biased_vars = []
    for step, (x, dout) in enumerate(zip(xs, douts)):
        out, cache = getattr(ref, forward)(x, gamma, beta, bn_param)
        dx, dgamma, dbeta = getattr(ref, backward)(dout, cache)
        assert_close(f"step {step} out", t_outs[step], out)
        for name, ours, theirs in zip(("dx", "dgamma", "dbeta"), (dx, dgamma, dbeta), t_grads[step]):
            assert_close(f"step {step} {name}", theirs, ours)
        axes = (0,) + tuple(range(2, x.ndim))
        biased_vars.append(x.var(axis=axes))

    assert_close("running_mean", t_mean, bn_param["running_mean"])
    # torch folds the unbiased variance into running_var; undo that exactly.
    # Both are sums over steps k of (1 - momentum) * momentum**(steps-1-k) * var_k.
    M = x.size // C
    weights = [(1 - momentum) * momentum ** (steps - 1 - k) for k in range(steps)]
    unbiased_to_biased = sum(w * v * (M / (M - 1) - 1) for w, v in zip(weights, biased_vars))
    assert_close("running_var (converted to biased)", t_var - unbiased_to_biased, bn_param["running_var"])

    # Test mode: torch with training=False uses the running statistics we hand it.
    x = rng.standard_normal(shape)
    test_param = {"mode": "test", "eps": eps, "running_mean": bn_param["running_mean"].copy(),
                  "running_var": bn_param["running_var"].copy()}
    out, _ = getattr(ref, forward)(x, gamma, beta, test_param)
    expected = F.batch_norm(_tensor(x), _tensor(test_param["running_mean"]), _tensor(test_param["running_var"]),
                            _tensor(gamma), _tensor(beta), training=False, eps=eps)
    assert_close("test-mode out", expected, out)
    np.testing.assert_array_equal(test_param["running_mean"], bn_param["running_mean"])
    np.testing.assert_array_equal(test_param["running_var"], bn_param["running_var"])


@pytest.mark.parametrize("kata, forward, backward, shape",
                         [(kata, f, b, s) for kata, f, b, s, _ in BATCHNORM_CASES[::2]])
def test_batchnorm_offset_1e6_matches_torch(kata, forward, backward, shape, rng):
    """A common offset of 1e6: both stay exact to well within the contract's tolerance."""
    ref = _reference(kata)
    C = shape[1]
    x = rng.standard_normal(shape) + 1e6
    gamma, beta, dout = rng.standard_normal(C), rng.standard_normal(C), rng.standard_normal(shape)
    t_outs, t_grads, _, _ = _torch_batchnorm_steps([x], gamma, beta, [dout], 0.9, 1e-5, (C,))
    out, cache = getattr(ref, forward)(x, gamma, beta, {"mode": "train"})
    dx, dgamma, dbeta = getattr(ref, backward)(dout, cache)
    assert_close("out", t_outs[0], out, 1e-8)
    for name, ours, theirs in zip(("dx", "dgamma", "dbeta"), (dx, dgamma, dbeta), t_grads[0]):
        assert_close(name, theirs, ours, 1e-8)


# -- max pooling --------------------------------------------------------------

@pytest.mark.parametrize("shape, pool_height, pool_width, stride", [
    ((2, 3, 8, 8), 2, 2, 2),     # the usual: tiles exactly
    ((2, 3, 9, 7), 2, 2, 2),     # floor: the last row / column is never reached
    ((2, 2, 9, 8), 3, 3, 2),     # overlapping windows
    ((1, 2, 7, 6), 3, 2, 1),     # overlapping, non-square, stride 1
    ((2, 1, 6, 7), 2, 3, 3),     # non-square pool, stride > pool height
])
def test_maxpool_matches_torch(shape, pool_height, pool_width, stride, rng):
    ref = _reference("maxpool")
    x = rng.standard_normal(shape)  # continuous draws: no ties within a window
    out, cache = ref.maxpool_forward(x, pool_height, pool_width, stride)
    dout = rng.standard_normal(out.shape)
    dx = ref.maxpool_backward(dout, cache)

    xt = _tensor(x, True)
    expected = F.max_pool2d(xt, kernel_size=(pool_height, pool_width), stride=stride)
    expected.backward(_tensor(dout))
    assert_close("out", expected, out, 0.0)
    assert_close("dx", xt.grad, dx)


# -- softmax and cross-entropy ------------------------------------------------

@pytest.mark.parametrize("N, C, scale", [(5, 7, 3.0), (1, 4, 1.0), (4, 1, 1.0), (6, 3, 1e4)])
def test_softmax_cross_entropy_matches_torch(N, C, scale, rng):
    ref = _reference("softmax_ce")
    logits = rng.standard_normal((N, C)) * scale
    labels = rng.integers(0, C, size=N)

    assert_close("softmax", torch.softmax(_tensor(logits), dim=-1), ref.softmax(logits))

    loss, dlogits = ref.softmax_cross_entropy(logits, labels)
    lt = _tensor(logits, True)
    expected = F.cross_entropy(lt, torch.tensor(labels))
    expected.backward()
    assert np.isfinite(loss) and np.all(np.isfinite(dlogits))
    assert_close("loss", expected.detach().numpy(), np.array(loss))
    assert_close("dlogits", lt.grad, dlogits)


def test_cross_entropy_gap_of_1e4_matches_torch():
    ref = _reference("softmax_ce")
    logits = np.array([[1e4, 0.0, -1e4], [0.0, -1e4, 1e4]])
    labels = np.array([1, 1])
    loss, dlogits = ref.softmax_cross_entropy(logits, labels)
    lt = _tensor(logits, True)
    expected = F.cross_entropy(lt, torch.tensor(labels))
    expected.backward()
    assert_close("loss", expected.detach().numpy(), np.array(loss))
    assert loss == pytest.approx((1e4 + 2e4) / 2)
    assert_close("dlogits", lt.grad, dlogits)


# -- optimizers ---------------------------------------------------------------

STEPS = 5


def _run_ours(rule, w, gradients, config):
    """Several steps of a reference rule, each passing the returned config on."""
    for dw in gradients:
        w, config = rule(w, dw, config)
    return w, config


def _run_torch(optimizer_class, w, gradients, **options):
    """The same steps with a torch optimizer; returns (weights, the optimizer's state)."""
    param = torch.nn.Parameter(_tensor(w))
    optimizer = optimizer_class([param], foreach=False, **options)
    for dw in gradients:
        param.grad = _tensor(dw)
        optimizer.step()
    return param.detach().numpy(), optimizer.state[param]


@pytest.fixture
def problem(rng):
    w = rng.standard_normal((4, 5))
    gradients = [rng.standard_normal((4, 5)) for _ in range(STEPS)]
    return w, gradients


@pytest.mark.parametrize("config", [None, {"learning_rate": 0.3}])
def test_sgd_matches_torch(config, problem):
    ref = _reference("optimizers")
    w, gradients = problem
    ours, _ = _run_ours(ref.sgd, w, gradients, config)
    lr = (config or {}).get("learning_rate", 1e-2)
    theirs, _ = _run_torch(torch.optim.SGD, w, gradients, lr=lr)
    assert_close("next_w", theirs, ours)


@pytest.mark.parametrize("config", [None, {"learning_rate": 0.2, "momentum": 0.5}])
def test_sgd_momentum_matches_torch_for_a_constant_learning_rate(config, problem):
    ref = _reference("optimizers")
    w, gradients = problem
    ours, state = _run_ours(ref.sgd_momentum, w, gradients, config)
    lr = (config or {}).get("learning_rate", 1e-2)
    momentum = (config or {}).get("momentum", 0.9)
    theirs, torch_state = _run_torch(torch.optim.SGD, w, gradients, lr=lr, momentum=momentum)
    assert_close("next_w", theirs, ours)
    assert_close("velocity (= -lr * torch's momentum_buffer)", -lr * torch_state["momentum_buffer"],
                 state["velocity"])


def test_sgd_momentum_differs_from_torch_when_the_learning_rate_changes(problem):
    """The two momentum formulations are different rules: a schedule tells them apart."""
    ref = _reference("optimizers")
    w, gradients = problem
    config = {"learning_rate": 0.1, "momentum": 0.9}
    ours, config = ref.sgd_momentum(w, gradients[0], config)
    config["learning_rate"] = 0.01
    ours, _ = ref.sgd_momentum(ours, gradients[1], config)

    param = torch.nn.Parameter(_tensor(w))
    optimizer = torch.optim.SGD([param], lr=0.1, momentum=0.9, foreach=False)
    for lr, dw in ((0.1, gradients[0]), (0.01, gradients[1])):
        optimizer.param_groups[0]["lr"] = lr
        param.grad = _tensor(dw)
        optimizer.step()
    # ours: w - 0.1*g0*(1 + 0.9) - 0.01*g1; torch: w - 0.1*g0 - 0.01*(0.9*g0 + g1)
    expected = w - 0.1 * gradients[0] * 1.9 - 0.01 * gradients[1]
    assert_close("next_w", expected, ours)
    assert relative_error(param.detach().numpy(), ours) > 1e-3


@pytest.mark.parametrize("config", [None, {"learning_rate": 0.05, "decay_rate": 0.9, "epsilon": 0.1}])
def test_rmsprop_matches_torch(config, problem):
    ref = _reference("optimizers")
    w, gradients = problem
    ours, state = _run_ours(ref.rmsprop, w, gradients, config)
    config = config or {}
    theirs, torch_state = _run_torch(
        torch.optim.RMSprop, w, gradients, lr=config.get("learning_rate", 1e-2),
        alpha=config.get("decay_rate", 0.99), eps=config.get("epsilon", 1e-8))
    assert_close("next_w", theirs, ours)
    assert_close("cache (torch's square_avg)", torch_state["square_avg"], state["cache"])


@pytest.mark.parametrize("config", [None, {"learning_rate": 0.1, "beta1": 0.5, "beta2": 0.75, "epsilon": 0.01}])
def test_adam_matches_torch(config, problem):
    ref = _reference("optimizers")
    w, gradients = problem
    ours, state = _run_ours(ref.adam, w, gradients, config)
    config = config or {}
    theirs, torch_state = _run_torch(
        torch.optim.Adam, w, gradients, lr=config.get("learning_rate", 1e-3),
        betas=(config.get("beta1", 0.9), config.get("beta2", 0.999)), eps=config.get("epsilon", 1e-8))
    assert_close("next_w", theirs, ours)
    assert_close("m (torch's exp_avg)", torch_state["exp_avg"], state["m"])
    assert_close("v (torch's exp_avg_sq)", torch_state["exp_avg_sq"], state["v"])
    assert state["t"] == int(torch_state["step"]) == STEPS
