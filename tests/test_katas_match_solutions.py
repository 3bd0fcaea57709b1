"""Every stub and its reference agree on the spec, and both go through the learner's code path.

As in exercism's CI: the reference is graded exactly as a learner's file is
(the CLI with --file), and must pass; the untouched stub must come out as
"not started", not as "wrong".
"""
import importlib

import pytest

from conftest import ROOT, run_json
from grader.grading.catalogue import kata_names, load_kata
from grader.instructor.selfcheck import compare_definitions

KATAS = kata_names()


@pytest.mark.parametrize("kata", KATAS)
def test_stub_and_reference_have_the_same_functions_signatures_and_docstrings(kata):
    stub = importlib.import_module(f"katas.{kata}")
    reference = importlib.import_module(f"solutions.{kata}")
    assert compare_definitions(load_kata(kata), stub, reference) == []


@pytest.mark.parametrize("kata", KATAS)
def test_reference_passes_through_the_learners_code_path(kata):
    result, report = run_json(kata, "--file", str(ROOT / "solutions" / f"{kata}.py"))
    failed = {check["name"]: check["message"] for check in report["checks"] if not check["passed"]}
    assert result.returncode == 0 and report["passed"], failed
    assert report["score"] == report["max_score"] == len(load_kata(kata).checks)


@pytest.mark.parametrize("kata", [kata for kata in KATAS if not load_kata(kata).depends_on])
def test_untouched_stub_is_not_started(kata):
    """(Capstones are gated on their parts first: tests/test_capstones.py covers their stubs.)"""
    result, report = run_json(kata)  # grades katas/<kata>.py, the stub in this checkout
    assert result.returncode == 1
    assert report["score"] == 0
    assert all("not started" in check["message"] for check in report["checks"]), report["checks"]
