"""How long grading takes, next to the interpreter floor. Prints ratios; asserts nothing.

    python benchmarks/grading_latency.py [--runs 7]

Targets: grading a kata's reference takes at most 3x the wall time of
`python -c "import numpy, rich"`, and a correct 4-loop conv2d is graded in
at most 2 s with every gradient element checked.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


#: As on a learner's machine: Python caches compiled bytecode (some sandboxes turn that off,
#: which would charge the grader ~20 ms of compiling per run that numpy and rich never pay).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def wall_seconds(command: list[str], runs: int) -> tuple[float, subprocess.CompletedProcess]:
    """Median wall time of `runs` runs of `command` (after one warm-up run), and the last result."""
    subprocess.run(command, cwd=ROOT, capture_output=True, env=ENV)
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=ENV)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    floor, _ = wall_seconds([sys.executable, "-c", "import numpy, rich"], runs)
    print(f"interpreter floor (import numpy, rich): {floor * 1e3:7.1f} ms")
    sys.path.insert(0, str(ROOT))
    from grader.catalogue import kata_names  # noqa: PLC0415

    rows = [(f"{kata} reference", kata, f"solutions/{kata}.py", ("ratio", 3.0)) for kata in kata_names()]
    rows.append(("conv2d 4-loop learner", "conv2d", "tests/learners/conv2d/ok_naive_loops.py", ("seconds", 2.0)))
    total = 0.0
    for label, kata, path, (kind, target) in rows:
        command = [sys.executable, "-m", "grader", kata, "--file", path]
        seconds, _ = wall_seconds(command, runs)  # the scorecard, as a learner runs it
        report = json.loads(subprocess.run(command + ["--json"], cwd=ROOT, capture_output=True).stdout)
        sampled = [c["name"] for c in report["checks"] if "numerically (time budget)" in c["message"]]
        coverage = "full gradient coverage" if not sampled else f"sampled gradients in {', '.join(sampled)}"
        measured = seconds / floor if kind == "ratio" else seconds
        verdict = "meets" if measured <= target else "MISSES"
        unit = "x floor" if kind == "ratio" else "s"
        print(f"{label:32s} {seconds * 1e3:7.1f} ms  = {measured:5.2f} {unit:7s} "
              f"(target <= {target:g} {unit}: {verdict}; passed={report['passed']}; {coverage})")
        total += seconds if kind == "ratio" else 0.0
    print(f"whole catalogue, one CLI run per kata: {total:5.2f} s (target <= 3 s: "
          f"{'meets' if total <= 3 else 'MISSES'})")


if __name__ == "__main__":
    main()
