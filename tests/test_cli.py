"""The command line as a learner meets it: listing, usage errors, exit codes, plain output."""
import io
import json
import shutil
import subprocess
import sys

import pytest
from rich.console import Console

from conftest import LEARNERS, ROOT, learner_checkout, pristine_root, run_cli, run_json
from grader import cli
from grader.grading.catalogue import kata_names
from grader.instructor.grade_all import grade_all


def test_no_kata_lists_them_all():
    result = run_cli()
    assert result.returncode == 0
    for kata in kata_names():
        assert kata in result.stdout


def test_unknown_kata_is_a_usage_error_that_lists_the_katas():
    result = run_cli("conv3d")
    assert result.returncode == 2
    assert "unknown kata 'conv3d'" in result.stderr and "conv2d" in result.stderr and "iou" in result.stderr
    assert result.stdout == ""


def test_missing_file_is_a_usage_error():
    result = run_cli("conv2d", "--file", "no/such/file.py")
    assert result.returncode == 2 and "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_timeout_is_a_usage_error():
    for bad in ("-1", "zero", "0", "nan"):
        result = run_cli("conv2d", "--timeout", bad)
        assert result.returncode == 2 and "timeout" in result.stderr
    assert "must be more than 0 and at most 3600 seconds, not 0" in run_cli("conv2d", "--timeout", "0").stderr


@pytest.mark.parametrize("typed, meant", [("conv", "conv2d"), ("Conv2d", "conv2d"), ("conv2d.py", "conv2d"),
                                          ("katas/conv2d.py", "conv2d"), ("kvcache", "kv_cache"),
                                          ("multihead", "multihead_attention"), ("batch_norm", "batchnorm")])
def test_a_near_miss_of_a_kata_name_says_which_was_meant(typed, meant):
    result = run_cli(typed)
    assert result.returncode == 2 and f"(did you mean {meant}?)" in result.stderr


def test_a_folder_or_a_file_that_is_not_python_is_refused_with_the_reason(tmp_path):
    folder = run_cli("conv2d", "--file", str(tmp_path))
    assert folder.returncode == 2 and "is a folder" in folder.stderr
    text = tmp_path / "conv2d.txt"
    text.write_text("def conv2d_forward(x, w, b, stride=1, pad=0): pass\n")
    not_python = run_cli("conv2d", "--file", str(text))
    assert not_python.returncode == 2 and "not a Python file" in not_python.stderr


def test_version_is_the_installed_packages():
    from importlib.metadata import version

    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"python -m grader {version('dl-katas')}"


def test_a_python_without_the_dependencies_gets_one_line_not_a_traceback():
    # The grader importable (from the checkout), its dependencies not: as with a venv not activated. -S keeps
    # the venv's site-packages off the path.
    result = subprocess.run([sys.executable, "-S", "-m", "grader", "conv2d"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "lacks numpy, rich, threadpoolctl" in result.stderr and "activate" in result.stderr


#: Correct answers that are not the references (graded once per run, by test_katas_match_solutions.py).
CORRECT_IOU, CORRECT_CONV2D = LEARNERS / "iou" / "ok_python_floats.py", LEARNERS / "conv2d" / "ok_im2col_dict_cache.py"


def test_json_has_exactly_the_contract_keys():
    result = run_cli("iou", "--file", str(CORRECT_IOU), "--json")
    report = json.loads(result.stdout)
    assert set(report) == {"kata", "passed", "score", "max_score", "checks", "diagnoses", "seed"}
    assert report["kata"] == "iou" and report["passed"] is True and result.returncode == 0
    assert report["diagnoses"] == [] and report["seed"] == 0  # practising: the fixed inputs
    for check in report["checks"]:
        assert set(check) == {"name", "group", "passed", "message"}
        assert check["group"] in {"shape", "value", "gradient", "edge", "behaviour"}


def test_json_names_the_known_mistake():
    path = LEARNERS / "conv2d" / "bug_flipped_kernel.py"
    result, report = run_json("conv2d", "--file", str(path))
    assert result.returncode == 1
    names = [diagnosis["name"] for diagnosis in report["diagnoses"]]
    assert names == ["flipped kernel (true convolution)"]
    assert "cross-correlation" in report["diagnoses"][0]["message"]


def test_scorecard_is_plain_text_at_80_columns_when_piped():
    result = run_cli("conv2d", "--file", str(CORRECT_CONV2D), env={"COLUMNS": "80"})
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "Score 13/13" in result.stdout and "PASSED" in result.stdout
    assert "Speed (not scored)" in result.stdout


def test_no_color_is_honoured_on_a_terminal():
    forced = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}
    coloured = run_cli("iou", env=forced)
    assert "\x1b[" in coloured.stdout
    plain = run_cli("iou", env={**forced, "NO_COLOR": "1"})
    assert "\x1b[3" not in plain.stdout  # no colour codes (bold may remain)


def test_format_gradescope_prints_results_json():
    result = run_cli("iou", "--file", str(CORRECT_IOU), "--format", "gradescope")
    results = json.loads(result.stdout)
    assert result.returncode == 0 and results["score"] == results["max_score"] == 14
    assert {test["status"] for test in results["tests"]} == {"passed"}


def test_a_kata_spec_sets_a_checks_visibility_on_gradescope():
    import dataclasses

    from grader.checks.results import CheckResult, Report
    from grader.grading.catalogue import load_kata
    from grader.reporting.gradescope import report_to_gradescope

    kata = load_kata("iou")
    hidden = kata.checks[-1].name
    report = Report("iou", "iou.py", tuple(CheckResult(c.name, c.group, "pass", "") for c in kata.checks))
    tests = json.loads(report_to_gradescope(report, dataclasses.replace(kata, visibility={hidden: "after_due_date"})))
    visibility = {test["name"].split(": ", 1)[1]: test["visibility"] for test in tests["tests"]}
    assert visibility.pop(hidden) == "after_due_date" and set(visibility.values()) == {"visible"}
    with pytest.raises(ValueError, match="visibility must be one of"):
        dataclasses.replace(kata, visibility={hidden: "later"})
    with pytest.raises(ValueError, match="names checks it does not have"):
        dataclasses.replace(kata, weights={"no such check": 2.0})


def test_new_scaffolds_a_kata_that_grades_at_once(tmp_path):
    import shutil

    for folder, source in (("grader", ROOT), ("katas", pristine_root()), ("solutions", ROOT)):
        shutil.copytree(source / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    created = run_cli("new", "groupnorm", "--title", "group normalisation", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "katas" / "groupnorm.py").is_file() and (tmp_path / "grader" / "specs" / "groupnorm.py").is_file()
    assert run_cli("groupnorm", "--file", "solutions/groupnorm.py", cwd=tmp_path).returncode == 0
    stub = run_cli("groupnorm", "--json", cwd=tmp_path)
    assert stub.returncode == 1 and "not started" in stub.stdout
    again = run_cli("new", "groupnorm", cwd=tmp_path)
    assert again.returncode == 2 and "exists already" in again.stderr
    assert run_cli("new", "watch", cwd=tmp_path).returncode == 2


def test_all_names_what_passes_is_missing_or_failing(tmp_path):
    # One correct answer, one broken one, the rest missing: exit 1, every kata accounted for.
    (tmp_path / "iou.py").write_text(CORRECT_IOU.read_text())
    (tmp_path / "mse_loss.py").write_text("def mse_loss(pred, target):\n    return 0.0, pred\n")
    result = run_cli("all", "--dir", str(tmp_path))
    assert result.returncode == 1
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "passed" in lines["iou"] and "failing" in lines["mse_loss"]
    assert f"1/{len(kata_names())} katas pass" in result.stdout
    assert all("no file" in lines[name] for name in kata_names() if name not in ("iou", "mse_loss"))
    assert run_cli("all", "--dir", str(tmp_path / "nowhere")).returncode == 2


def test_all_on_the_learners_own_katas_grades_a_capstones_part_once(tmp_path, monkeypatch, graded_as_parts):
    # Every kata solved in the learner's katas/, the capstones importing theirs. `all` grades the
    # katas alphabetically: a part that passed above its capstone is not graded again inside it.
    learner_checkout(tmp_path, kata_names())
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))  # katas.* in the learner's process: these
    monkeypatch.setenv("GRADER_PROGRESS", str(tmp_path / "progress.json"))
    assert grade_all(Console(file=io.StringIO()), None, cli._record, None, cli._gate)
    # convnet (after activations and conv2d) grades linear, maxpool and softmax_ce; mlp_classifier (after
    # dataloader and linear) grades optimizers; mlp_regression grades mse_loss. Each part once: without the
    # digests, later capstones would grade those again.
    assert sorted(graded_as_parts) == ["linear", "maxpool", "mse_loss", "optimizers", "softmax_ce"]


def test_gradescope_is_never_empty_a_missing_file_scores_0_with_the_reason(tmp_path):
    result = run_cli("conv2d", "--file", str(tmp_path / "conv2d.py"), "--format", "gradescope")
    results = json.loads(result.stdout)
    assert result.returncode == 1 and results["score"] == 0 and results["max_score"] == 13
    assert "no such file" in results["output"] and len(results["tests"]) == 13


@pytest.mark.parametrize("output", ["--json", "--format=gradescope"])
def test_a_crash_of_the_grader_still_ends_with_the_report_asked_for(monkeypatch, capsys, output):
    def crashing(*args, **kwargs):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(cli, "grade", crashing)
    status = cli.main(["conv2d", "--file", str(ROOT / "solutions" / "conv2d.py"), output])
    printed = json.loads(capsys.readouterr().out)  # exactly one JSON object
    assert status == 1 and printed["score"] == 0
    assert "the grader could not grade this file (RuntimeError: a bug of ours)" in json.dumps(printed)


def test_all_for_a_machine_is_one_json_object_with_every_report(tmp_path):
    shutil.copy(CORRECT_IOU, tmp_path / "iou.py")
    result, report = run_json("all", "--dir", str(tmp_path), "--katas", "iou,conv2d")
    assert result.returncode == 1  # conv2d was not handed in
    assert [each["kata"] for each in report["reports"]] == ["iou", "conv2d"]
    assert report["reports"][0]["passed"] and report["reports"][1]["score"] == 0
    assert report["score"] == report["reports"][0]["max_score"] and report["seed"] == 0


def test_all_on_a_folder_says_what_it_does_not_grade(tmp_path):
    shutil.copy(CORRECT_IOU, tmp_path / "iou.py")
    shutil.copy(CORRECT_CONV2D, tmp_path / "Conv2D_v2.py")
    (tmp_path / "__init__.py").write_text("")  # a package's marker (katas/, solutions/): nothing to say
    lines = run_cli("all", "--dir", str(tmp_path), "--katas", "iou,conv2d")
    assert "Conv2D_v2.py is not a kata's file name (is it conv2d.py?): not graded" in " ".join(lines.stdout.split())
    _, report = run_json("all", "--dir", str(tmp_path), "--katas", "iou,conv2d")
    assert report["notes"] == ["Conv2D_v2.py is not a kata's file name (is it conv2d.py?): not graded"]
    results = json.loads(run_cli("all", "--dir", str(tmp_path), "--katas", "iou", "--format", "gradescope").stdout)
    assert results["output"].startswith("Conv2D_v2.py is not a kata's file name")


@pytest.mark.parametrize("command", [(), ("all",)])
def test_help_wraps_at_the_terminals_width(command):
    # $COLUMNS as argparse reads it (the grader finds the width itself, without shutil): 80 when unset and no
    # terminal. The options' help is what argparse wraps.
    def options(columns: str) -> list[str]:
        text = run_cli(*command, "--help", env={"COLUMNS": columns}).stdout
        return text.partition("options:\n")[2].partition("\n\n")[0].splitlines()
    narrow, wide, plain = options("50"), options("140"), options("")
    assert max(map(len, narrow)) <= 50 < max(map(len, plain)) <= 80 < max(map(len, wide)) <= 140
    assert len(narrow) > len(plain) > len(wide)
