"""`python -m grader class DIR`: a class of good, wrong and hostile students, every grade checked."""
import csv
import json
import shutil

from conftest import LEARNERS, run_cli
from grader.grading.catalogue import load_kata

HOSTILE = LEARNERS.parent / "hostile"


def _class(root):
    """alice right twice, bob wrong once and missing iou, mallory hostile twice, dave misnamed and a stray."""
    folders = {name: root / name for name in ("alice", "bob", "mallory", "dave")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    shutil.copy(LEARNERS / "iou" / "ok_python_floats.py", folders["alice"] / "iou.py")
    shutil.copy(LEARNERS / "conv2d" / "ok_im2col_dict_cache.py", folders["alice"] / "conv2d.py")
    shutil.copy(LEARNERS / "conv2d" / "bug_db_mean.py", folders["bob"] / "conv2d.py")
    shutil.copy(HOSTILE / "hangs.py", folders["mallory"] / "conv2d.py")
    (folders["mallory"] / "iou.py").write_text("import os\n\ndef iou(a, b):\n    os._exit(0)\n\n"
                                               "def iou_matrix(a, b):\n    os._exit(0)\n")
    shutil.copy(LEARNERS / "conv2d" / "ok_im2col_dict_cache.py", folders["dave"] / "Conv2D_v2.py")
    (folders["dave"] / "notes.txt").write_text("my notes\n")
    (root / "roster.txt").write_text("not a student\n")


def test_a_class_is_graded_into_a_gradebook_and_a_report_per_student(tmp_path):
    _class(tmp_path / "class")
    gradebook = tmp_path / "grades.csv"
    result = run_cli("class", str(tmp_path / "class"), "--out", str(gradebook), "--seed", "5", "--timeout", "3",
                     timeout=300)
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stdout.split())  # as wrapped at 80 columns
    assert "with seed 5" in said and "roster.txt is not a student's folder" in said

    rows = {row["student"]: row for row in csv.DictReader(gradebook.open())}
    assert list(rows) == ["alice", "bob", "dave", "mallory"]
    assert list(rows["alice"])[1:3] == ["conv2d", "iou"]  # the assignment: what the class handed in
    full = {kata: len(load_kata(kata).checks) for kata in ("conv2d", "iou")}
    grades = {name: (int(row["conv2d"]), int(row["iou"]), int(row["total"]), int(row["max_total"]))
              for name, row in rows.items()}
    assert grades["alice"] == (full["conv2d"], full["iou"], sum(full.values()), sum(full.values()))
    assert grades["bob"] == (full["conv2d"] - 3, 0, full["conv2d"] - 3, sum(full.values()))  # db: 3 rows
    assert grades["mallory"][:3] == (0, 0, 0)  # a hang and an exit: nothing passes, nothing spills over
    assert grades["dave"][:3] == (0, 0, 0)
    assert "no file for: iou" in rows["bob"]["notes"]
    assert "Conv2D_v2.py is not a kata's file name (is it conv2d.py?)" in rows["dave"]["notes"]
    assert "notes.txt is not a kata's file" in rows["dave"]["notes"]

    reports = {path.stem: json.loads(path.read_text()) for path in (tmp_path / "grades").glob("*.json")
               if not path.name.endswith(".results.json")}
    assert set(reports) == set(rows) and all(report["seed"] == 5 for report in reports.values())
    gradescope = json.loads((tmp_path / "grades" / "bob.results.json").read_text())  # as Gradescope shows it
    assert gradescope["score"] == grades["bob"][2] and gradescope["max_score"] == grades["bob"][3]
    assert any("iou.py was not handed in" in test["output"] for test in gradescope["tests"])
    assert "timed out" in reports["mallory"]["katas"]["conv2d"]["problem"]
    assert reports["bob"]["katas"]["iou"]["missing"] is True


def test_a_class_run_draws_a_fresh_seed_and_says_it(tmp_path):
    (tmp_path / "class" / "alice").mkdir(parents=True)
    shutil.copy(LEARNERS / "iou" / "ok_python_floats.py", tmp_path / "class" / "alice" / "iou.py")
    result = run_cli("class", str(tmp_path / "class"), "--out", str(tmp_path / "grades.csv"), timeout=120)
    assert result.returncode == 0, result.stderr
    seed = json.loads((tmp_path / "grades" / "alice.json").read_text())["seed"]
    assert seed != 0 and f"with seed {seed}" in " ".join(result.stdout.split())


def test_a_capstone_in_a_class_is_graded_from_the_students_own_parts(tmp_path):
    from grader.instructor.variants import as_learners

    kata = load_kata("convnet")
    solved = {name: as_learners((LEARNERS.parents[1] / "solutions" / f"{name}.py").read_text())
              for name in (*kata.depends_on, "convnet")}
    for student, conv2d in (("erin", solved["conv2d"]), ("frank", (LEARNERS / "conv2d" / "bug_db_mean.py").read_text())):
        folder = tmp_path / "class" / student
        folder.mkdir(parents=True)
        for name, source in {**solved, "conv2d": conv2d}.items():
            (folder / f"{name}.py").write_text(source)
    result = run_cli("class", str(tmp_path / "class"), "--out", str(tmp_path / "grades.csv"), "--seed", "3",
                     timeout=300)
    assert result.returncode == 0, result.stderr
    reports = {path.stem: json.loads(path.read_text()) for path in (tmp_path / "grades").glob("*.json")
               if not path.name.endswith(".results.json")}
    assert reports["erin"]["katas"]["convnet"]["passed"]
    frank = reports["frank"]["katas"]["convnet"]
    assert frank["score"] == 0 and "conv2d (10/13)" in frank["problem"]  # his own conv2d, not the grader's
