"""The README's recipes for instructors, run as written: Gradescope's run_autograder in a stand-in for
/autograder (its `pip install` left out: this venv holds the package already)."""
import json
import os
import re
import shutil
import stat
import subprocess
import sys

from conftest import LEARNERS, ROOT


def _readme_block(after: str, language: str) -> str:
    text = (ROOT / "README.md").read_text()
    return re.search(rf"{re.escape(after)}.*?```{language}\n(.*?)```", text, re.S).group(1)


def test_the_readmes_run_autograder_grades_a_whole_assignment(tmp_path):
    autograder = tmp_path / "autograder"
    for folder in ("submission", "results"):
        (autograder / folder).mkdir(parents=True)
    (autograder / "source").symlink_to(ROOT)
    shutil.copy(LEARNERS / "conv2d" / "bug_db_mean.py", autograder / "submission" / "conv2d.py")  # no maxpool.py
    script = tmp_path / "run_autograder"
    script.write_text(_readme_block("Gradescope: a `run_autograder`", "bash").replace("/autograder", str(autograder)))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pip").write_text("#!/bin/sh\nexit 0\n")  # the package is installed in this venv already
    (bin_dir / "pip").chmod(0o755)
    env = {**os.environ, "PATH": os.pathsep.join([str(bin_dir), os.path.dirname(sys.executable), os.environ["PATH"]])}
    subprocess.run(["bash", str(script)], env=env, check=False, timeout=300)

    results = json.loads((autograder / "results" / "results.json").read_text())
    names = [test["name"] for test in results["tests"]]
    assert names[0].startswith("conv2d: ") and any(name.startswith("maxpool: ") for name in names)
    maxpool = [test for test in results["tests"] if test["name"].startswith("maxpool: ")]
    assert all(test["score"] == 0 and "maxpool.py was not handed in" in test["output"] for test in maxpool)
    conv2d_failed = [test["name"] for test in results["tests"] if test["name"].startswith("conv2d: ")
                     and test["status"] == "failed"]
    assert "conv2d: gradient: gradient db" in conv2d_failed  # the student's one mistake
    assert 0 < results["score"] < results["max_score"]
    assert re.search(r"seed [1-9]\d*", results["output"])  # a fresh seed, said


def test_the_readmes_classroom_workflow_passes_only_a_solved_assignment(tmp_path):
    # The workflow's grading step, run in a student's repository: the workspace, its katas/ their answers.
    workflow = _readme_block("GitHub Classroom: `.github/workflows/classroom.yml`", "yaml")
    step = next(line.split("run:", 1)[1].strip() for line in workflow.splitlines()
                if line.strip().startswith("- run: python -m grader"))
    repository = tmp_path / "student"
    assert subprocess.run([sys.executable, "-m", "grader", "init", str(repository)], capture_output=True).returncode == 0
    command = step.split()
    command[0] = sys.executable  # python, of this venv
    env = {**os.environ, "GRADER_PROGRESS": str(tmp_path / "progress.json")}
    unsolved = subprocess.run(command, cwd=repository, capture_output=True, text=True, env=env, timeout=300)
    assert unsolved.returncode == 1
    katas = command[command.index("--katas") + 1].split(",")
    for kata in katas:
        shutil.copy(ROOT / "solutions" / f"{kata}.py", repository / "katas" / f"{kata}.py")
    solved = subprocess.run(command, cwd=repository, capture_output=True, text=True, env=env, timeout=300)
    assert solved.returncode == 0, solved.stdout
