"""How long a class takes: synthetic students over the whole catalogue, graded by `python -m grader class`.

    python benchmarks/class_scale.py [--students 200] [--seed 1]

Target (issue 18): 200 students, every kata, on a 2-core machine in at most 10 minutes. Each student's
folder mixes correct answers (the ok_ variants of tests/learners), wrong ones (the bug_ variants), a hostile
file now and then (a conv2d that hangs to the time limit, one that exits) and katas not handed in. Prints
students per minute and where the time goes: per kata, the mean seconds of a grading; the slowest students.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEARNERS = ROOT / "tests" / "learners"
HOSTILE = ROOT / "tests" / "hostile"


def make_class(folder: Path, students: int, rng: random.Random) -> None:
    sys.path.insert(0, str(ROOT))
    from grader.grading.catalogue import kata_names  # noqa: PLC0415
    from grader.instructor.variants import as_learners  # noqa: PLC0415

    for number in range(students):
        student = folder / f"student{number:03d}"
        student.mkdir(parents=True)
        for kata in kata_names():
            roll = rng.random()
            if roll < 0.05:
                continue  # not handed in
            if kata == "conv2d" and roll < 0.08:
                source = (HOSTILE / rng.choice(["hangs.py", "os_exit.py", "prints_megabytes.py"])).read_text()
            else:
                kind = "ok_" if roll < 0.7 else "bug_"
                choices = sorted(LEARNERS.joinpath(kata).glob(f"{kind}*.py")) or sorted(LEARNERS.joinpath(kata).glob("*.py"))
                source = as_learners(rng.choice(choices).read_text())
            (student / f"{kata}.py").write_text(source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grader-class-scale-") as scratch:
        folder = Path(scratch) / "class"
        make_class(folder, args.students, random.Random(args.seed))
        gradebook = Path(scratch) / "grades.csv"
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "grader", "class", str(folder), "--out", str(gradebook),
                                 "--seed", "7"], cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"class failed ({result.returncode}):\n{result.stderr[-2000:]}")
        reports = [json.loads(path.read_text()) for path in gradebook.with_suffix("").glob("*.json")]
    per_kata, per_student = defaultdict(list), []
    for report in reports:
        spent = sum(kata.get("seconds", 0.0) for kata in report["katas"].values())
        per_student.append((spent, report["student"]))
        for name, kata in report["katas"].items():
            if "seconds" in kata:
                per_kata[name].append(kata["seconds"])
    print(f"{len(reports)} students, every kata: {seconds:.0f} s wall ({seconds / 60:.1f} min; target <= 10 min: "
          f"{'meets' if seconds <= 600 else 'MISSES'}), {len(reports) / (seconds / 60):.1f} students per minute")
    print("where the time goes, mean seconds of one grading (and the total over the class):")
    for name, spent in sorted(per_kata.items(), key=lambda item: -sum(item[1])):
        print(f"  {name:20s} {statistics.mean(spent):6.2f} s  ({sum(spent):6.0f} s)")
    slowest = sorted(per_student, reverse=True)[:3]
    print("slowest students (grading seconds, summed over katas):",
          ", ".join(f"{name} {spent:.0f} s" for spent, name in slowest))


if __name__ == "__main__":
    main()
