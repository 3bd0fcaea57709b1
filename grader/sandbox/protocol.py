"""What crosses the pipe between the grader and the learner's process.

The grader sends requests with plain `pickle` (the child trusts its parent).
The child's replies are untrusted: learner code ran in that process and may
have tampered with anything there, so the parent decodes them with an
unpickler that can only build plain data and numeric numpy arrays, never
call arbitrary code. Messages are framed as an 8-byte length and a payload.
"""
from __future__ import annotations

import io
import os
import pickle
import struct
from dataclasses import dataclass

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

    A path step is an index or key (`ref[1]`), or ("attr", name) for an
    attribute (`ref.attr("loss")`, a method to call, say). `label` says
    what it is in messages ("ThreeLayerConvNet().loss").
    """

    call_id: int
    path: tuple = ()
    label: str = ""

    def __getitem__(self, key: int | str) -> "Ref":
        return Ref(self.call_id, self.path + (key,), f"{self.label}[{key!r}]")

    def attr(self, name: str) -> "Ref":
        return Ref(self.call_id, self.path + (("attr", name),), f"{self.label}.{name}")


# (module, name) pairs a reply may refer to: numpy's own array and scalar
# reconstructors, and the two plain records above.
_SAFE_GLOBALS = {
    (f"numpy.{core}.{module}", name)
    for core in ("_core", "core")  # numpy 2 and numpy 1
    for module, name in (("numeric", "_frombuffer"), ("multiarray", "_reconstruct"), ("multiarray", "scalar"))
} | {
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("grader.sandbox.protocol", "Opaque"),
    ("grader.sandbox.protocol", "Ref"),
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
    except UnsafeReply:
        raise
    except Exception as exc:  # any malformed pickle: truncated, wrong opcodes...
        raise UnsafeReply(f"unreadable reply ({type(exc).__name__})") from None
    _reject_object_arrays(message)
    return message


def _reject_object_arrays(value: object) -> None:
    if isinstance(value, np.ndarray) and value.dtype.hasobject:
        raise UnsafeReply("reply holds an object array")
    if isinstance(value, (tuple, list)):
        for item in value:
            _reject_object_arrays(item)
    elif isinstance(value, dict):
        for item in value.values():
            _reject_object_arrays(item)


class FrameReader:
    """Reassembles framed messages from chunks read off a non-blocking pipe."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk

    def next_payload(self) -> bytes | None:
        """The next complete payload, or None while it is still arriving."""
        if len(self._buffer) < _HEADER.size:
            return None
        (length,) = _HEADER.unpack_from(self._buffer)
        if length > MAX_REPLY_BYTES:
            raise UnsafeReply(f"reply of {length} bytes is too large")
        end = _HEADER.size + length
        if len(self._buffer) < end:
            return None
        payload = bytes(self._buffer[_HEADER.size:end])
        del self._buffer[:end]
        return payload


def read_message_blocking(fd: int) -> object:
    """Read one framed (trusted) message from `fd`; used by the child."""
    header = _read_exactly(fd, _HEADER.size)
    (length,) = _HEADER.unpack(header)
    return pickle.loads(_read_exactly(fd, length))


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exactly(fd: int, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = os.read(fd, size - len(chunks))
        if not chunk:
            raise EOFError("pipe closed")
        chunks += chunk
    return bytes(chunks)
