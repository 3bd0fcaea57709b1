"""What crosses the pipe between the grader and the learner's process: typed records, framed.

The grader sends requests (Call, Put, Run, Perturb) with plain `pickle` (the
child trusts its parent). The child's messages (Ready, Reply, Failure,
Progress) are untrusted: learner code ran in that process and may have
tampered with anything there, so the parent decodes them with an unpickler
that can only build plain data, numeric numpy arrays and these records, never
call arbitrary code, and then checks every field's type (`checked`): a
record that unpickling built need not be one its class would have made.
Messages are framed as an 8-byte length and a payload.
"""
from __future__ import annotations

import io
import os
import pickle
import struct
from dataclasses import dataclass, is_dataclass

import numpy as np

_HEADER = struct.Struct("<Q")
#: Replies larger than this are refused: learner output has no business being this big.
MAX_REPLY_BYTES = 512 * 1024 * 1024


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

@dataclass(frozen=True)
class Call:
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


@dataclass(frozen=True)
class Put:
    """Keep `value` under `id`, for later requests to name with a Ref."""

    id: int
    value: object


@dataclass(frozen=True)
class Run:
    """Run trusted grader code there: `module.fn(learner_module, *args, report=..., **kwargs)`."""

    id: int
    module: str
    fn: str
    during: str
    args: tuple
    kwargs: dict


@dataclass(frozen=True)
class Perturb:
    """The outputs of `fn` at each point (wrt, flat index): argument `wrt` moved by +h and by -h there."""

    fn: str
    during: str
    args: tuple
    kwargs: dict
    h: float
    item: int | None
    points: tuple


# -- messages: the learner's process to the grader (untrusted) ---------------------

@dataclass(frozen=True)
class Ready:
    """The learner's file is imported; `katas` the files of the katas.* modules it imported."""

    katas: dict


@dataclass(frozen=True)
class Reply:
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


@dataclass(frozen=True)
class Failure:
    """A request or the import did not return normally: how (`kind`), the exception, its frames."""

    kind: str
    type: str
    message: str
    frames: tuple
    during: str


@dataclass(frozen=True)
class Progress:
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
    Failure: ("error report", lambda m: (isinstance(m.frames, tuple) and all(
        type(getattr(m, name)) is str for name in ("kind", "type", "message", "during")))),
    Ready: ("ready message", lambda m: isinstance(m.katas, dict) and all(
        type(k) is str and type(v) is str for k, v in m.katas.items())),
    Progress: ("progress report", lambda m: isinstance(m.report, dict)),
}


# (module, name) pairs a reply may refer to: numpy's own array and scalar
# reconstructors, and the plain records above.
_SAFE_GLOBALS = {
    (f"numpy.{core}.{module}", name)
    for core in ("_core", "core")  # numpy 2 and numpy 1
    for module, name in (("numeric", "_frombuffer"), ("multiarray", "_reconstruct"), ("multiarray", "scalar"))
} | {
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    *(("grader.sandbox.protocol", record) for record in ("Opaque", "Ref", "Ready", "Reply", "Failure", "Progress")),
    ("builtins", "complex"),
}


class UnsafeReply(Exception):
    """The child's reply was not plain data (tampered with, or truncated)."""


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _SAFE_GLOBALS:
            raise UnsafeReply(f"reply refers to {module}.{name}")
        return super().find_class(module, name)


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


def _check_values(value: object) -> None:
    """Refuse an object array, or an Opaque that unpickling left without its type name, anywhere in `value`."""
    if isinstance(value, np.ndarray) and value.dtype.hasobject:
        raise UnsafeReply("reply holds an object array")
    if isinstance(value, Opaque) and type(vars(value).get("type_name")) is not str:
        raise UnsafeReply("sent a malformed value")
    if is_dataclass(value):  # one of the records above: its fields, as a dict's values
        value = vars(value)
    if isinstance(value, dict):
        value = tuple(value.values())
    if isinstance(value, (tuple, list)):
        for item in value:
            _check_values(item)


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
