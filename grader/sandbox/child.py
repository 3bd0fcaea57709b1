"""The learner's side of the process boundary.

Runs in a forked child: imports the learner's file, then serves requests from
the grader (call a function, evaluate a forward at perturbed inputs) until the
pipe closes. It only executes and reports; every comparison happens in the
parent. Everything it needs from numpy is bound at import time, before any
learner code runs, so a learner who patches `numpy` changes only their own
results.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import time
import traceback
import warnings
from pathlib import Path
from types import ModuleType

import numpy as np

from grader.sandbox.protocol import (MAX_TEXT, Call, Failure, Opaque, Perturb, Progress, Put, Ready, Ref, Reply, Run,
                                     encode, read_message_blocking, write_all)

_ndarray = np.ndarray
_generic = np.generic
_copy = np.ndarray.copy
_stack = np.stack
_clock = time.perf_counter
_global_rng_state = np.random.mtrand._rand.get_state   # the state np.random.rand & co. draw from
_array_equal = np.array_equal
_NUMERIC_KINDS = "biufc"
_PLAIN = (bool, int, float, str, type(None))
_MAX_DEPTH = 4


def serve(path: Path, module_name: str, requests_fd: int, replies_fd: int, sources=None) -> None:
    """Import the learner's file (from `sources`, read before the process was confined, when given) and answer
    requests until the parent hangs up."""

    def reply(message: object) -> None:
        write_all(replies_fd, encode(message))

    # The learner's other katas load fresh from disk, not as the grader may have imported them; a package
    # beside the graded file (its katas/) is the one its imports mean.
    for name in [name for name in sys.modules if name == "katas" or name.startswith("katas.")]:
        del sys.modules[name]
    if sources is None:  # as `python file.py` would: its folder's modules, and its package's siblings
        sys.path.insert(0, str(path.parent))
        if (path.parent / "__init__.py").is_file():
            sys.path.insert(0, str(path.parent.parent))
        sys.modules["katas"] = _katas_package(parts_folder(path))  # (confined: Sources serves it)
    if sources is not None:  # compiled while the grader makes its last imports (run only after its word)
        sources.compile_ahead(path)
    try:  # the grader's word to begin (protocol.BEGIN): until then no learner code runs
        read_message_blocking(requests_fd)
    except EOFError:
        return
    try:
        module = sources.load(path, module_name) if sources is not None else import_file(path, module_name)
    except BaseException as exc:  # noqa: B902 -- SystemExit and friends are learner behaviour too
        parts = sources.parts if sources is not None else parts_folder(path)
        reply(describe_exception(_missing_part(exc, path, parts), path, during="import"))
        return
    siblings = {name.removeprefix("katas."): str(getattr(sys.modules[name], "__file__", ""))
                for name in list(sys.modules) if name.startswith("katas.")}
    reply(Ready(siblings))

    def report(progress: dict) -> None:  # a long call's progress (training), sent to the parent while it runs
        reply(Progress(to_wire(progress)))

    results: dict[int, object] = {}
    watched: dict[int, dict] = {}  # call id -> the arrays the grader sent it, with copies (see _call)
    while True:
        try:
            request = read_message_blocking(requests_fd)
        except EOFError:
            return
        if isinstance(request, Put):  # keep a value here for later calls (a large speed-line input, say)
            results[request.id] = request.value
            reply(Reply(None, 0.0))
            continue
        fn = request.during
        try:
            function = _function(module, request, results, report)
        except (AttributeError, KeyError, IndexError, TypeError):
            function = None
        if not callable(function):
            what = "no function" if function is None else "a non-callable"
            reply(Failure("missing", "", f"your file has {what} named {fn}", (), fn))
            continue
        try:
            args = [_resolve(arg, results) for arg in request.args]
            kwargs = {key: _resolve(value, results) for key, value in request.kwargs.items()}
            if isinstance(request, Perturb):
                message = _perturbed_outputs(function, args, kwargs, request)
            else:
                message = _call(function, args, kwargs, request, results, watched)
        except BaseException as exc:  # noqa: B902
            message = describe_exception(exc, path, during=fn)
        _flush_output()
        try:
            reply(message)
        except BaseException as exc:  # noqa: B902 -- e.g. a value that refuses to pickle
            reply(describe_exception(exc, path, during=fn))


def _function(module, request: Call | Run | Perturb, results: dict, report):
    """What a request calls: a function of the learner's module, a Ref to a learner object's method,
    or (Run) a trusted grader function given the module and `report`."""
    if isinstance(request, Run):
        grader_function = getattr(importlib.import_module(request.module), request.fn)
        return lambda *args, **kwargs: grader_function(module, *args, report=report, **kwargs)
    if isinstance(request.fn, Ref):
        return _resolve(request.fn, results)
    return getattr(module, request.fn, None)


def _call(function, args, kwargs, request: Call | Run, results, watched) -> Reply:
    """Call the function; reply with its value, and what it did to the arrays the grader sent: to this
    call's own, and to those of the earlier calls whose results it was handed (a cache holding the
    caller's x, which a backward may write into)."""
    is_call = isinstance(request, Call)  # a Run is trusted grader code: nothing of it is watched
    watch_rng = is_call and request.watch_global_rng
    rng_before = _global_rng_state() if watch_rng else None
    # Copies of the arrays the grader sent (not the learner's own values, named by a Ref):
    # whether the call changed them goes back with the reply (a timed call is not watched).
    before = _snapshot(request.args, args, request.kwargs, kwargs) if is_call and request.watch_inputs else {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        started = _clock()
        value = function(*args, **kwargs)
        seconds = _clock() - started
    # Warnings are reported to the checks, and shown with the learner's output.
    warned = tuple(f"{w.category.__name__}: {w.message}"[:500] for w in caught)
    for w in caught:
        sys.stderr.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno))
    rng_changed = None
    if watch_rng:
        rng_after = _global_rng_state()
        rng_changed = not (rng_before[0] == rng_after[0] and _array_equal(rng_before[1], rng_after[1])
                           and rng_before[2:] == rng_after[2:])
    modified = _changed(before)
    handed = {raw.call_id for raw in list(request.args) + list(request.kwargs.values()) if isinstance(raw, Ref)}
    earlier = [(call_id, key) for call_id in sorted(handed & set(watched)) for key in _changed(watched[call_id])]
    if before:
        watched[request.id] = before
    results[request.id] = value
    args_after = None
    if is_call and request.return_args:  # so the parent can see what became of the arguments (bn_param, say)
        args_after = (tuple(None if isinstance(raw, Ref) else to_wire(arg) for raw, arg in zip(request.args, args)),
                      {key: to_wire(item) for key, item in kwargs.items()})
    return Reply(to_wire(value, request.send if is_call else None), float(seconds), args_after, warned,
                 rng_changed, tuple(modified), tuple(earlier))


def _snapshot(raw_args, args, raw_kwargs, kwargs) -> dict:
    """{position or keyword: copy} of the array arguments the grader sent (dicts such as bn_param are
    the learner's to update, and a Ref names the learner's own value)."""
    sent = [(i, raw, arg) for i, (raw, arg) in enumerate(zip(raw_args, args))]
    sent += [(key, raw_kwargs[key], kwargs[key]) for key in raw_kwargs]
    return {key: (arg, _copy(arg)) for key, raw, arg in sent if type(arg) is _ndarray and not isinstance(raw, Ref)}


def _changed(watched: dict) -> list:
    """Positions and keywords of the arrays in `watched` that the call changed: values, shape or dtype. Their
    copies are taken afresh: a change is said once, and later calls are judged from here on."""
    changed = [key for key, (array, copy) in watched.items() if array.shape != copy.shape
               or array.dtype != copy.dtype or not _array_equal(array, copy, equal_nan=True)]
    for key in changed:
        watched[key] = (watched[key][0], _copy(watched[key][0]))
    return changed


def _perturbed_outputs(function, args, kwargs, request: Perturb) -> Reply | Failure:
    """Forward outputs with flat element i of argument `wrt` moved by +h and by -h, for each requested point
    (wrt, i). Every call gets fresh copies of the array arguments, so a forward that modifies its inputs
    cannot spoil the next evaluation; whether any call did goes back in the reply, as from `_call`."""
    h, item = request.h, request.item
    bases = {wrt: _copy(args[wrt], order="C") for wrt, _ in request.points}
    # Whether a call changed its copies, judged by their bytes first (the same for every call but the
    # moved argument's): thousands of calls, where a copy and a comparison each would cost more.
    pristine = {i: (arg.shape, arg.dtype, _copy(arg, order="C").tobytes())
                for i, arg in enumerate(args) if type(arg) is _ndarray}
    outputs, modified = [], set()
    started = _clock()
    for wrt, index in request.points:
        for sign in (1.0, -1.0):
            call_args = [(_copy(arg) if isinstance(arg, _ndarray) else arg) for arg in args]
            moved = _copy(bases[wrt])
            moved.reshape(-1)[index] += sign * h
            call_args[wrt] = moved
            expected = {**pristine, wrt: (moved.shape, moved.dtype, moved.tobytes())}
            value = function(*call_args, **kwargs)
            for i, (shape, dtype, data) in expected.items():
                array = call_args[i]
                if array.shape != shape or array.dtype != dtype or (array.tobytes() != data and not _array_equal(
                        array, np.frombuffer(data, dtype=dtype).reshape(shape), equal_nan=True)):
                    modified.add(i)
            if item is not None:
                if not isinstance(value, (tuple, list)) or len(value) <= item:
                    return _wrong_return(request, f"returned {type(value).__name__} instead of a tuple")
                value = value[item]
            if isinstance(value, (float, int, _generic)) and not isinstance(value, bool):
                value = np.asarray(value, dtype=np.float64)
            if not isinstance(value, _ndarray) or value.dtype.kind not in _NUMERIC_KINDS:
                return _wrong_return(request, f"returned {type(value).__name__} instead of an array")
            outputs.append(_copy(value.view(_ndarray)))  # any ndarray subclass, judged by its values
    if any(out.shape != outputs[0].shape for out in outputs):
        return _wrong_return(request, "returned outputs of different shapes for inputs of the same shape")
    stacked = _stack(outputs).astype(np.float64)
    return Reply(stacked.reshape((len(request.points), 2) + outputs[0].shape), float(_clock() - started),
                 modified=tuple(sorted(modified)))


def _wrong_return(request: Perturb, message: str) -> Failure:
    return Failure("returned", "", message, (), request.during)


def to_wire(value: object, send: tuple[int, ...] | None = None, depth: int = 0) -> object:
    """A copy of `value` made only of plain data and numeric arrays, judged by value.

    A tuple or list of any kind (a namedtuple) crosses as a plain tuple or list, a dict of any kind as a
    dict, an ndarray of any subclass (masked, matrix), order or writeability as a plain C-ordered array of
    its values. Anything else (a cache object, a function) becomes an `Opaque` naming its type. With `send`,
    only those items of a tuple/list result are copied in full (the rest, typically the cache, stays here
    as an Opaque); with `send=()`, any result but a plain scalar stays here (a timed call: megabytes of
    output would cost more than the call).
    """
    kind = type(value)
    if kind is str and len(value) > MAX_TEXT:  # judged whole or not at all: a cut text could read as right
        return Opaque(f"str of {len(value)} characters (the grader reads at most {MAX_TEXT})")
    if kind in _PLAIN:
        return value
    is_sequence = isinstance(value, (tuple, list))
    if send == () and not is_sequence:
        return Opaque(kind.__name__)
    if isinstance(value, _ndarray):
        if value.dtype.kind in _NUMERIC_KINDS:
            return _copy(value.view(_ndarray), order="C")
        return Opaque(f"ndarray of dtype {value.dtype}")
    if isinstance(value, _generic) and value.dtype.kind in _NUMERIC_KINDS:
        return value
    for plain in (int, float):  # a subclass of a plain number (an IntEnum) crosses as its value
        if isinstance(value, plain):
            return plain(value)
    if is_sequence and depth < _MAX_DEPTH:
        items = [to_wire(item, None, depth + 1) if send is None or i in send else Opaque(type(item).__name__)
                 for i, item in enumerate(value)]
        return list(items) if isinstance(value, list) else tuple(items)
    if isinstance(value, dict) and depth < _MAX_DEPTH and all(type(key) is str for key in value):
        return {key: to_wire(item, None, depth + 1) for key, item in value.items()}
    return Opaque(kind.__name__)


def describe_exception(exc: BaseException, path: Path, during: str) -> Failure:
    """Plain description of a learner exception: kind, message, frames in the learner's file."""
    if isinstance(exc, SyntaxError) and during == "import":
        return Failure("syntax", type(exc).__name__, str(exc.msg), ((exc.filename or str(path), exc.lineno or 0,
                                                                     "<module>"),), during)
    frames = []
    try:
        for frame in traceback.extract_tb(exc.__traceback__):
            frames.append((str(frame.filename), int(frame.lineno or 0), str(frame.name)))
    except Exception:  # noqa: BLE001 -- a tampered traceback module must not stop the report
        pass
    kind = ("not_started" if isinstance(exc, NotImplementedError) else "exit" if isinstance(exc, SystemExit)
            else "memory" if isinstance(exc, MemoryError) else "raised" if isinstance(exc, Exception)
            else "interrupt")
    try:
        message = str(exc.code) if isinstance(exc, SystemExit) else str(exc)
    except BaseException:  # noqa: B902 -- learner-defined __str__ may itself misbehave
        message = "<message could not be shown>"
    try:  # the built-in classes it derives from: a learner's class may answer oddly, which costs only this
        bases = tuple(str(cls.__name__)[:100] for cls in type(exc).__mro__[:32] if cls.__module__ == "builtins")
    except Exception:  # noqa: BLE001
        bases = ()
    return Failure(kind, type(exc).__name__, message[:2000], tuple(frames), during, bases)


def parts_folder(path: Path) -> Path:
    """Where the graded file's `katas.<part>` imports (a capstone's parts) come from: never the grading
    machine's katas/, always the learner's own files. Its folder when that is katas/ (a workspace), a katas/
    folder beside it (a file at a workspace's root), else its own folder (a student's submission: their
    KATA.py files side by side)."""
    folder = path.parent
    try:
        beside = folder.name != "katas" and (folder / "katas").is_dir()
    except OSError:  # confined: no disk left to look at
        beside = False
    return folder / "katas" if beside else folder


def _katas_package(folder: Path) -> ModuleType:
    """A `katas` package whose modules are the .py files of `folder` (its __init__, if any, is not run)."""
    spec = importlib.machinery.ModuleSpec("katas", None, is_package=True)
    spec.submodule_search_locations = [str(folder)]
    return importlib.util.module_from_spec(spec)


def _missing_part(exc: BaseException, path: Path, parts: Path) -> BaseException:
    """A capstone's part that is not among the learner's files (`parts`, see parts_folder), said as such."""
    name = getattr(exc, "name", None) or ""
    if isinstance(exc, ModuleNotFoundError) and name.startswith("katas.") and name.count(".") == 1:
        part = name.removeprefix("katas.")
        missing = ModuleNotFoundError(f"your {part}.py is missing: {path.name} imports katas.{part}, which is "
                                      f"the file {part}.py in {parts}", name=name)
        missing.__traceback__ = exc.__traceback__
        return missing
    return exc


def import_file(path: Path, module_name: str):
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    module.__package__ = package_of(path)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def package_of(path: Path) -> str:
    """The package the file at `path` belongs to ('' if none): its folder's name when that folder is a package,
    so that the file's relative imports (`from .conv2d import ...`, as the references' capstones have) mean its
    neighbours, as they would imported from that package."""
    folder = path.parent
    try:
        return folder.name if folder.name.isidentifier() and (folder / "__init__.py").is_file() else ""
    except OSError:
        return ""


def _resolve(value: object, results: dict[int, object]) -> object:
    """Replace a Ref by the value it names (the learner's own cache, say)."""
    if not isinstance(value, Ref):
        return value
    resolved = results[value.call_id]
    for key in value.path:
        resolved = getattr(resolved, key[1]) if isinstance(key, tuple) and key[0] == "attr" else resolved[key]
    return resolved


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: B902
            pass
