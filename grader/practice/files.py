"""Writing the learner's files safely: whole or not at all, and never over a backup.

Used for the progress file and for putting a stub back; a crash or a full
disk at any moment leaves either the old file or the new one, never half of
either, and no temporary file behind.
"""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from datetime import datetime
from pathlib import Path


def write_atomically(path: Path, content: bytes) -> None:
    """Write a temporary file beside `path`, then os.replace it over `path` (keeping its permissions)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def backup_copy(path: Path, content: bytes) -> Path:
    """Write `content` (the file at `path`) to PATH.bak-YYYYmmdd-HHMMSS beside it (-2, -3... if taken)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 1000):
        backup = path.with_name(f"{path.name}.bak-{stamp}" + (f"-{attempt}" if attempt > 1 else ""))
        with contextlib.suppress(FileExistsError), open(backup, "xb") as file:  # "x": never over a backup
            file.write(content)
            return backup
    raise FileExistsError(f"too many backups of {path} this second")
