"""Every kata's stub and reference agree on the spec, the reference passes, the stub is not started.

This is the one place the suite grades each reference and each untouched stub
(`python -m grader check`'s work, run in-process per kata on the pristine
catalogue, conftest.pristine_root, so that a maintainer practising in katas/
does not break it). The known mistakes' variants are graded by
test_learner_variants.py, so the self-check leaves them out here.
"""
import pytest

from conftest import pristine_root, run_cli
from grader.grading.catalogue import kata_names
from grader.instructor.selfcheck import check_kata


@pytest.mark.parametrize("kata", kata_names())
def test_the_self_check_finds_nothing_wrong(kata):
    assert check_kata(kata, pristine_root(), variants=False) == []


def test_check_names_unknown_katas_as_a_usage_error():
    result = run_cli("check", "conv3d")
    assert result.returncode == 2 and "unknown kata 'conv3d'" in result.stderr
