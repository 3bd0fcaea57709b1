"""The practice loop as a learner lives it, through the CLI, in a temporary copy of katas/ and solutions/.

Status table, progress file, hints, solutions, reset, watch and interview:
each test runs `python -m grader ...` in that copy (the grader itself comes
from this checkout via PYTHONPATH), the way a person types it.
"""
from __future__ import annotations

import io
import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import LEARNERS, ROOT, correct_answer, pristine_root
from rich.console import Console

from grader.practice import progress as practice
from grader.grading.catalogue import kata_names, load_kata
from grader.cli import COMMANDS, SHARED_NAMES
from grader.practice.hints import show_hint
from grader.authoring.kata import Kata

PROGRESS = ".grader-progress.json"


# -- the learner's working copy and how they run the grader ------------------------------------------

def _env() -> dict:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("FORCE_COLOR", "NO_COLOR", "GRADER_PROGRESS", "COLUMNS")}
    environment.update(PYTHONPATH=str(ROOT), COLUMNS="100")
    return environment


@pytest.fixture
def work(tmp_path) -> Path:
    """A learner's working copy: katas/ and solutions/, no git."""
    root = tmp_path / "work"
    root.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.bak-*")
    for folder, source in (("katas", pristine_root()), ("solutions", ROOT)):
        shutil.copytree(source / folder, root / folder, ignore=ignore)
    return root


@pytest.fixture
def repo(work) -> Path:
    """The working copy as a git checkout, the stubs committed."""
    _git(work, "init", "-q")
    _git(work, "add", "katas", "solutions")
    _git(work, "commit", "-q", "-m", "the katas")
    return work


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Learner", "-c", "user.email=learner@example.com",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_CEILING_DIRECTORIES": str(cwd.parent)})


def grader(work: Path, *args: str, stdin=subprocess.DEVNULL, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m grader ARGS` run in the working copy, stdin not a terminal."""
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=work, stdin=stdin, capture_output=True, check=False,
                          text=True, timeout=timeout,
                          env={**_env(), "GIT_CEILING_DIRECTORIES": str(work.parent)})


def at_terminal(work: Path, answer: str, *args: str) -> subprocess.CompletedProcess:
    """`python -m grader ARGS` with a terminal on stdin, where the learner types `answer`."""
    main, terminal = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "grader", *args], cwd=work, stdin=terminal,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    finally:
        os.close(terminal)
    try:
        os.write(main, answer.encode())
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.close(main)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


class Running:
    """`python -m grader ARGS` running in the background, its output collected as it comes."""

    def __init__(self, work: Path, *args: str):
        self.process = subprocess.Popen([sys.executable, "-m", "grader", *args], cwd=work, env=_env(),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._readers = [threading.Thread(target=lines.extend, args=(stream,), daemon=True)
                         for stream, lines in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr))]
        for reader in self._readers:
            reader.start()

    @property
    def output(self) -> str:
        return "".join(self.stdout)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        """Until stdout says `text` (wrapped or not)."""
        deadline = time.monotonic() + timeout
        while flat(text) not in flat(self.output):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"never printed {text!r}:\n{self.output}\n{''.join(self.stderr)}")
            time.sleep(0.05)

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        """Exit status, stdout, stderr once it has ended by itself."""
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            pytest.fail(f"still running after {timeout} s:\n{self.output}")
        for reader in self._readers:
            reader.join(5)
        return self.process.returncode, self.output, "".join(self.stderr)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def save(path: Path, source: Path | str) -> None:
    """What an editor does on save: the new text in the file, a fresh modification time."""
    path.write_text(source.read_text() if isinstance(source, Path) else source)


def progress(work: Path) -> dict:
    return json.loads((work / PROGRESS).read_text())["katas"]


def table_row(table: str, kata: str) -> str:
    return next(line for line in table.splitlines() if line.split()[:1] == [kata])


def flat(text: str) -> str:
    """Whitespace collapsed, so a wrapped paragraph still contains its sentence."""
    return " ".join(text.split())


def kata_with_hints(tiers: int = 2) -> Kata:
    return next(kata for kata in map(load_kata, kata_names()) if len(kata.hints) >= tiers)


# -- the commands ------------------------------------------------------------------------------------

def test_commands_are_not_kata_names_but_init_which_tells_them_apart_by_its_folder():
    assert set(COMMANDS) & set(kata_names()) <= SHARED_NAMES == {"init"}
    assert set(COMMANDS) == {"init", "hint", "solution", "reset", "watch", "interview", "new", "check", "all",
                             "class"}


def test_init_alone_grades_the_init_kata_and_init_with_a_folder_makes_a_workspace(work, tmp_path):
    graded = grader(work, "init", "--json")
    assert graded.returncode == 1 and json.loads(graded.stdout)["kata"] == "init"  # the stub: not started
    shutil.copy(work / "solutions" / "init.py", work / "answer.py")
    assert grader(work, "init", "--file", "answer.py").returncode == 0
    made = grader(work, "init", str(tmp_path / "space"))
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "space" / "katas" / "init.py").is_file() and (tmp_path / "space" / "katas" / "conv2d.py").is_file()
    helped = grader(work, "init", "--help")
    assert helped.returncode == 0 and "workspace" in helped.stdout and "grades the init kata" in flat(helped.stdout)


def test_the_readme_lists_every_kata_in_its_tables():
    listed = set(re.findall(r"^\| `(\w+)` \|", (ROOT / "README.md").read_text(), flags=re.MULTILINE))
    assert listed >= set(kata_names()), sorted(set(kata_names()) - listed)


def test_status_table_after_passing_one_kata_and_failing_another(work):
    shutil.copy(correct_answer("iou"), work / "katas" / "iou.py")
    assert grader(work, "iou").returncode == 0
    shutil.copy(LEARNERS / "conv2d" / "bug_db_mean.py", work / "katas" / "conv2d.py")
    failing = grader(work, "conv2d", "--json")
    assert failing.returncode == 1
    report = json.loads(failing.stdout)

    table = grader(work)
    assert table.returncode == 0, table.stderr
    assert "passed" in table_row(table.stdout, "iou")
    assert f"failing {report['score']}/{report['max_score']}" in table_row(table.stdout, "conv2d")
    for kata in set(kata_names()) - {"iou", "conv2d"}:
        assert "not started" in table_row(table.stdout, kata)
    assert "Next: keep at conv2d" in table.stdout and "python -m grader hint conv2d" in table.stdout

    recorded = progress(work)
    assert recorded["iou"]["status"] == "passed" and recorded["iou"]["first_passed"]
    assert recorded["iou"]["best_score"] == recorded["iou"]["max_score"] > 0
    assert recorded["conv2d"]["status"] == "failing" and recorded["conv2d"]["score"] == report["score"]
    assert recorded["conv2d"]["last_graded"] and recorded["conv2d"]["first_passed"] is None


def test_from_inside_a_workspace_its_own_files_are_graded_and_its_progress_kept_at_its_root(work):
    # `work` is a second copy of the catalogue; this checkout's grader is the one installed.
    save(work / "katas" / "iou.py", correct_answer("iou"))
    result = grader(work / "katas", "iou")
    assert result.returncode == 0, result.stdout  # work's file, not this checkout's katas/iou.py
    assert progress(work)["iou"]["status"] == "passed"
    assert not (work / "katas" / PROGRESS).exists()
    assert "passed" in table_row(grader(work / "katas").stdout, "iou")


def test_outside_any_workspace_the_overview_says_how_to_make_one(tmp_path):
    result = grader(tmp_path)
    assert result.returncode == 2 and "python -m grader init DIR" in result.stderr


def test_grading_another_file_leaves_progress_alone(work):
    result = grader(work, "iou", "--file", "solutions/iou.py")
    assert result.returncode == 0
    assert not (work / PROGRESS).exists()


def test_corrupt_progress_file_never_breaks_grading(work):
    (work / PROGRESS).write_text('{"katas": {"iou": ')
    result = grader(work, "iou", "--json")
    assert result.returncode == 1  # the untouched stub
    assert json.loads(result.stdout)["kata"] == "iou"  # stdout is still exactly the contract's JSON object
    assert result.stderr.count("progress file") == 1 and "corrupt" in result.stderr
    assert progress(work)["iou"]["status"] == "not started"  # rewritten, whole
    assert (work / (PROGRESS + ".corrupt")).read_text() == '{"katas": {"iou": '  # the old one kept
    overview = grader(work)
    assert overview.returncode == 0 and "progress file" not in overview.stderr  # said once, not on every run


def test_a_corrupt_progress_file_is_reported_once_even_when_nothing_is_recorded(work):
    (work / PROGRESS).write_text("not json")
    first, second = grader(work), grader(work)  # the overview only reads the file
    assert "corrupt" in first.stderr and "progress file" not in second.stderr


def test_unwritable_progress_file_never_breaks_grading(work):
    (work / PROGRESS).mkdir()  # neither readable nor replaceable as a file
    shutil.copy(correct_answer("iou"), work / "katas" / "iou.py")
    result = grader(work, "iou")
    assert result.returncode == 0 and "PASSED" in result.stdout
    assert result.stderr.count("progress file") == 1 and "Traceback" not in result.stderr


def test_progress_file_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    path = tmp_path / PROGRESS
    practice.record_grade("iou", "failing", 3, 14, path)
    before = path.read_text()

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    assert practice.save({"iou": practice.KataProgress(status="passed")}, path) is False
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == [PROGRESS]  # no temporary file left behind


def test_grading_leaves_only_the_progress_file(work):
    grader(work, "iou")
    grader(work, "iou")
    assert sorted(p.name for p in work.iterdir()) == sorted([PROGRESS, "katas", "solutions"])


def test_hints_come_one_tier_at_a_time_then_say_there_are_no_more(work):
    kata = kata_with_hints()
    tiers = [flat(hint) for hint in kata.hints]
    for shown, hint in enumerate(tiers):
        result = grader(work, "hint", kata.name)
        assert result.returncode == 0, result.stderr
        assert hint in flat(result.stdout) and f"hint {shown + 1} of {len(tiers)}" in result.stdout
        assert not any(other in flat(result.stdout) for other in tiers if other != hint)
        assert "no more" not in result.stdout
        assert progress(work)[kata.name]["hints_shown"] == shown + 1
    again = grader(work, "hint", kata.name)
    assert again.returncode == 0
    assert "no more hints" in again.stdout and tiers[-1] in flat(again.stdout)


def test_a_kata_without_hints_says_so():
    console = Console(file=io.StringIO(), width=100)
    bare = Kata(name="bare", title="no hints here", functions=(), checks=())
    assert show_hint(bare, console) == 1
    assert "bare has no hints" in console.file.getvalue()


def _solution_only_lines(kata: str) -> list[str]:
    """Lines of the worked answer that the stub does not have: the giveaway."""
    stub = set((pristine_root() / "katas" / f"{kata}.py").read_text().splitlines())
    return [line for line in (ROOT / "solutions" / f"{kata}.py").read_text().splitlines()
            if line.strip() and line not in stub]


def test_solution_is_refused_without_confirmation(work):
    giveaway = _solution_only_lines("iou")
    refused = grader(work, "solution", "iou")  # stdin is not a terminal: nobody to ask
    assert refused.returncode == 1
    assert not any(line in refused.stdout for line in giveaway)
    assert "not passed iou yet" in refused.stderr and "--yes" in refused.stderr

    declined = at_terminal(work, "n\n", "solution", "iou")
    assert declined.returncode == 1 and "[y/N]" in declined.stderr
    assert not any(line in declined.stdout for line in giveaway)

    at_eof = at_terminal(work, "\x04", "solution", "iou")  # Ctrl-D
    assert at_eof.returncode == 1 and not any(line in at_eof.stdout for line in giveaway)

    confirmed = at_terminal(work, "y\n", "solution", "iou")
    assert confirmed.returncode == 0 and giveaway[0] in confirmed.stdout


def test_solution_with_yes_does_not_ask(work):
    result = grader(work, "solution", "iou", "--yes")
    assert result.returncode == 0
    assert result.stdout == (work / "solutions" / "iou.py").read_text()


def test_solution_is_shown_after_a_pass(work):
    shutil.copy(correct_answer("iou"), work / "katas" / "iou.py")
    assert grader(work, "iou").returncode == 0
    result = grader(work, "solution", "iou")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (work / "solutions" / "iou.py").read_text()  # piped: the file as it is


def test_reset_keeps_a_backup_and_restores_the_stub(repo):
    learner = repo / "katas" / "conv2d.py"
    stub = learner.read_bytes()
    save(learner, "# my first try\n" + (repo / "solutions" / "conv2d.py").read_text())
    first_try = learner.read_bytes()

    result = grader(repo, "reset", "conv2d")
    assert result.returncode == 0, result.stderr
    assert learner.read_bytes() == stub
    backups = sorted((repo / "katas").glob("conv2d.py.bak-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == first_try
    assert re.fullmatch(r"conv2d\.py\.bak-\d{8}-\d{6}", backups[0].name)
    assert backups[0].name in result.stdout

    save(learner, "# my second try\n")  # reset again within the same second: a new backup, the first intact
    assert grader(repo, "reset", "conv2d").returncode == 0
    backups = sorted((repo / "katas").glob("conv2d.py.bak-*"))
    assert [b.read_bytes() for b in backups] == [first_try, b"# my second try\n"]
    assert learner.read_bytes() == stub

    again = grader(repo, "reset", "conv2d")
    assert again.returncode == 0 and "already" in again.stdout
    assert len(list((repo / "katas").glob("conv2d.py.bak-*"))) == 2


def test_after_a_reset_the_overview_no_longer_says_passed(work):
    save(work / "katas" / "iou.py", correct_answer("iou"))
    assert grader(work, "iou").returncode == 0 and progress(work)["iou"]["status"] == "passed"
    assert grader(work, "reset", "iou").returncode == 0
    entry = progress(work)["iou"]
    assert entry["status"] == "not started" and entry["first_passed"]  # its history stays
    assert "not started" in table_row(grader(work).stdout, "iou")


def test_a_capstone_never_touched_is_not_started_after_grading_everything(work):
    grader(work, "all")
    recorded = progress(work)
    assert recorded["convnet"]["status"] == "not started" and recorded["conv2d"]["status"] == "not started"


def test_reset_finds_the_stub_behind_committed_work(repo):
    learner = repo / "katas" / "iou.py"
    stub = learner.read_bytes()
    shutil.copy(repo / "solutions" / "iou.py", learner)
    _git(repo, "commit", "-q", "-am", "my iou")
    assert grader(repo, "reset", "iou").returncode == 0
    assert learner.read_bytes() == stub


def test_reset_without_git_takes_the_stub_from_the_installed_grader(work):
    learner = work / "katas" / "iou.py"
    save(learner, "# my work\n")
    result = grader(work, "reset", "iou")
    assert result.returncode == 0, result.stderr
    assert learner.read_bytes() == (pristine_root() / "katas" / "iou.py").read_bytes()
    backups = list((work / "katas").glob("iou.py.bak-*"))
    assert len(backups) == 1 and backups[0].read_text() == "# my work\n"


def test_watch_grades_again_after_a_save(work):
    watching = Running(work, "watch", "conv2d", "--max-runs", "2", "--stop-after", "60")
    watching.wait_for("save it to grade again")
    assert "NOT STARTED" in watching.output
    save(work / "katas" / "conv2d.py", correct_answer("conv2d"))
    status, output, stderr = watching.finish()
    assert status == 0, stderr
    second = output.split("conv2d.py saved at", 1)[1]
    assert "(run 2)" in second and "PASSED" in second
    assert progress(work)["conv2d"]["status"] == "passed"


def test_ctrl_c_stops_watching_cleanly(work):
    watching = Running(work, "watch", "iou", "--stop-after", "60")
    watching.wait_for("save it to grade again")
    watching.process.send_signal(signal.SIGINT)
    status, output, stderr = watching.finish()
    assert status == 0
    assert "Stopped watching" in output and "Traceback" not in stderr


def test_interview_records_a_best_time(repo):
    stub = (repo / "katas" / "iou.py").read_text()
    interview = Running(repo, "interview", "iou", "--stop-after", "60")
    interview.wait_for("Ctrl-C gives up")
    scratch = repo / "interview" / "iou.py"
    assert scratch.read_text() == stub  # a fresh copy of the stub
    assert "interview/iou.py" in interview.output
    assert "def iou_matrix(boxes_a, boxes_b):" in interview.output  # the spec: signatures and docstrings
    assert "NotImplementedError" not in interview.output

    save(scratch, correct_answer("iou"))
    status, output, stderr = interview.finish()
    assert status == 0, stderr
    assert "Full pass in" in output and "a new best" in output
    best = progress(repo)["iou"]["interview_best_seconds"]
    assert 0 < best < 60
    assert (repo / "katas" / "iou.py").read_text() == stub  # the learner's own file is not touched
    assert practice.format_duration(best) in table_row(grader(repo).stdout, "iou")


def test_interview_picks_a_kata_not_yet_mastered(repo):
    open_kata = "mse_loss"
    mastered = {name: {"interview_best_seconds": 100.0} for name in kata_names() if name != open_kata}
    (repo / PROGRESS).write_text(json.dumps({"version": 1, "katas": mastered}))
    result = grader(repo, "interview", "--stop-after", "0.5")
    assert result.returncode == 1  # over without a pass
    assert f"Interview: {open_kata}" in result.stdout and "no time recorded" in result.stdout
    assert (repo / "interview" / f"{open_kata}.py").read_text() == (repo / "katas" / f"{open_kata}.py").read_text()


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"init", "new", "check", "all", "class"}))  # no kata
def test_an_unknown_kata_is_a_usage_error_for_every_command(work, command):
    result = grader(work, command, "conv3d")
    assert result.returncode == 2
    assert "unknown kata 'conv3d'" in result.stderr and "conv2d" in result.stderr and "iou" in result.stderr


def test_a_missing_kata_is_a_usage_error(work):
    result = grader(work, "hint")
    assert result.returncode == 2 and "kata" in result.stderr


def test_plain_grading_imports_none_of_the_practice_commands():
    probe = ("import sys, grader.cli; "
             "print(sorted(m for m in sys.modules if m.split('.')[-1] in "
             "('practice', 'files', 'overview', 'hints', 'reveal', 'stubs', 'watch', 'interview')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=_env(), cwd=ROOT,
                            check=False)
    assert result.stdout.strip() == "[]", result.stderr


def test_a_save_made_before_watching_begins_is_graded_when_its_caller_knew_the_file_unsaved(tmp_path):
    # The interview tells the learner to edit its copy of the stub, then starts watching: a save landing
    # between the two must still be graded (it was missed, and the interview ran to its time limit).
    from grader.practice.watch import Limits, signature, watch  # noqa: PLC0415

    answer = tmp_path / "iou.py"
    answer.write_text("def iou(a, b):\n    return 0.0\n")
    unsaved = signature(answer)
    time.sleep(0.01)
    shutil.copy(correct_answer("iou"), answer)  # saved before watch() is even called
    reports = []
    reason = watch(load_kata("iou"), answer, Console(file=io.StringIO()), grade_first=False,
                   on_report=lambda report: reports.append(report) or report.passed,
                   limits=Limits(stop_after=20), since=unsaved)
    assert reason == "done" and reports[-1].passed
