"""The architecture holds: imports run one way (import-linter's contract in pyproject.toml), and
importing the package, or the pytest plugin pytest loads in every project, stays cheap."""
import subprocess
import sys

from conftest import ROOT


def test_the_layers_import_one_way_only():
    result = subprocess.run(["lint-imports"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout


def test_importing_the_package_or_its_pytest_plugin_loads_no_numpy_and_no_engine():
    for module in ("grader", "grader.instructor.pytest_plugin"):
        loaded = subprocess.run(
            [sys.executable, "-c", f"import sys, {module}; print(sorted(sys.modules))"],
            cwd=ROOT, capture_output=True, text=True, check=True).stdout
        assert "'numpy'" not in loaded and "'grader.grading.engine'" not in loaded, module
