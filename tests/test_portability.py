"""What lets the package load on macOS and Windows: no POSIX-only module imported at module level, and the
pytest plugin harmless in any project."""
import subprocess
import sys

from conftest import ROOT

#: Modules Windows lacks (macOS has them, but a module that needs them at import fails on Windows).
POSIX_ONLY = ("fcntl", "resource", "termios", "tty", "pty", "pwd", "grp")


def test_every_grader_module_imports_without_posix_only_modules():
    # A module set to None in sys.modules cannot be imported: as on Windows.
    script = (
        "import sys, pkgutil, importlib\n"
        f"for name in {POSIX_ONLY!r}:\n"
        "    sys.modules[name] = None\n"
        "import grader\n"
        "failed = []\n"
        "for module in pkgutil.walk_packages(grader.__path__, 'grader.'):\n"
        "    if module.name == 'grader.__main__':\n"
        "        continue\n"
        "    try:\n"
        "        importlib.import_module(module.name)\n"
        "    except ImportError as error:\n"
        "        failed.append(f'{module.name}: {error}')\n"
        "print('\\n'.join(failed))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"modules that need a POSIX-only module at import:\n{result.stdout}"


def test_on_windows_grading_says_to_use_wsl_and_the_other_commands_work(monkeypatch, capsys, tmp_path):
    from grader import cli
    from grader.sandbox import launcher

    monkeypatch.setenv("GRADER_PROGRESS", str(tmp_path / "progress.json"))  # `hint` records the tier shown
    monkeypatch.setattr(launcher, "_LAUNCHERS", {})
    monkeypatch.setattr(launcher, "_on_windows", lambda: True)  # sys.platform itself would mislead numpy, rich
    launcher.start_early()  # as `python -m grader` does first: no error yet
    status = cli.main(["iou", "--file", str(ROOT / "solutions" / "iou.py")])
    assert status == 2 and "WSL" in capsys.readouterr().err
    assert cli.main(["hint", "iou"]) == 0
