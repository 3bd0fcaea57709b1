"""Fresh inputs for a class (`--seed S`; `--format gradescope` draws a seed): the verdict of a right or a
wrong answer does not depend on the seed, the seed is reported, and a run repeats exactly with it."""
import json

import pytest

from conftest import LEARNERS, ROOT, run_cli, run_json
from test_learner_variants import check_variant

#: Not every variant (the suite grades them all at the practice seed): the katas whose checks lean on the
#: draw the most (dropout's statistics, attention's masks, iou's touching boxes, softmax's large logits).
SAMPLED = ("iou", "dropout", "softmax_ce", "attention")
#: A seed other than practice's 0, fixed so that a failure here can be repeated.
CLASS_SEED = 20261129


@pytest.mark.parametrize("kata, path", [pytest.param(kata, path, id=f"{kata}/{path.stem}")
                                        for kata in SAMPLED for path in sorted((LEARNERS / kata).glob("*.py"))])
def test_a_variants_verdict_holds_under_another_seed(kata, path):
    check_variant(kata, path, seed=CLASS_SEED)


def test_the_seed_asked_for_is_used_and_reported():
    answer = ROOT / "solutions" / "conv2d.py"
    _, practice = run_json("conv2d", "--file", str(answer))
    _, seeded = run_json("conv2d", "--file", str(answer), "--seed", "7")
    assert practice["seed"] == 0 and seeded["seed"] == 7 and seeded["passed"]


def test_gradescope_draws_a_fresh_seed_reports_it_and_repeats_with_it():
    answer = LEARNERS / "conv2d" / "bug_db_mean.py"

    def results(*extra):
        result = run_cli("conv2d", "--file", str(answer), "--format", "gradescope", *extra)
        return json.loads(result.stdout)

    first, second = results(), results()
    seeds = [int(report["output"].rsplit("seed ", 1)[1].split()[0]) for report in (first, second)]
    assert all(seed != 0 for seed in seeds) and seeds[0] != seeds[1]
    again = results("--seed", str(seeds[0]))
    assert again == first  # the same seed: the same report, score and messages


def test_a_bad_seed_is_a_usage_error():
    result = run_cli("conv2d", "--seed", "-3")
    assert result.returncode == 2 and "seed" in result.stderr


RECORDER = '''
import json, os
import numpy as np

def _key(*args):
    return json.dumps([np.asarray(a, dtype=float).tolist() for a in args])

def _record(key, value):
    with open(os.environ["TABLE_FILE"], "a") as table:
        table.write(json.dumps([key, value]) + "\\n")

def iou(box_a, box_b):
    ax1, ay1, ax2, ay2 = (float(v) for v in box_a)
    bx1, by1, bx2, by2 = (float(v) for v in box_b)
    inter = max(0.0, min(ax2, bx2) - max(ax1, bx1)) * max(0.0, min(ay2, by2) - max(ay1, by1))
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    value = inter / union if union > 0 else 0.0
    _record(_key(box_a, box_b), value)
    return value

def iou_matrix(boxes_a, boxes_b):
    a, b = np.asarray(boxes_a, float).reshape(-1, 4), np.asarray(boxes_b, float).reshape(-1, 4)
    value = [[iou(x, y) for y in b] for x in a]
    _record(_key(boxes_a, boxes_b), value)
    return np.array(value, dtype=float).reshape(len(a), len(b))
'''

TABLE = '''
import json
import numpy as np

TABLE = dict(json.loads(line) for line in {lines!r})

def _key(*args):
    return json.dumps([np.asarray(a, dtype=float).tolist() for a in args])

def iou(box_a, box_b):
    return float(TABLE.get(_key(box_a, box_b), 0.0))

def iou_matrix(boxes_a, boxes_b):
    n, m = len(np.asarray(boxes_a).reshape(-1, 4)), len(np.asarray(boxes_b).reshape(-1, 4))
    return np.array(TABLE.get(_key(boxes_a, boxes_b), np.zeros((n, m)).tolist()), dtype=float).reshape(n, m)
'''


def test_a_table_of_the_practice_outputs_passes_practice_and_fails_a_fresh_seed(tmp_path, monkeypatch):
    # The recorder (a correct iou that writes down every input and output) runs unconfined, in spawn mode, so
    # that it may write its table; the table answer is then graded as any answer is.
    from grader.grading.catalogue import load_kata
    from grader.grading.engine import grade
    from grader.sandbox import confine, launcher

    table_file = tmp_path / "table.jsonl"
    monkeypatch.setenv("TABLE_FILE", str(table_file))
    monkeypatch.setenv("GRADER_START", "spawn")
    monkeypatch.setattr(launcher, "_LAUNCHERS", {})
    monkeypatch.setattr(confine, "can_confine", lambda: False)
    kata = load_kata("iou")
    recorder = tmp_path / "recorder" / "iou.py"
    recorder.parent.mkdir()
    recorder.write_text(RECORDER)
    try:
        assert grade(kata, recorder).passed
    finally:
        launcher.close_all()
    answer = tmp_path / "table" / "iou.py"
    answer.parent.mkdir()
    answer.write_text(TABLE.format(lines=table_file.read_text().splitlines()))

    practice = grade(kata, answer)
    assert practice.passed, [(c.name, c.message) for c in practice.checks if not c.passed]  # the table knows all
    assert not grade(kata, answer, seed=CLASS_SEED).passed
