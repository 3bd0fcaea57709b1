"""Where the wheel puts the katas: the stubs and the references inside the grader package, as grader/stubs and
grader/references, so that nothing lands in site-packages under generic names (`katas`, `solutions`) that
another project could hold. In the repository they stay at the top, beside grader/ (the checkout is the
project's own workspace). Everything else is in pyproject.toml."""
from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["grader", "grader.*"]), "grader.stubs", "grader.references"],
    package_dir={"grader.stubs": "katas", "grader.references": "solutions"},
)
