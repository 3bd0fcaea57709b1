"""The engine end to end on a toy kata whose gradients are known in closed form.

The toy layer is out = tanh(x @ w): its reference lives in a temporary module,
and learner files are graded through the same `grade` the CLI uses.
"""
import re
import textwrap
import time

import numpy as np
import pytest

from grader.grading.engine import grade
from grader.authoring.kata import Kata
from grader.authoring.layer import Case, Edge, Layer, layer_checks, layer_speed
from grader.checks.speed import LEARNER_FLOOR_SECONDS

REFERENCE = '''
import numpy as np

def toy_forward(x, w):
    out = np.tanh(x @ w)
    return out, (x, w, out)

def toy_backward(dout, cache):
    x, w, out = cache
    dz = dout * (1 - out ** 2)
    return dz @ w.T, x.T @ dz
'''


def _toy_kata(cases) -> Kata:
    layer = Layer(
        forward="toy_forward", backward="toy_backward", inputs=("x", "w"), cases=cases,
        edges=(Edge("one sample", Case("N = 1", {"x": (1, 3), "w": (3, 2)})),),
        speed_case=Case("speed", {"x": (64, 32), "w": (32, 16)}),
    )
    return Kata(name="toy", title="toy", functions=("toy_forward", "toy_backward"),
                checks=layer_checks(layer), speed=layer_speed(layer), reference="toy_reference")


@pytest.fixture
def toy_kata(tmp_path, monkeypatch):
    (tmp_path / "toy_reference.py").write_text(REFERENCE)
    monkeypatch.syspath_prepend(str(tmp_path))
    return _toy_kata((Case("small", {"x": (3, 4), "w": (4, 2)}), Case("tall", {"x": (6, 2), "w": (2, 3)})))


def _grade(kata, learner_file, source):
    return grade(kata, learner_file(textwrap.dedent(source)), timeout=10)


def _failures(report):
    return {check.name: check for check in report.checks if not check.passed}


def test_reference_itself_passes_every_check(toy_kata, tmp_path):
    report = grade(toy_kata, tmp_path / "toy_reference.py")
    assert report.passed, _failures(report)
    assert [c.name for c in report.checks] == [
        "forward output shape", "backward gradient shapes", "forward values", "gradient dx", "gradient dw",
        "one sample", "inputs not modified", "deterministic"]
    assert report.speed is not None and report.speed.learner_seconds is not None


def test_backward_wrong_in_a_single_element_is_caught(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.replace(
        "return dz @ w.T, x.T @ dz",
        "dw = x.T @ dz\n    dw[1, 0] *= 1.01\n    return dz @ w.T, dw"))
    failures = _failures(report)
    assert set(failures) == {"gradient dw", "one sample"}
    message = failures["gradient dw"].message
    assert "dw[1, 0]" in message and "1 of 8 elements off" in message
    assert failures["gradient dw"].outcome == "fail"


def test_backward_consistent_with_a_wrong_forward_is_blamed_on_the_forward(toy_kata, learner_file):
    # forward uses sin instead of tanh, and backward differentiates sin correctly
    report = _grade(toy_kata, learner_file, '''
        import numpy as np
        def toy_forward(x, w):
            return np.sin(x @ w), (x, w)
        def toy_backward(dout, cache):
            x, w = cache
            dz = dout * np.cos(x @ w)
            return dz @ w.T, x.T @ dz
        ''')
    failures = _failures(report)
    assert "forward values" in failures
    assert "agrees with the numerical gradient of your forward, but your forward is wrong" \
        in failures["gradient dx"].message


def test_gradient_matching_neither_reference_nor_numerical(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.replace("dz = dout * (1 - out ** 2)", "dz = dout"))
    failures = _failures(report)
    assert {"gradient dx", "gradient dw"} <= set(failures)
    assert "forward values" not in failures


def test_stub_is_not_started(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, '''
        def toy_forward(x, w):
            raise NotImplementedError("toy_forward: not started")
        def toy_backward(dout, cache):
            raise NotImplementedError("toy_backward: not started")
        ''')
    assert report.status == "not started"
    assert all(check.outcome == "not started" for check in report.checks)
    assert report.score == 0 and report.speed is None


def test_forward_done_backward_stub_is_failing_not_not_started(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.replace(
        "    x, w, out = cache\n", "    raise NotImplementedError\n"))
    assert report.status == "failing"
    outcomes = {check.name: check.outcome for check in report.checks}
    assert outcomes["forward values"] == "pass"
    assert outcomes["gradient dx"] == "not started"
    assert "toy_backward raises NotImplementedError" in _failures(report)["gradient dx"].message


def test_modifying_dout_in_place_is_caught(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.replace(
        "dz = dout * (1 - out ** 2)", "dout *= (1 - out ** 2)\n    dz = dout"))
    failures = _failures(report)
    assert "toy_backward modified its input dout in place" in failures["inputs not modified"].message


def test_wrong_return_structure_is_named(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.replace("return out, (x, w, out)", "return out"))
    message = _failures(report)["forward output shape"].message
    assert "toy_forward must return a tuple (out, cache); it returned an array" in message


def test_numerical_gradients_cover_every_element_when_affordable(toy_kata, tmp_path):
    report = grade(toy_kata, tmp_path / "toy_reference.py")
    assert all("checked" not in check.message for check in report.checks)


def test_a_quick_forwards_numerical_gradients_take_one_request_per_case(toy_kata, tmp_path, monkeypatch):
    # Each request is a round trip to the learner's process: on small cases, most of grading's time.
    from grader.sandbox.process import LearnerProcess

    requests, perturbed_outputs_at = [], LearnerProcess.perturbed_outputs_at

    def counted(self, fn, args, kwargs, points, h, item):
        requests.append({wrt for wrt, _ in points})
        return perturbed_outputs_at(self, fn, args, kwargs, points, h, item)

    monkeypatch.setattr(LearnerProcess, "perturbed_outputs_at", counted)
    report = grade(toy_kata, tmp_path / "toy_reference.py")
    assert report.passed, _failures(report)
    assert all("checked" not in check.message for check in report.checks)
    cases = 3  # small, tall, and the edge "one sample"
    # The first case may measure its cost input by input (its first forward may be cold); the rest are one each.
    assert sum(wrts == {0, 1} for wrts in requests) >= cases - 1 and len(requests) <= cases - 1 + 2 * 2, requests


def test_slow_forward_gets_a_sampled_gradient_check_that_says_so(toy_kata, learner_file, monkeypatch):
    monkeypatch.setattr("grader.checks.session.GRADIENT_SECONDS", 0.05)
    kata = _toy_kata((Case("large", {"x": (10, 8), "w": (8, 6)}),))
    report = _grade(kata, learner_file, REFERENCE.replace(
        "    out = np.tanh(x @ w)\n", "    import time; time.sleep(0.002)\n    out = np.tanh(x @ w)\n"))
    assert report.passed
    notes = [check.message for check in report.checks if check.name.startswith("gradient")]
    assert any("numerically (time budget)" in note and "checked" in note for note in notes)


def test_a_slow_learner_is_stopped_by_the_speed_lines_share_of_the_time(toy_kata, learner_file):
    # Correct, but 5 s slow on the speed workload (x has 64 rows) only: the checks all pass.
    slow = REFERENCE.replace("    x, w, out = cache\n",
                             "    x, w, out = cache\n    if len(x) == 64:\n        time.sleep(5)\n")
    started = time.perf_counter()
    report = _grade(toy_kata, learner_file, "import time\n" + slow)
    elapsed = time.perf_counter() - started
    assert report.passed and report.speed.learner_seconds is None
    waited = float(re.search(r"took over (\d+) ms, more than \d+x the reference's time", report.speed.note)[1]) / 1e3
    assert waited <= max(0.1 * elapsed, LEARNER_FLOOR_SECONDS)  # its share of the grading time, not the 5 s
    assert "may add only 10% to grading" in report.speed.note


def test_the_speed_line_survives_a_learner_that_patches_its_clock(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE + '''
import sys, time
time.perf_counter = lambda: 0.0  # cannot reach the clock the timing bound before this file ran
''')
    assert report.passed and report.speed.learner_seconds > 0
    report = _grade(toy_kata, learner_file, REFERENCE + '''
import sys
sys.modules["grader.sandbox.trusted.timed_pass"]._clock = lambda: float("nan")  # reaches it, and is refused
''')
    assert report.passed and report.speed.learner_seconds is None and "not measured" in report.speed.note


def test_a_rows_early_start_runs_before_the_first_row_and_a_failing_one_leaves_the_work_to_the_row(
        toy_kata, learner_file):
    from grader.authoring.kata import Check

    calls = []

    def broken_start(session):
        calls.append("start broken")
        raise RuntimeError("could not start early")

    kata = Kata(name="toy", title="toy", functions=("toy_forward",), reference="toy_reference", checks=(
        Check("first", "value", lambda session: calls.append("first")),
        Check("second", "behaviour", lambda session: calls.append("second"), start=lambda s: calls.append("start")),
        Check("third", "behaviour", lambda session: calls.append("third"), start=broken_start),
    ))
    report = grade(kata, learner_file("def toy_forward(x, w):\n    return x\n"), timeout=10)
    assert calls == ["start", "start broken", "first", "second", "third"]
    assert report.passed


def test_grading_runs_one_blas_thread_from_when_learner_code_runs_and_lifts_it_after(toy_kata, learner_file,
                                                                                       monkeypatch):
    from conftest import blas_thread_counts
    from grader.sandbox.process import LearnerProcess

    before = blas_thread_counts()
    if not before:
        pytest.skip("threadpoolctl finds no BLAS library here")
    at_begin = []
    begin = LearnerProcess.begin
    monkeypatch.setattr(LearnerProcess, "begin", lambda self: at_begin.append(blas_thread_counts()) or begin(self))
    assert _grade(toy_kata, learner_file, REFERENCE).passed
    assert at_begin == [[1] * len(before)]
    assert blas_thread_counts() == before



def test_no_learner_code_runs_before_the_callers_imports_are_done(toy_kata, learner_file, monkeypatch):
    # The CLI imports its renderer while the learner's processes start: learner code could change the files an
    # import reads, so it may run only once they are done. The learner's file notes when it was imported.
    from grader.sandbox.process import LearnerProcess

    imported_at, done = [], []

    def imports():
        time.sleep(0.2)  # long enough that a learner's file imported meanwhile would say so
        done.append(time.time())
    begin = LearnerProcess.begin

    def begin_and_ask(self):
        begin(self)
        imported_at.append(self.call("imported_at").value)
    monkeypatch.setattr(LearnerProcess, "begin", begin_and_ask)
    path = learner_file(REFERENCE + "\nimport time\nIMPORTED_AT = time.time()\n\ndef imported_at():\n"
                                    "    return IMPORTED_AT\n")
    assert grade(toy_kata, path, timeout=10, imports=imports).passed
    assert done and imported_at and imported_at[0] > done[0]

# -- the rule for gradients: agreement with numerical gradients of the learner's own forward -------

def test_a_forward_right_only_at_the_graded_inputs_fails_its_gradients(toy_kata, learner_file):
    # Memoised by shape: right at the first call of each shape, stale at the nudged inputs of numerical
    # gradients. Its values and its (reference-exact) backward agree with the reference.
    report = _grade(toy_kata, learner_file, REFERENCE.replace(
        "def toy_forward(x, w):\n    out = np.tanh(x @ w)",
        "_seen = {}\n\ndef toy_forward(x, w):\n    out = _seen.setdefault((x.shape, w.shape), np.tanh(x @ w))"))
    failures = _failures(report)
    assert {"gradient dx", "gradient dw"} <= set(failures)
    assert "forward values" not in failures and "deterministic" not in failures
    assert "right at the graded inputs but not around them" in failures["gradient dx"].message


def test_a_float32_forward_is_named_in_the_gradient_rows(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.replace(
        "out = np.tanh(x @ w)", "out = np.tanh(x.astype(np.float32) @ w.astype(np.float32))"))
    failures = _failures(report)
    assert "it returns float32: compute in float64" in failures["gradient dx"].message


# -- one root problem said once ----------------------------------------------------------------

def test_rows_that_need_the_forward_shape_are_skipped_with_a_pointer(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.replace("return out, (x, w, out)", "return out.T, (x, w, out)"))
    outcomes = {check.name: check.outcome for check in report.checks}
    assert outcomes["forward output shape"] == "fail"
    for name in ("backward gradient shapes", "forward values", "gradient dx", "one sample",
                 "inputs not modified", "deterministic"):
        assert outcomes[name] == "not run", name
        assert report.checks[[c.name for c in report.checks].index(name)].message == \
            "not run: fix 'forward output shape' first"


def test_a_gradient_of_the_right_shape_is_checked_when_another_is_not(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.replace("return dz @ w.T, x.T @ dz", "return dz @ w.T, dz.T @ x"))
    outcomes = {check.name: check.outcome for check in report.checks}
    assert outcomes["backward gradient shapes"] == "fail"
    assert outcomes["gradient dx"] == "pass" and outcomes["gradient dw"] == "not run"


def test_a_missing_function_is_said_once(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.split("def toy_backward")[0])
    message = _failures(report)["backward gradient shapes"].message
    assert "no function named toy_backward" in message and "more of" not in message


# -- inputs not modified, on every call --------------------------------------------------------

def test_an_input_modified_only_on_a_repeated_call_is_caught(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.replace(
        "def toy_forward(x, w):\n",
        "_calls = {}\n\ndef toy_forward(x, w):\n"
        "    key = (x.tobytes(), w.tobytes())\n"
        "    _calls[key] = _calls.get(key, 0) + 1\n"
        "    if _calls[key] == 2:\n        x *= 1.0 + 1e-3\n"))
    message = _failures(report)["inputs not modified"].message
    assert "toy_forward modified its input x in place" in message and "repeated call" in message


def test_an_input_modified_only_in_an_edge_configuration_is_caught(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.replace(
        "    out = np.tanh(x @ w)\n", "    if len(x) == 1:\n        w += 0.0 * w + 1e-3\n    out = np.tanh(x @ w)\n"))
    message = _failures(report)["inputs not modified"].message
    assert message.startswith("toy_forward modified its input w in place (N = 1 [x 1x3, w 3x2]")


# -- errors name where they happened ----------------------------------------------------------

def test_an_error_names_its_configuration_and_line(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, REFERENCE.replace(
        "    out = np.tanh(x @ w)\n", "    if x.shape == (6, 2):\n        raise IndexError('six')\n    out = np.tanh(x @ w)\n"))
    message = _failures(report)["forward output shape"].message
    assert message.startswith("tall [x 6x2, w 2x3]: toy_forward raised IndexError: six")
    assert "learner.py line 6: raise IndexError('six')" in message


def test_an_error_in_a_helper_module_names_its_line_and_the_callers(toy_kata, learner_file, tmp_path):
    (tmp_path / "toy_helpers.py").write_text("def activation(z):\n    return z.tanh()\n")
    report = _grade(toy_kata, learner_file, REFERENCE.replace(
        "import numpy as np\n", "import numpy as np\nfrom toy_helpers import activation\n").replace(
        "out = np.tanh(x @ w)", "out = activation(x @ w)"))
    message = _failures(report)["forward output shape"].message
    assert "raised AttributeError" in message
    assert "toy_helpers.py line 2: return z.tanh(), called from learner.py line 6: out = activation(x @ w)" in message


# -- values judged whatever their type -----------------------------------------------------------

def test_namedtuples_and_ndarray_subclasses_are_judged_by_their_values(toy_kata, learner_file):
    report = _grade(toy_kata, learner_file, '''
        import collections
        import numpy as np
        Forward = collections.namedtuple("Forward", "out cache")
        Grads = collections.namedtuple("Grads", "dx dw")

        def toy_forward(x, w):
            out = np.tanh(x @ w)
            return Forward(np.ma.masked_invalid(out), (x, w, out))

        def toy_backward(dout, cache):
            x, w, out = cache
            dz = dout * (1 - out ** 2)
            dw = np.asfortranarray(x.T @ dz)
            dw.setflags(write=False)
            return Grads(np.asmatrix(dz @ w.T), dw)
        ''')
    assert report.passed, _failures(report)


def test_a_backward_that_writes_into_the_forwards_input_through_its_cache_is_caught(toy_kata, learner_file):
    # The cache holds the caller's x itself; backward reuses that array as scratch space.
    report = _grade(toy_kata, learner_file, REFERENCE.replace(
        "    return dz @ w.T, x.T @ dz", "    dw = x.T @ dz\n    x[...] = dz @ w.T\n    return x, dw"))
    failures = _failures(report)
    assert set(failures) == {"inputs not modified"}, failures
    assert failures["inputs not modified"].message.startswith(
        "toy_backward modified toy_forward's input x in place, through the cache that holds it")


def test_a_backward_that_remembers_its_first_answer_fails(toy_kata, learner_file):
    # Right for the first dout of each configuration, stale for any other.
    report = _grade(toy_kata, learner_file, REFERENCE.replace(
        "def toy_backward(dout, cache):\n    x, w, out = cache",
        "_answers = {}\n\ndef toy_backward(dout, cache):\n    x, w, out = cache\n"
        "    if x.shape in _answers:\n        return _answers[x.shape]").replace(
        "    return dz @ w.T, x.T @ dz", "    _answers[x.shape] = (dz @ w.T, x.T @ dz)\n    return _answers[x.shape]"))
    message = _failures(report)["gradient dx"].message
    assert "with a second dout" in message and "right for the first dout only" in message


# -- a layer with an array nothing is differentiated by, a rule that must raise, and backward twice ------------

LOOKUP_REFERENCE = '''
import numpy as np

def lookup_forward(ids, weight, scale=1.0):
    ids = np.asarray(ids)
    if ids.min() < 0 or ids.max() >= len(weight):
        raise ValueError("an id outside [0, V)")
    return scale * weight[ids], (ids, weight.shape, scale)

def lookup_backward(dout, cache):
    ids, shape, scale = cache
    dweight = np.zeros(shape)
    np.add.at(dweight, ids, scale * dout)
    return dweight
'''


def _lookup_kata(tmp_path, monkeypatch) -> Kata:
    (tmp_path / "lookup_reference.py").write_text(LOOKUP_REFERENCE)
    monkeypatch.syspath_prepend(str(tmp_path))

    def case(name, ids, vocabulary=5, scale=1.0):
        def make(rng, shapes):
            return {"ids": np.array(ids), "weight": rng.standard_normal(shapes["weight"])}
        return Case(name, {"ids": np.shape(ids), "weight": (vocabulary, 3)}, {"scale": scale}, make=make)

    layer = Layer(forward="lookup_forward", backward="lookup_backward", inputs=("weight",), constants=("ids",),
                  cases=(case("repeated ids", [[0, 2, 2], [4, 0, 1]]), case("scaled", [1, 3], scale=2.0)),
                  edges=(Edge("an id out of range raises ValueError", case("id 5 of 5", [0, 5]), raises="ValueError",
                              why="an id outside [0, V) must raise"),),
                  speed_case=case("speed", [0, 1, 2, 3, 4] * 20), backward_twice=True)
    return Kata(name="lookup", title="lookup", functions=("lookup_forward", "lookup_backward"),
                checks=layer_checks(layer), speed=layer_speed(layer), reference="lookup_reference")


def test_an_array_input_without_a_gradient_is_passed_in_its_place_and_never_differentiated(tmp_path, monkeypatch):
    report = grade(_lookup_kata(tmp_path, monkeypatch), tmp_path / "lookup_reference.py")
    assert report.passed, _failures(report)
    assert [c.name for c in report.checks if c.group == "gradient"] == ["gradient dweight"]


def test_a_lost_repeated_id_fails_the_gradient_against_numerical_gradients(tmp_path, monkeypatch, learner_file):
    kata = _lookup_kata(tmp_path, monkeypatch)
    report = _grade(kata, learner_file, LOOKUP_REFERENCE.replace("np.add.at(dweight, ids, scale * dout)",
                                                                 "dweight[ids] += scale * dout"))
    assert "gradient dweight" in _failures(report)


def test_a_rule_that_must_raise_is_its_own_row(tmp_path, monkeypatch, learner_file):
    kata = _lookup_kata(tmp_path, monkeypatch)
    report = _grade(kata, learner_file, LOOKUP_REFERENCE.replace("ids.min() < 0 or ids.max() >= len(weight)", "False"))
    failed = _failures(report)
    assert list(failed) == ["an id out of range raises ValueError"], failed
    assert "must raise ValueError" in failed["an id out of range raises ValueError"].message


@pytest.mark.parametrize("raising", ["raise IndexError('an id outside [0, V)')",  # not a ValueError: fails
                                     "raise np.exceptions.AxisError(1, 1)",  # a ValueError (and an IndexError)
                                     "class IdError(ValueError):\n            pass\n        raise IdError('id')"])
def test_must_raise_valueerror_takes_any_exception_that_is_one_as_except_valueerror_would(tmp_path, monkeypatch,
                                                                                          learner_file, raising):
    kata = _lookup_kata(tmp_path, monkeypatch)
    report = _grade(kata, learner_file, LOOKUP_REFERENCE.replace('raise ValueError("an id outside [0, V)")', raising))
    failed = _failures(report)
    if raising.startswith("raise IndexError"):
        assert list(failed) == ["an id out of range raises ValueError"]
        assert "must raise ValueError" in failed["an id out of range raises ValueError"].message
        assert "raised IndexError" in failed["an id out of range raises ValueError"].message
    else:
        assert not failed, failed


def test_a_backward_that_changes_its_cache_fails_when_called_twice_with_it(tmp_path, monkeypatch, learner_file):
    kata = _lookup_kata(tmp_path, monkeypatch)
    source = LOOKUP_REFERENCE.replace("return scale * weight[ids], (ids, weight.shape, scale)",
                 "return scale * weight[ids], [ids, weight.shape, scale]") \
        .replace("    return dweight\n", "    cache[2] = 0.0  # the scale used up\n    return dweight\n")
    failed = _failures(_grade(kata, learner_file, source))
    assert list(failed) == ["deterministic"], failed
    assert "called again with the same cache" in failed["deterministic"].message


def test_the_speed_line_can_be_left_out_alone():
    # The catalogue's self-check grades hundreds of variants for their diagnoses and shows no speed line.
    from conftest import ROOT
    from grader.grading.catalogue import load_kata

    kata, reference = load_kata("linear"), ROOT / "solutions" / "linear.py"
    assert grade(kata, reference).speed is not None
    assert grade(kata, reference, speed_line=False).speed is None
