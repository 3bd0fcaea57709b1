"""The learner's process as the checks see it: objects, methods, grader code run beside it, progress."""
import ast
import contextlib
import os
import platform
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, blas_thread_counts
from grader.sandbox.allocator import fix_malloc_thresholds
from grader.sandbox.blas_threads import one_blas_thread
from grader.sandbox.confine import Sources
from grader.sandbox.process import LearnerError, LearnerProcess

TWO_CORES = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the twin process needs a second core")

LEARNER = '''
import numpy as np

class Counter:
    def __init__(self, start):
        self.value = start
    def add(self, amount):
        self.value += amount
        return self.value

def ones(n):
    return np.ones(n)

def nap(seconds):
    import time
    time.sleep(seconds)
    return seconds

def text(n):
    return "ab" * (n // 2)

def broken():
    raise ValueError("broken on purpose")

def multiplies():
    a = np.ones((400, 400))
    return float((a @ a)[0, 0])  # BLAS starts its threads, if it has more than one
'''

TRAINER = '''
import os
import time
import numpy as np

def rows(learner_module, scale, indices, report):
    """One row per index: the index scaled, and which process computed it."""
    return np.array([[index * scale, os.getpid()] for index in indices], dtype=float)

def slow_rows(learner_module, seconds, indices, report):
    """rows, each after `seconds` of work."""
    time.sleep(seconds * len(indices))
    return rows(learner_module, 1.0, indices, report)

def scaled_once_told(learner_module, values, scale, go, report):
    """Reports a step per value, then waits until the time `go` (time.time()) before it replies: a clock is
    what the test and a confined process share."""
    for step, value in enumerate(values, 1):
        report({"step": step, "steps": len(values), "loss": value})
    while time.time() < go:
        time.sleep(0.002)
    return {"values": [value * scale for value in values], "pid": os.getpid()}

def calls_broken(learner_module, report):
    return learner_module.broken()

def count_up(learner_module, counter, steps, report):
    for step in range(1, steps + 1):
        counter.add(1)
        report({"step": step, "steps": steps, "loss": 1.0 / step})
    return counter.value
'''


@pytest.fixture
def learner(tmp_path, monkeypatch):
    (tmp_path / "trainer_for_tests.py").write_text(TRAINER)
    monkeypatch.syspath_prepend(str(tmp_path))
    path = tmp_path / "learner.py"
    path.write_text(textwrap.dedent(LEARNER))
    with LearnerProcess(path, "learner_test", timeout=10) as process:
        yield process


def test_objects_stay_in_the_child_and_their_methods_are_called_through_refs(learner):
    counter = learner.call("Counter", 5)
    assert learner.call(counter.ref.attr("add"), 2).value == 7
    assert learner.call(counter.ref.attr("add"), 3).value == 10


def test_a_returned_text_crosses_whole_or_is_named_never_cut(learner):
    from grader.sandbox.protocol import MAX_TEXT, Opaque

    assert learner.call("text", 5000).value == "ab" * 2500  # a bpe decode of a long text: judged whole
    too_long = learner.call("text", MAX_TEXT + 2).value
    assert isinstance(too_long, Opaque) and f"str of {MAX_TEXT + 2} characters" in too_long.type_name


def test_a_missing_method_is_named(learner):
    counter = learner.call("Counter", 0)
    with pytest.raises(LearnerError) as raised:
        learner.call(counter.ref.attr("subtract"), 1)
    assert raised.value.kind == "missing" and "Counter().subtract" in raised.value.summary


def test_grader_code_runs_beside_the_learners_and_reports_progress(learner):
    counter = learner.call("Counter", 0)
    seen = []
    returned = learner.run_in_child("trainer_for_tests", "count_up", counter.ref, 4, on_progress=seen.append)
    assert returned.value == 4
    assert [report["step"] for report in seen] == [1, 2, 3, 4]
    assert seen[-1]["loss"] == 0.25


def test_katas_the_learner_imports_are_listed(tmp_path, monkeypatch):
    package = tmp_path / "katas"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helper_kata.py").write_text("VALUE = 1\n")
    (package / "capstone.py").write_text("from katas.helper_kata import VALUE\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with LearnerProcess(package / "capstone.py", "learner_capstone", timeout=10) as process:
        assert process.sibling_katas["helper_kata"] == package / "helper_kata.py"


def test_a_twin_process_shares_large_perturbation_batches_and_agrees(tmp_path):
    import numpy as np

    path = tmp_path / "square.py"
    path.write_text("def square(x):\n    return x ** 2, None\n")
    x = np.arange(40.0).reshape(5, 8)
    with LearnerProcess(path, "learner_square", timeout=10) as process:
        outputs, _ = process.perturbed_outputs("square", (x,), {}, 0, np.arange(40), 0.5, item=0)
        if (__import__("os").cpu_count() or 1) >= 2:
            assert process.twin.channel, "a 40-element batch is shared with a twin on a 2-core machine"
    for index in range(40):
        plus, minus = x.copy(), x.copy()
        plus.flat[index] += 0.5
        minus.flat[index] -= 0.5
        assert np.array_equal(outputs[index, 0], plus ** 2) and np.array_equal(outputs[index, 1], minus ** 2)


def test_send_nothing_keeps_a_result_in_the_child(learner):
    # A timed call need not pay for copying its (large) output back; the Ref still names it.
    made = learner.call("ones", 1000, send=())
    assert not hasattr(made.value, "shape") and learner.call(made.ref.attr("sum")).value == 1000.0
    assert learner.call("ones", 3, send=(0,)).value.shape == (3,)  # send=(0,) of a non-tuple: all of it


def test_split_work_comes_back_in_order_from_both_processes(learner):
    rows, _ = learner.run_split_in_child("trainer_for_tests", "rows", range(40), 3.0)
    assert rows[:, 0].tolist() == [3.0 * index for index in range(40)]
    if (os.cpu_count() or 1) >= 2:
        assert len(set(rows[:, 1])) == 2, "40 rows are shared with a twin on a 2-core machine"



def test_the_graded_file_and_what_it_imports_are_compiled_before_the_word_to_begin_and_run_as_compiled(tmp_path):
    # A confined process compiles them while it waits for the grader (run only after its word): helpers imported
    # relatively, inside a function, through another helper; not a file nothing names, nor one that does not parse.
    package = tmp_path / "answers"
    package.mkdir()
    files = {"__init__": "",
             "main": "from .helper import f\n\ndef run():\n    from .lazy import h\n    return f() + h()\n",
             "helper": "from .deep import d\n\ndef f():\n    return d()\n", "deep": "def d():\n    return 1\n",
             "lazy": "def h():\n    return 2\n", "unrelated": "def u():\n    return 3\n", "broken": "def (:\n"}
    for name, source in files.items():
        (package / f"{name}.py").write_text(source)
    sources = Sources.read(package / "main.py")
    sources.compile_ahead(package / "main.py")
    assert sorted(Path(file).stem for file in sources.compiled) == ["deep", "helper", "lazy", "main"]
    for name, (file, _, is_package) in list(sources.modules.items()):  # imports now run the code compiled ahead
        if file in sources.compiled:
            sources.modules[name] = (file, b"raise AssertionError('compiled again')", is_package)
    sys.meta_path.insert(0, sources)
    try:
        assert sources.load(package / "main.py", "graded_main").run() == 3
    finally:
        sys.meta_path.remove(sources)
        for name in [name for name in sys.modules if name == "answers" or name.startswith(("answers.", "graded_"))]:
            del sys.modules[name]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_malloc_thresholds_are_fixed_before_the_learners_process_is_forked(tmp_path):
    # The speed line times the learner in its process and the reference in the grader: both must
    # allocate by the same rules, which glibc lets drift apart unless its thresholds are fixed.
    fix_malloc_thresholds.cache_clear()
    assert fix_malloc_thresholds()
    learner_file = tmp_path / "learner.py"
    learner_file.write_text("")
    fix_malloc_thresholds.cache_clear()
    with LearnerProcess(learner_file, "learner_malloc", timeout=5):
        assert fix_malloc_thresholds.cache_info().misses == 1


def _pids_of_split_rows(learner, count):
    """The processes that computed run_split_in_child's rows for `count` indices."""
    rows, _ = learner.run_split_in_child("trainer_for_tests", "rows", range(count), 1.0)
    assert rows[:, 0].tolist() == list(range(count))
    return set(rows[:, 1].astype(int).tolist())


@TWO_CORES
def test_a_job_started_on_the_twin_runs_beside_the_calls_here_and_is_collected_with_its_progress(learner, tmp_path):
    go = time.time() + 2.0
    (here,) = _pids_of_split_rows(learner, 2)  # too few to share
    assert learner.start_in_twin("job", "trainer_for_tests", "scaled_once_told", [1.0, 2.0, 3.0], 2.0, go)
    assert learner.call("Counter", 1).value is not None  # this process answers meanwhile
    assert _pids_of_split_rows(learner, 40) == {here}, "the busy twin takes no share"
    assert time.time() < go, "too slow to tell: the job may have replied before the twin was asked"
    while time.time() < go + 3:  # once the job has replied, the twin shares again, before the row collects it
        if len(_pids_of_split_rows(learner, 40)) == 2:
            break
    else:
        pytest.fail("the twin never shared again after its job replied")
    seen = []
    value, _ = learner.finish_in_twin("job", on_progress=seen.append)
    assert value["values"] == [2.0, 4.0, 6.0] and value["pid"] != here
    assert [report["step"] for report in seen] == [1, 2, 3]  # sent while nobody listened, handed over now
    assert learner.finish_in_twin("job") is None  # collected once


@TWO_CORES
def test_a_batch_that_comes_while_the_twins_job_runs_is_shared_once_the_job_has_replied(learner):
    # 40 rows of 20 ms each, in parts of 5: the job replies after about three parts, and the twin takes a share of
    # the rest rather than idle while this process works through it alone.
    go = time.time() + 0.3
    assert learner.start_in_twin("job", "trainer_for_tests", "scaled_once_told", [1.0], 2.0, go)
    rows, _ = learner.run_split_in_child("trainer_for_tests", "slow_rows", range(40), 0.02)
    assert rows[:, 0].tolist() == list(range(40))
    pids = rows[:, 1].astype(int).tolist()
    assert len(set(pids)) == 2, "the twin took no share after its job replied"
    assert pids[:5] == [pids[0]] * 5, "the first part is this process's: the twin was busy"
    value, _ = learner.finish_in_twin("job")  # the job's reply, kept for its row meanwhile
    assert value["values"] == [2.0]


@TWO_CORES
def test_a_job_the_row_waits_for_hands_over_its_progress_as_it_comes(learner):
    go = time.time() + 0.5  # the job replies only then, so the row waits for it
    assert learner.start_in_twin("job", "trainer_for_tests", "scaled_once_told", [1.0, 2.0], 1.0, go)
    seen = []
    value, _ = learner.finish_in_twin("job", on_progress=lambda report: seen.append(report["step"]))
    assert value["values"] == [1.0, 2.0] and seen == [1, 2] and time.time() >= go


def test_a_job_that_was_never_started_is_left_to_the_caller(learner):
    assert learner.finish_in_twin("never started") is None


@TWO_CORES
def test_the_learners_error_in_a_twin_job_is_raised_when_collected_and_the_twin_is_dropped(learner):
    assert learner.start_in_twin("job", "trainer_for_tests", "calls_broken")
    time.sleep(0.2)  # its error has arrived (mostly): the next split finds it and leaves the twin out
    assert len(_pids_of_split_rows(learner, 40)) == 1
    with pytest.raises(LearnerError) as raised:  # kept for the row, which gets it when it collects the job
        learner.finish_in_twin("job")
    assert raised.value.kind == "raised" and "ValueError: broken on purpose" in raised.value.summary
    assert len(_pids_of_split_rows(learner, 40)) == 1  # all here from now on
    assert not learner.start_in_twin("again", "trainer_for_tests", "scaled_once_told", [1.0], 1.0, 0.0)


def test_without_a_second_core_no_job_goes_to_a_twin(tmp_path, monkeypatch):
    monkeypatch.setattr("grader.sandbox.process._CORES", 1)
    path = tmp_path / "learner.py"
    path.write_text(textwrap.dedent(LEARNER))
    with LearnerProcess(path, "learner_test", timeout=10) as process:
        assert not process.start_in_twin("job", "trainer_for_tests", "scaled_once_told", [1.0], 1.0, "go")
        assert process.finish_in_twin("job") is None


def test_one_blas_thread_reaches_a_learners_process_forked_inside_it_and_is_lifted_after(tmp_path):
    before = blas_thread_counts()
    if not before:
        pytest.skip("threadpoolctl finds no BLAS library here")
    with one_blas_thread():
        assert blas_thread_counts() == [1] * len(before)
        path = tmp_path / "learner.py"
        path.write_text(textwrap.dedent(LEARNER))
        with LearnerProcess(path, "learner_blas", timeout=10) as process:
            assert process.call("multiplies").value == 400.0
            # Counted from outside: the learner's process may not read /proc, confined.
            assert len(os.listdir(f"/proc/{process.main._pid}/task")) == 1, "BLAS runs threads of its own"
    assert blas_thread_counts() == before




@pytest.mark.parametrize("numpy_first", [False, True])
def test_a_process_started_with_one_blas_thread_needs_no_limit_and_one_started_late_still_gets_it(numpy_first):
    # python -m grader calls start_with_one_thread before numpy loads: its BLAS has one thread for good, and
    # one_blas_thread spares loading threadpoolctl. Called after numpy loaded, the environment comes too late.
    code = textwrap.dedent(f"""
        import sys
        {'import numpy' if numpy_first else ''}
        from grader.sandbox.blas_threads import one_blas_thread, start_with_one_thread
        start_with_one_thread()
        import numpy
        with one_blas_thread():
            loaded = "threadpoolctl" in sys.modules
            from threadpoolctl import threadpool_info
            threads = [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]
        print(loaded, threads)
    """)
    environment = {key: value for key, value in os.environ.items() if not key.endswith("_NUM_THREADS")}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
                            text=True, timeout=60)
    loaded, threads = result.stdout.split(" ", 1)
    assert loaded == str(numpy_first), result.stderr
    assert set(ast.literal_eval(threads)) <= {1}

@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="threads are counted in /proc (Linux)")
def test_python_m_grader_runs_without_a_blas_worker_thread_beside_the_learners_processes(tmp_path):
    # A BLAS worker of the grader's process spins ~0.1 s on a core the learner's processes need: the grader
    # starts with one BLAS thread, set before numpy loads, so it never has one.
    answer = tmp_path / "linear.py"
    answer.write_text("import time\n\ndef linear_forward(x, w, b):\n    time.sleep(0.5)\n    return x @ w + b\n")
    environment = {key: value for key, value in os.environ.items() if not key.endswith("_NUM_THREADS")}
    environment["GRADER_PROGRESS"] = str(tmp_path / "progress.json")
    grader = subprocess.Popen([sys.executable, "-m", "grader", "linear", "--file", str(answer), "--json"],
                              cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    most = 0
    while grader.poll() is None:
        with contextlib.suppress(OSError):  # it has just ended
            most = max(most, len(os.listdir(f"/proc/{grader.pid}/task")))
        time.sleep(0.005)
    assert most == 1, f"the grader's process ran {most} threads"

_FORGER = '''
import os, pickle, struct, sys
import numpy as np
from grader.sandbox import protocol


def forge(record):
    """Write `record` onto the reply pipe as the learner's process frames a reply, then return late."""
    forge_payload(pickle.dumps(record))


def forge_payload(payload):
    """Write `payload` (a pickle) onto the reply pipe, framed, then return late."""
    frame = sys._getframe()
    while frame.f_code.co_name != "serve":
        frame = frame.f_back
    os.write(frame.f_locals["replies_fd"], struct.pack("<Q", len(payload)) + payload)
    import time; time.sleep(1)


def object_array(x):
    forge(protocol.Reply(np.array(["a", 1], dtype=object), 0.0))
    return x


def fieldless(x):  # a Reply built with none of its fields and a state dict: object.__new__(Reply) is refused
    # here (a named tuple), so the pickle is written by hand, as a forger can: Reply, (), NEWOBJ, {"value": 1.0}, BUILD
    module, name = b"grader.sandbox.protocol", b"Reply"
    payload = (b"\\x80\\x04\\x8c" + bytes([len(module)]) + module + b"\\x8c" + bytes([len(name)]) + name
               + b"\\x93)\\x81}\\x8c\\x05valueG" + struct.pack(">d", 1.0) + b"sb.")
    forge_payload(payload)
    return x


def scalar_rows(x):
    forge(protocol.Reply(np.array(1.0), 0.0))
    return x


class Reduces:
    """Pickles as a call of `function` with `arguments`: what a hand-written pickle can ask the grader to run."""

    def __init__(self, function, *arguments):
        self.reduced = (function, arguments)

    def __reduce__(self):
        return self.reduced


_core = np._core if hasattr(np, "_core") else np.core


def allocating_ndarray(x):  # ~150 bytes asking for an 8 GB array
    forge(protocol.Reply(Reduces(np.ndarray, (10**9,)), 0.0))
    return x


def allocating_reconstruct(x):
    forge(protocol.Reply(Reduces(_core.multiarray._reconstruct, np.ndarray, (10**9,), b"b"), 0.0))
    return x


def empty_items(x):  # no bytes, 3e8 elements of size 0: 2.4 GB once the grader makes floats of them
    forge(protocol.Reply(Reduces(_core.numeric._frombuffer, b"", np.dtype("V0"), (300_000_000,), "C"), 0.0))
    return x


def structured_dtype(x):
    forge(protocol.Reply(np.zeros(3, dtype=[("a", "f8"), ("b", "i4")]), 0.0))
    return x


def deeply_nested(x):  # 100 000 lists, one inside the next, in a reply of ~200 kB
    payload = pickle.dumps(protocol.Reply("SENTINEL-SENTINEL", 0.0), protocol=4)
    deep = b"]" * 100_000 + b"a" * 99_999
    forge_payload(payload.replace(bytes([0x8C, 0x11]) + b"SENTINEL-SENTINEL" + bytes([0x94]), deep))
    return x


def shared_many_times(x):  # a list of a list of a list, each item the same: 10**12 items to walk
    inner = [0.0] * 10_000
    middle = [inner] * 10_000
    forge(protocol.Reply([middle] * 10_000, 0.0))
    return x


def frame_as_dict(x):
    forge(protocol.Failure("raised", "ValueError", "no", ({"file": "x.py"},), "frame_as_dict"))
    return x


def long_text(x):
    forge(protocol.Reply(protocol.Opaque("A" * 10_000_000), 0.0))
    return x


def progress_of_text(x):
    forge(protocol.Progress({"loss": ["not", "a", "number"]}))
    return x
'''


@pytest.mark.parametrize("function", ["object_array", "fieldless", "scalar_rows", "allocating_ndarray",
                                      "allocating_reconstruct", "empty_items", "structured_dtype", "deeply_nested",
                                      "shared_many_times", "frame_as_dict", "long_text", "progress_of_text"])
def test_a_forged_reply_is_tampering_not_a_crash_of_the_grader(tmp_path, function):
    path = tmp_path / "forger.py"
    path.write_text(_FORGER)
    with LearnerProcess(path, "learner_forger", timeout=5) as process, pytest.raises(LearnerError) as raised:
        if function == "scalar_rows":  # a reply to numerical-gradient work must have one row per point
            process.perturbed_outputs(function, (np.arange(3.0),), {}, wrt=0, indices=np.arange(3), h=1e-6,
                                      item=None)
        else:
            process.call(function, np.arange(3.0))
    assert raised.value.kind == "tampered", raised.value.summary
    assert "your code interfered with the grader's process in " + function in raised.value.summary
