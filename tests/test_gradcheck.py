"""Central differences on functions whose gradients are known in closed form."""
import numpy as np

from grader.checks.compare import compare_arrays
from grader.checks.gradcheck import GradientBudget, numerical_gradient


def test_cubic():
    rng = np.random.default_rng(0)
    x, dout = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    numerical = numerical_gradient(lambda v: v ** 3, x, dout)
    assert compare_arrays("dx", 3 * x ** 2 * dout, numerical) is None


def test_matrix_product_both_arguments():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((3, 5)), rng.standard_normal((5, 2))
    dout = rng.standard_normal((3, 2))
    assert compare_arrays("da", dout @ b.T, numerical_gradient(lambda v: v @ b, a, dout)) is None
    assert compare_arrays("db", a.T @ dout, numerical_gradient(lambda v: a @ v, b, dout)) is None


def test_a_single_wrong_element_is_caught():
    rng = np.random.default_rng(2)
    x, dout = rng.standard_normal((4, 4)), rng.standard_normal((4, 4))
    analytic = np.cos(x) * dout
    analytic[1, 2] *= 1.001
    mismatch = compare_arrays("dx", numerical_gradient(np.sin, x, dout), analytic)
    assert mismatch is not None and mismatch.index == (1, 2) and mismatch.n_off == 1


def test_budget_shares_time_by_size():
    budget = GradientBudget(1.0)
    assert budget.allowance(30, total_elements=100) == 0.3
    budget.spend(0.1, 30)
    # 0.9 s left for 70 elements: 20 of them get 20/70 of it.
    assert abs(budget.allowance(20, total_elements=100) - 0.9 * 20 / 70) < 1e-12
