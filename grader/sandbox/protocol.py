"""What crosses the pipe between the grader and the learner's process: typed records, framed.

The grader sends requests (Call, Put, Run, Perturb), after BEGIN, with plain
`pickle` (the child trusts its parent). The child's messages (Ready, Reply, Failure,
Progress) are untrusted: learner code ran in that process and may have
tampered with anything there, so the parent decodes them with an unpickler
that can only build plain data, numeric numpy arrays and these records, never
call arbitrary code, and then checks every field's type (`checked`): a
record that unpickling built need not be one its class would have made.
Messages are framed as an 8-byte length and a payload.

The messages are named tuples: unpickling one calls its constructor with
every field (a forged one with fields missing or extra is refused there),
and one costs a fifth of a frozen dataclass to define (the grader defines
them at every start). The two records a value may hold, Opaque and Ref, are
dataclasses, not tuples: a value walked as data never takes them for a tuple.

Decoding is bounded: a payload of at most MAX_REPLY_BYTES; numpy's array
reconstructors are wrapped so that no array is allocated before its bytes
are there (a 150-byte pickle of `ndarray((10**9,))` is refused, not built);
afterwards every value is walked with a budget of MAX_ITEMS items at most
MAX_DEPTH deep, every array must be plain numbers (bool, int, float,
complex: no structured, void, string or object dtype) and every text short.
What breaks a limit is an UnsafeReply, which the channel reports as the
learner's doing, never as a traceback of the grader's.
"""
from __future__ import annotations

import io
import math
import os
import pickle
import struct
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

_HEADER = struct.Struct("<Q")
#: Replies larger than this are refused: learner output has no business being this big (the largest the grader
#: asks for, numerical gradients' outputs, are a few MB).
MAX_REPLY_BYTES = 64 * 1024 * 1024
#: Nesting (records, tuples, lists, dicts) deeper than this is refused; the child sends at most ~8 levels.
MAX_DEPTH = 24
#: Items visited (a list shared 1000 times counts 1000 times) beyond this are refused.
MAX_ITEMS = 2_000_000
#: Texts (messages, type names, warnings) longer than this are refused; the child cuts its own at 2000.
MAX_TEXT = 20_000
#: The kinds of array a reply may hold: bool, integers, floats, complex.
PLAIN_KINDS = "biufc"


@dataclass(frozen=True)
class Opaque:
    """A value the child kept for itself (a cache, a lambda): only its type is sent."""

    type_name: str

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


@dataclass(frozen=True)
class Ref:
    """Names a value kept in the child: item `path` of the result of call `call_id`.

    A path step is an index or key (`ref[1]`), or ("attr", name) for an attribute (`ref.attr("loss")`, a
    method to call, say). `label` says what it is in messages ("ThreeLayerConvNet().loss").
    """

    call_id: int
    path: tuple = ()
    label: str = ""

    def __getitem__(self, key: int | str) -> "Ref":
        return Ref(self.call_id, self.path + (key,), f"{self.label}[{key!r}]")

    def attr(self, name: str) -> "Ref":
        return Ref(self.call_id, self.path + (("attr", name),), f"{self.label}.{name}")


# -- requests: the grader to the learner's process -------------------------------

#: The grader's first message: the learner's process may import the learner's file now. It waits for it, forked and
#: confined, while the grader makes the last imports it needs (no learner code may run before those).
BEGIN = "begin"


class Call(NamedTuple):
    """Call `fn` (a name in the learner's module, or a Ref to a callable kept there) with the arguments."""

    id: int
    fn: object
    during: str
    args: tuple
    kwargs: dict
    #: Only those items of a tuple result come back (the rest stays there, a cache; `()`: only a plain scalar).
    send: tuple | None = None
    return_args: bool = False  # send the arguments back as they were after the call
    watch_global_rng: bool = False  # say whether np.random's global state moved
    watch_inputs: bool = True  # say which of the grader's arrays the call changed


class Put(NamedTuple):
    """Keep `value` under `id`, for later requests to name with a Ref."""

    id: int
    value: object


class Run(NamedTuple):
    """Run trusted grader code there: `module.fn(learner_module, *args, report=..., **kwargs)`."""

    id: int
    module: str
    fn: str
    during: str
    args: tuple
    kwargs: dict


class Perturb(NamedTuple):
    """The outputs of `fn` at each point (wrt, flat index): argument `wrt` moved by +h and by -h there."""

    fn: str
    during: str
    args: tuple
    kwargs: dict
    h: float
    item: int | None
    points: tuple


# -- messages: the learner's process to the grader (untrusted) ---------------------

class Ready(NamedTuple):
    """The learner's file is imported; `katas` the files of the katas.* modules it imported."""

    katas: dict


class Reply(NamedTuple):
    """A request answered: its value (plain data, arrays, Opaques), and what the call did beside."""

    value: object
    seconds: float
    args_after: tuple | None = None
    warnings: tuple = ()
    global_rng_changed: bool | None = None
    modified: tuple = ()  # positions and keywords of the grader's arrays the call changed in place
    #: (call id, position) of arrays given to earlier calls whose results this one was handed (a cache
    #: holding the caller's x) that it changed.
    modified_earlier: tuple = ()


class Failure(NamedTuple):
    """A request or the import did not return normally: how (`kind`), the exception, its frames."""

    kind: str
    type: str
    message: str
    frames: tuple
    during: str
    #: The built-in exception classes it is an instance of, its own among them if it is one (an AxisError is
    #: a ValueError and an IndexError): `except ValueError` would catch it, and so does "raises ValueError".
    bases: tuple = ()


class Progress(NamedTuple):
    """A report of a long trusted run (training), sent while it runs."""

    report: dict


def checked(message: object) -> Ready | Reply | Failure | Progress:
    """`message` as decoded from the child, if it is one of its records with fields of the right types;
    UnsafeReply otherwise. Values (Reply.value, args_after) are plain data already (decode_untrusted)."""
    what, valid = _VALID.get(type(message), ("message", None))  # unpickling builds no subclasses
    try:
        ok = valid is not None and valid(message)
    except (AttributeError, ValueError):  # a field unpickling left unset, an array where a flag goes
        ok = False
    if not ok:
        raise UnsafeReply(f"sent a malformed {what}")
    return message


def _keys(keys: object) -> bool:
    """A tuple of positions and keywords."""
    return isinstance(keys, tuple) and all(type(key) is int or type(key) is str for key in keys)


#: Each record the child may send: what a malformed one is called, and whether its fields have the right types.
_VALID = {
    Reply: ("reply", lambda m: (
        type(m.seconds) is float and isinstance(m.warnings, tuple) and all(type(w) is str for w in m.warnings)
        and m.global_rng_changed in (None, True, False) and _keys(m.modified)
        and isinstance(m.modified_earlier, tuple)
        and all(isinstance(e, tuple) and len(e) == 2 and type(e[0]) is int and _keys(e[1:]) for e in m.modified_earlier)
        and (m.args_after is None or (isinstance(m.args_after, tuple) and len(m.args_after) == 2)))),
    Failure: ("error report", lambda m: (isinstance(m.frames, tuple) and len(m.frames) <= 1000 and all(
        type(frame) is tuple and len(frame) == 3 and type(frame[0]) is str and type(frame[1]) is int
        and type(frame[2]) is str for frame in m.frames) and all(
        type(getattr(m, name)) is str for name in ("kind", "type", "message", "during"))
        and isinstance(m.bases, tuple) and len(m.bases) <= 32 and all(type(b) is str and len(b) <= 100 for b in m.bases))),
    Ready: ("ready message", lambda m: isinstance(m.katas, dict) and all(
        type(k) is str and type(v) is str for k, v in m.katas.items())),
    Progress: ("progress report", lambda m: isinstance(m.report, dict) and all(
        type(key) is str and type(value) in (int, float, bool, str, type(None)) for key, value in m.report.items())),
}


class UnsafeReply(Exception):
    """The child's reply was not plain data (tampered with, truncated, or beyond the limits)."""


def _plain_dtype(dtype: object) -> np.dtype:
    """`dtype` if it is a plain numeric one (no fields, no sub-arrays, not empty); UnsafeReply otherwise."""
    if not isinstance(dtype, np.dtype):
        try:
            dtype = np.dtype(dtype)
        except Exception:  # noqa: BLE001 -- whatever the pickle put there
            raise UnsafeReply("reply holds an array of an unknown dtype") from None
    if dtype.kind not in PLAIN_KINDS or dtype.names is not None or dtype.subdtype is not None or dtype.itemsize == 0:
        raise UnsafeReply(f"reply holds an array of dtype {str(dtype)[:60]}, not plain numbers")
    return dtype


class _ArrayClass:
    """What a reply's reference to numpy.ndarray becomes: a token _reconstruct accepts, not a constructor that
    would allocate whatever shape the pickle asks for."""


def _reconstruct(subtype, shape, dtype):
    """numpy's pickles start an array as _reconstruct(ndarray, (0,), b'b') and fill it from its bytes
    (__setstate__ checks their size): anything else is refused before it allocates."""
    if subtype is not _ArrayClass or shape != (0,):
        raise UnsafeReply("reply builds an array as numpy's pickles never do")
    return _numpy_reconstruct(np.ndarray, (0,), dtype)


def _frombuffer(buffer, dtype, shape, order, *rest):
    """numpy's protocol-5 array: its bytes must be exactly what the shape and plain dtype need."""
    dtype = _plain_dtype(dtype)
    if not (isinstance(shape, tuple) and len(shape) <= 32 and all(type(n) is int and n >= 0 for n in shape)):
        raise UnsafeReply("reply holds an array of a malformed shape")
    try:
        size = memoryview(buffer).nbytes
    except TypeError:
        raise UnsafeReply("reply holds an array without its bytes") from None
    if math.prod(shape) * dtype.itemsize != size:  # exact (Python ints), and ~80x faster than np.prod here
        raise UnsafeReply("reply holds an array whose bytes do not fill its shape")
    return _numpy_frombuffer(buffer, dtype, shape, order, *rest)


def _scalar(dtype, data=None):
    """numpy's pickled scalar: plain dtypes only."""
    return _numpy_scalar(_plain_dtype(dtype), *(() if data is None else (data,)))


_core = np._core if hasattr(np, "_core") else np.core  # numpy 2, numpy 1
_numpy_reconstruct, _numpy_scalar = _core.multiarray._reconstruct, _core.multiarray.scalar
_numpy_frombuffer = _core.numeric._frombuffer

# What a reply may refer to, by (module, name): numpy's array and scalar reconstructors (wrapped), its dtype, and
# the plain records above.
_SAFE_GLOBALS = {
    **{(f"numpy.{core}.{module}", name): wrapper
       for core in ("_core", "core")  # numpy 2 and numpy 1
       for module, name, wrapper in (("numeric", "_frombuffer", _frombuffer),
                                     ("multiarray", "_reconstruct", _reconstruct),
                                     ("multiarray", "scalar", _scalar))},
    ("numpy", "ndarray"): _ArrayClass,
    ("numpy", "dtype"): np.dtype,
    **{("grader.sandbox.protocol", record.__name__): record
       for record in (Opaque, Ref, Ready, Reply, Failure, Progress)},
    ("builtins", "complex"): complex,
}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _SAFE_GLOBALS:
            raise UnsafeReply(f"reply refers to {module}.{name}"[:200])
        return _SAFE_GLOBALS[module, name]


def encode(message: object) -> bytes:
    """Frame `message` for the pipe."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


def decode_untrusted(payload: bytes) -> object:
    """Decode a payload from the child, allowing only plain data and numeric arrays."""
    try:
        message = _SafeUnpickler(io.BytesIO(payload)).load()
        _check_values(message)
    except UnsafeReply:
        raise
    except Exception as exc:  # any malformed pickle: truncated, wrong opcodes, nested past the recursion limit...
        raise UnsafeReply(f"unreadable reply ({type(exc).__name__})") from None
    return message


def _check_values(message: object) -> None:
    """Walk `message` without recursion, within MAX_ITEMS items MAX_DEPTH deep: every array plain numbers, every
    text at most MAX_TEXT long, every Opaque with its type name; UnsafeReply at the first that is not."""
    pending, visited = [(message, 0)], 0
    while pending:
        value, depth = pending.pop()
        visited += 1
        if visited > MAX_ITEMS:
            raise UnsafeReply(f"sent a reply of more than {MAX_ITEMS} items")
        if depth > MAX_DEPTH:
            raise UnsafeReply(f"sent a reply nested more than {MAX_DEPTH} deep")
        if isinstance(value, (np.ndarray, np.generic)):
            _plain_dtype(value.dtype)
            continue
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                raise UnsafeReply(f"sent a text of more than {MAX_TEXT} characters")
            continue
        if isinstance(value, Opaque) and type(vars(value).get("type_name")) is not str:
            raise UnsafeReply("sent a malformed value")
        if isinstance(value, (Opaque, Ref)):  # a value's record: its fields, as a dict's values (the messages,
            value = vars(value)                # named tuples, are walked as tuples)
        if isinstance(value, dict):
            value = (*value.keys(), *value.values())
        if isinstance(value, (tuple, list)):
            pending.extend((item, depth + 1) for item in value)


def next_payload(buffer: bytearray) -> bytes | None:
    """Take the next complete payload out of `buffer` (chunks off a non-blocking pipe); None while it arrives."""
    if len(buffer) < _HEADER.size:
        return None
    (length,) = _HEADER.unpack_from(buffer)
    if length > MAX_REPLY_BYTES:
        raise UnsafeReply(f"reply of {length} bytes is too large")
    end = _HEADER.size + length
    if len(buffer) < end:
        return None
    payload = bytes(buffer[_HEADER.size:end])
    del buffer[:end]
    return payload


def read_message_blocking(fd: int) -> object:
    """Read one framed (trusted) message from `fd`; used by the child."""
    (length,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size))
    return pickle.loads(_read_exactly(fd, length))


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = os.read(fd, size - len(chunks))
        if not chunk:
            raise EOFError("pipe closed")
        chunks += chunk
    return bytes(chunks)
