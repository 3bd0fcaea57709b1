"""What the learner's process gives up before any learner code runs, when the grader runs as root.

Gradescope and CI run the grader as root; a student's file must then not be
able to read the references, write the checkout or the venv, or signal,
trace or read the memory of the grader. The learner's process therefore, as
root, still before the learner's file is imported:

1. reads the sources it may import: the graded file, the other .py files of
   its directory (its helpers, its sibling katas; as a package if the
   directory is one) and the `katas` package on sys.path (a capstone's
   parts), each at most SOURCE_BYTES;
2. imports the modules learner code may want (PRELOAD: the standard library
   a numpy answer uses, numpy's submodules);
3. chroots into an empty directory (the launcher's `jail`): no file of the
   machine is left to open, /proc included;
4. sets its limits (grader.sandbox.limits; its process count for its user
   alone), then becomes a user of its own (LEARNER_UID_BASE + its pid mod
   4000), with no groups and no way to gain privileges again: it cannot
   signal, trace or read the memory of root's processes.

Why not keep Python's own files readable instead: on these machines Python
lives under /root, which no other user may enter, and a chroot leaves
nothing to read anyway. What the learner's code imports is served from
memory (`Sources`); anything else is a ModuleNotFoundError that names it.

Not root (a learner's laptop), or a container that withholds chroot or
setuid: none of this is possible, and the scorecard says which protections
are off (`protections_off`).
"""
from __future__ import annotations

import ctypes
import functools
import importlib
import importlib.util
import os
import sys
from contextlib import suppress
from pathlib import Path
from types import CodeType

from grader.sandbox.child import package_of, parts_folder
from grader.sandbox.limits import limit_resources

#: Modules loaded before the disk is gone: what numpy answers import, lazily or not.
PRELOAD = (
    "abc", "array", "bisect", "cmath", "collections", "collections.abc", "contextlib", "copy", "dataclasses",
    "decimal", "enum", "fractions", "functools", "heapq", "inspect", "itertools", "json", "math", "numbers",
    "operator", "pprint", "random", "re", "statistics", "string", "struct", "textwrap", "time", "types",
    "typing", "warnings",
    "numpy", "numpy.fft", "numpy.lib.stride_tricks", "numpy.linalg", "numpy.ma", "numpy.polynomial",
    "numpy.random",
)
#: Source files larger than this are not served (nobody's kata answer is).
SOURCE_BYTES = 1 << 20
#: At most this many files of the learner's directory are read.
SOURCE_FILES = 200
#: The learner's user: this plus the process id mod 4000 (no account needs to exist for it).
LEARNER_UID_BASE = 61000
#: At most this many of the sources are compiled ahead of the grader's word to begin (see Sources.compile_ahead).
COMPILED_AHEAD = 16
_PR_SET_NO_NEW_PRIVS = 38  # from linux/prctl.h
_PR_SET_DUMPABLE = 4


@functools.cache
def can_confine() -> bool:
    """Whether the learner's processes can be confined here: the grader runs as root on a POSIX system, and a
    process it forks may chroot and change its user (a container may withhold either: then nothing is
    confined, and the scorecard says so, rather than every learner's process failing)."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0 and hasattr(os, "chroot") and hasattr(os, "fork")):
        return False
    import tempfile  # noqa: PLC0415 -- asked in the launcher (a zygote), not the grader: it spares the import

    jail = tempfile.mkdtemp(prefix=f"grader-jail-{os.getpid()}-")  # removed below, or by the next grader
    try:
        pid = os.fork()
        if pid == 0:  # the probe: never returns
            try:
                os.chroot(jail)
                os.setgroups([])
                os.setgid(LEARNER_UID_BASE)
                os.setuid(LEARNER_UID_BASE)
                os._exit(0)
            except BaseException:  # noqa: B902 -- any refusal means: no confinement here
                os._exit(1)
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    finally:
        with suppress(OSError):
            os.rmdir(jail)


def protections_off(confined: bool) -> str:
    """'' when the learner's code was `confined`; else what it could still do, for the scorecard."""
    if confined:
        return ""
    why = "not root" if not (hasattr(os, "geteuid") and os.geteuid() == 0) else "chroot or setuid refused here"
    return (f"protections off ({why}): your code runs as you, so it could read the references and change the "
            f"grader's files; run as root, as Gradescope and CI do, to confine it")


class Sources:
    """The learner's modules, read while the disk was there and served from memory: {name: (file, source,
    is a package)}. A meta path finder and loader by the import system's protocol (find_spec, create_module,
    exec_module); not derived from importlib.abc's, whose import (~5 ms, tempfile and all) the grader would pay."""

    def __init__(self) -> None:
        self.modules: dict[str, tuple[str, bytes, bool]] = {}
        self.parts = Path(".")  # the folder katas.<name> is read from (set by `read`)
        self.package = ""  # the graded file's package, for its relative imports (set by `read`)
        self.compiled: dict[str, CodeType] = {}  # file -> its code, compiled ahead (see `compile_ahead`)

    @classmethod
    def read(cls, path: Path) -> "Sources":
        sources = cls()
        sources._add_directory(path.parent, top_level=True)
        sources.package = package_of(path)  # read now: there is no disk to look at once confined
        sources.parts = parts_folder(path)  # a capstone's parts, imported as katas.<name>: the learner's files
        if sources.parts.resolve() != path.parent.resolve() or "katas" not in sources.modules:  # not read twice
            sources._add_directory(sources.parts, top_level=False, package="katas")
        return sources

    def _add_directory(self, directory: Path, top_level: bool, package: str | None = None) -> None:
        if package is None:
            package = directory.name if (directory / "__init__.py").is_file() and directory.name.isidentifier() else None
        else:  # the package, whether or not the folder has an __init__.py
            self.modules.setdefault(package, (str(directory / "__init__.py"), b"", True))
        files = sorted(directory.glob("*.py"))[:SOURCE_FILES]
        for file in files:
            with suppress(OSError):
                if file.stat().st_size > SOURCE_BYTES:
                    continue
                source = file.read_bytes()
                if file.stem == "__init__":
                    if package is not None:
                        self.modules.setdefault(package, (str(file), source, True))
                    continue
                if top_level and file.stem.isidentifier():
                    self.modules.setdefault(file.stem, (str(file), source, False))
                if package is not None:
                    self.modules.setdefault(f"{package}.{file.stem}", (str(file), source, False))

    def load(self, path: Path, module_name: str):
        """The graded file, as module `module_name`, from its source read earlier."""
        self.modules[module_name] = (str(path), self._source_of(path), False)
        module = importlib.util.module_from_spec(self.find_spec(module_name))
        module.__package__ = self.package  # its relative imports: its folder's package (child.package_of)
        sys.modules[module_name] = module
        self.exec_module(module)
        return module

    def compile_ahead(self, path: Path) -> None:
        """Compile the graded file and the sources it names (its helpers, its katas), and theirs, at most
        COMPILED_AHEAD files: while the process waits for the grader's word to begin, so that their imports then
        only run them (compiling runs none of their code; tiny_gpt's eight files take ~8 ms). The names are all
        those the code uses, imported or not, so a module may be compiled for nothing: a millisecond or so, while
        the process would wait anyway. A file that does not compile is left to its import, which reports it."""
        files = {name: file for name, (file, _, _) in self.modules.items()}
        packages = [name for name, (_, _, is_package) in self.modules.items() if is_package]
        pending = [str(path)]
        while pending and len(self.compiled) < COMPILED_AHEAD:
            file = pending.pop()
            if file in self.compiled:
                continue
            try:
                code = self.compiled[file] = compile(self._source_of(Path(file)), file, "exec", dont_inherit=True)
            except Exception:  # noqa: BLE001 -- not Python, nested past the recursion limit...: its import says so
                continue
            for name in _names_used(code):  # "katas.embedding", or "embedding" of `from .embedding import`
                pending += [files[module] for module in (name, *(f"{package}.{name}" for package in packages))
                            if module in files and files[module] not in self.compiled]

    def has_file(self, path: Path) -> bool:
        """Whether the source of the file at `path` was read."""
        return any(file == str(path) for file, _, _ in self.modules.values())

    def _source_of(self, path: Path) -> bytes:
        for file, source, _ in self.modules.values():
            if file == str(path):
                return source
        raise ImportError(f"cannot read {path}")

    # -- the import system's side --------------------------------------------------
    def find_spec(self, name, path=None, target=None):
        if name not in self.modules:
            return None
        file, _, is_package = self.modules[name]
        spec = importlib.util.spec_from_loader(name, self, origin=file, is_package=is_package)
        spec.has_location = True
        if is_package:
            spec.submodule_search_locations = [str(Path(file).parent)]
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        file, source, _ = self.modules[module.__spec__.name]
        module.__file__ = file
        code = self.compiled.get(file) or compile(source, file, "exec", dont_inherit=True)
        exec(code, module.__dict__)  # noqa: S102 -- the learner's code


def _names_used(code: CodeType) -> set[str]:
    """The names `code` and the functions and classes it defines use: among them, those of the modules it
    imports, at the top or inside a function."""
    names, pending = set(), [code]
    while pending:
        code = pending.pop()
        names.update(code.co_names)
        pending += [constant for constant in code.co_consts if isinstance(constant, CodeType)]
    return names


def preload() -> None:
    """Import PRELOAD (the zygote does it once, for every process it forks)."""
    for name in PRELOAD:
        with suppress(ImportError):
            importlib.import_module(name)


def confine(path: Path, jail: str) -> Sources:
    """Read what the learner's code may import, then lose the disk and root (see the module docstring)."""
    sources = Sources.read(path)
    preload()
    limit_resources(own_user=True)  # now: once another user, it may no longer read its own /proc/self
    os.chroot(jail)
    os.chdir("/")
    user = LEARNER_UID_BASE + os.getpid() % 4000
    os.setgroups([])
    os.setgid(user)
    os.setuid(user)
    with suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        # Readable by its own user again (a change of user made it not): the launcher measures its memory as
        # that user where root may not read other users' processes (a container without CAP_SYS_PTRACE).
        libc.prctl(_PR_SET_DUMPABLE, 1, 0, 0, 0)
    sys.meta_path.insert(0, sources)
    sys.meta_path.append(_Unavailable())
    return sources


class _Unavailable:
    """Last on sys.meta_path of a confined process: a module nothing else found is named, and why, rather than
    a bare "No module named 'torch'" about a package the learner knows is installed."""

    def find_spec(self, name, path=None, target=None):
        if path is not None:  # a submodule: its package's own import says what is missing
            return None
        top = name.partition(".")[0]
        raise ModuleNotFoundError(
            f"No module named {name!r} in the sandbox: run as root (Gradescope, CI), the grader confines your "
            f"code, which may import numpy, the standard library modules numpy answers use, and the .py files of "
            f"its own folder; {top} is not among them", name=name)
