"""What the first failing rows tell a learner: the analyses every kata shares, on realistic variants.

A constant ratio between got and expected is named after the configuration's quantities, the same in
every failing configuration; a failure confined to configurations that share one property says so;
an edge case's rule heads its row only when the ordinary cases pass; no hint is given that the
failure does not support.
"""
import pytest

from conftest import LEARNERS, ROOT
from grader.grading.catalogue import load_kata
from grader.grading.engine import grade
from grader.instructor.variants import graded_path


def _messages(kata: str, variant: str) -> dict[str, str]:
    with graded_path(load_kata(kata), LEARNERS / kata / f"{variant}.py", ROOT / "solutions") as graded:
        report = grade(load_kata(kata), graded)
    return {check.name: check.message for check in report.checks if not check.passed}


@pytest.mark.parametrize("kata, variant, row, words", [
    ("conv2d", "bug_stride_ignored_backward", "gradient dx", "it fails only where stride > 1"),
    ("conv2d", "bug_crop_negative_index", "backward gradient shapes", "it fails only where pad = 0"),
    ("conv2d", "bug_pad_by_negative_slice", "forward output shape", "it fails only where pad = 0"),
    ("conv2d", "bug_kernel_hw_swapped", "forward output shape", "the kernel is not square (HH != WW)"),
    ("conv2d", "bug_output_hw_swapped", "forward output shape", "the output is not square (H' != W')"),
    ("conv2d", "bug_ceil_output_size", "forward output shape",
     "the stride leaves rows or columns that no window reaches"),
])
def test_a_failure_confined_to_one_property_names_it(kata, variant, row, words):
    assert words in _messages(kata, variant)[row]


@pytest.mark.parametrize("kata, variant, row, words", [
    ("conv2d", "bug_db_mean", "gradient db", "db is 1/2 of the expected everywhere (1/N, N = 2)"),
    ("linear", "bug_db_mean", "gradient db", "(1/N, N = 4)"),
    ("softmax_ce", "bug_missing_1_over_n", "dlogits values", "(N, N = 6)"),
    ("lora", "bug_no_scaling", "gradient dlora_b", "(1/(alpha/r), alpha/r = 4)"),  # a derived quantity
    ("tiny_gpt", "bug_position_gradient_mean", "gradient position_embedding", "(1/N, N = 2)"),
])
def test_a_constant_ratio_is_named(kata, variant, row, words):
    assert words in _messages(kata, variant)[row]


def test_an_edge_rule_heads_its_row_only_when_the_ordinary_cases_pass():
    relu = _messages("activations", "bug_relu_gradient_one_at_zero")
    assert relu["relu gradient at 0 is 0"].startswith("ReLU's gradient at exactly x == 0 is 0")
    # The stride bug fails the ordinary cases too: the floor's formula would mislead here.
    floor = _messages("conv2d", "bug_stride_ignored_backward")["stride that does not divide (floor)"]
    assert "H' = 1 + (H + 2*pad - HH) // stride" not in floor and "stride > 1" in floor


def test_no_hint_about_rows_no_window_reaches_for_tied_maxima():
    message = _messages("maxpool", "bug_gradient_to_every_tied_maximum")["ties go to the first maximum"]
    assert "does a window reach them" not in message and "among tied maxima the first in row-major order" in message


def test_a_layer_of_several_reports_only_its_own_modifications():
    # activations has three layers; relu's in-place clipping is relu's row's business alone.
    failed = _messages("activations", "bug_relu_forward_clips_x_in_place")
    assert set(failed) == {"relu inputs not modified"}
