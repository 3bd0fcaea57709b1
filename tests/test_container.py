"""The sandbox where instructors grade: root in a Docker container (Gradescope), with Docker's default
capabilities and its cgroups read-only (tests/container_like.py emulates it on a Linux host, as root).

Confinement needs only CAP_SYS_CHROOT and CAP_SETUID; the process tree's memory, which no cgroup can limit
there, is measured by the launcher, reading the learner's processes as their own user (root may not read
them without CAP_SYS_PTRACE).
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_json
from grader.sandbox.limits import MEMORY_MB

pytestmark = pytest.mark.usefixtures("start_mode")

HERE = Path(__file__).resolve().parent
CONTAINER = ("unshare", "--mount", sys.executable, str(HERE / "container_like.py"))


def _container_here() -> bool:
    if not (sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0
            and shutil.which("unshare") and shutil.which("setpriv")):
        return False
    probe = subprocess.run([*CONTAINER, "true"], capture_output=True)
    return probe.returncode == 0


container_only = pytest.mark.skipif(not _container_here(), reason="emulating a container needs root on Linux, "
                                                                  "unshare and setpriv")


def _grade_in_container(name: str, **kwargs) -> tuple[subprocess.CompletedProcess, dict, str]:
    result, report = run_json("conv2d", "--file", str(HERE / "hostile" / f"{name}.py"), "--timeout", "10",
                              within=CONTAINER, **kwargs)
    assert "Traceback" not in result.stderr
    return result, report, "\n".join(check["message"] for check in report["checks"])


@container_only
def test_a_correct_answer_passes_confined_in_a_container():
    result, report = run_json("conv2d", "--file", str(ROOT / "solutions" / "conv2d.py"), within=CONTAINER)
    assert result.returncode == 0 and report["passed"], result.stderr


@container_only
def test_in_a_container_the_grader_and_the_checkout_are_out_of_reach(tmp_path):
    copy = tmp_path / "checkout"
    for folder in ("grader", "katas", "solutions"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    before = {path: path.read_bytes() for path in copy.rglob("*.py")}
    result, report, messages = _grade_in_container("attacks_the_grader", cwd=copy, env={"PYTHONPATH": str(copy)})
    assert result.returncode == 1 and report["score"] == 0
    for attempt in ("kill", "plant", "write", "setpgid", "memory", "limits"):
        assert f"{attempt} refused" in messages, messages
    assert {path: path.read_bytes() for path in copy.rglob("*.py")} == before
    _, report, messages = _grade_in_container("imports_reference", cwd=copy, env={"PYTHONPATH": str(copy)})
    assert report["score"] == 0 and "importing your file raised" in messages


@container_only
def test_in_a_container_processes_that_take_memory_together_are_stopped_together():
    result, report, messages = _grade_in_container("hogs_memory_in_processes")
    assert result.returncode == 1
    assert f"used more than {MEMORY_MB} MB of memory, the limit for your code, counting every process" in messages


#: Root without CAP_SETUID and CAP_SYS_CHROOT: the grader cannot confine, so the learner's code runs as root,
#: with every installed package, as on a learner's laptop.
UNCONFINED = ("setpriv", "--bounding-set=-setuid,-setgid,-sys_chroot")


@container_only
def test_an_answer_using_torch_passes_where_code_is_not_confined_and_is_told_why_where_it_is():
    pytest.importorskip("torch")
    answer = HERE / "hostile" / "uses_torch.py"
    result, report = run_json("conv2d", "--file", str(answer), within=UNCONFINED, timeout=120)
    assert result.returncode == 0 and report["passed"], result.stderr  # torch's threads and a forked process
    _, confined = run_json("conv2d", "--file", str(answer))
    messages = "\n".join(check["message"] for check in confined["checks"])
    assert "No module named 'torch' in the sandbox" in messages
