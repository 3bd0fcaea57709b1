"""The capstones (convnet, mlp_regression) as a learner meets them, and the parts they stand on.

A capstone is a class built from the learner's other katas and trained by the
grader with the learner's own optimizer; these tests cover what is special
about that: the class spec shared by stub and reference, the dependency gate
on a learner's katas/ folder, the generated data, the training loops (robust
over seeds, with progress reports) and the trusted helpers that run beside
the learner's code.
"""
from __future__ import annotations

import importlib
import shutil
import types
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, correct_answer, failed_checks, learner_checkout, pristine_root, run_json
from grader.practice import progress as practice
from grader.sandbox.trusted import training
from grader.grading.catalogue import load_kata
from grader.authoring.datasets import pattern_images, sine
from grader.grading.engine import grade
from grader.instructor.variants import as_learners, graded_path
from grader.sandbox.process import LearnerProcess
from grader.practice.parts import PassedParts, part_digest, parts_gate
from grader.specs import convnet as convnet_spec
from grader.specs import mlp_regression as mlp_spec

#: kata -> (its class, the parts its stub imports from katas/)
CAPSTONES = {
    "convnet": ("ThreeLayerConvNet", ("activations", "conv2d", "linear", "maxpool", "optimizers", "softmax_ce")),
    "mlp_regression": ("MLPRegressor", ("activations", "linear", "mse_loss", "optimizers")),
}
#: kata -> the parts its reference imports, graded before its own checks (the grader loads optimizers itself)
IMPORTED_PARTS = {kata: tuple(part for part in parts if part != "optimizers")
                  for kata, (_, parts) in CAPSTONES.items()}


# (The class spec shared by stub and reference is the self-check's: test_katas_match_solutions.py.)


# -- the dependency gate, on a learner's own katas/ folder -----------------------

def _learner_folder(tmp_path, kata: str, stub_parts=(), capstone: str = "solved"):
    """tmp/katas/ as a learner's checkout: the parts solved (correct answers) but `stub_parts`,
    and the capstone either solved with imports from katas.* or the untouched stub."""
    solved = [part for part in CAPSTONES[kata][1] if part not in stub_parts]
    return learner_checkout(tmp_path, solved + ([kata] if capstone == "solved" else []))


@pytest.mark.parametrize("kata, unsolved", [("convnet", "maxpool"), ("mlp_regression", "mse_loss")])
def test_an_unsolved_part_is_named_instead_of_a_wall_of_failures(tmp_path, kata, unsolved):
    checkout = _learner_folder(tmp_path, kata, stub_parts=(unsolved,))
    result, report = run_json(kata, cwd=checkout, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 1 and report["score"] == 0
    messages = {check["message"] for check in report["checks"]}
    assert all(unsolved in message for message in messages), messages
    solved = set(CAPSTONES[kata][1]) - {unsolved}
    assert not any(part in message for part in solved for message in messages), messages


@pytest.mark.parametrize("kata", CAPSTONES)
def test_the_capstone_built_from_the_learners_own_katas_passes(tmp_path, kata):
    checkout = _learner_folder(tmp_path, kata)
    progress_file = checkout / practice.FILE_NAME
    result, report = run_json(kata, cwd=checkout, env={"PYTHONPATH": str(ROOT), "GRADER_PROGRESS": str(progress_file)})
    assert result.returncode == 0 and report["passed"], failed_checks(report)
    fit = report["checks"][-1]
    assert fit["group"] == "behaviour" and fit["name"].startswith("fits")
    assert ("accuracy 1.0" if kata == "convnet" else "mean squared error") in fit["message"]
    # The parts it graded first are remembered as passed, as they are now (grader.practice.parts).
    progress = practice.load(progress_file)
    remembered = {name for name, entry in progress.items() if entry.passed_digest}
    assert remembered == {*IMPORTED_PARTS[kata], kata}
    assert all(progress[name].passed_digest == part_digest(name, checkout / "katas" / f"{name}.py")
               for name in remembered)


def test_a_part_that_passed_unchanged_is_not_graded_again_and_a_changed_one_is(tmp_path, monkeypatch,
                                                                               graded_as_parts):
    checkout = _learner_folder(tmp_path, "convnet")
    monkeypatch.syspath_prepend(str(checkout))  # katas.* in the learner's process: the checkout's
    parts = PassedParts(checkout / practice.FILE_NAME)  # the gate grades each part unless it passed unchanged
    capstone, graded = checkout / "katas" / "convnet.py", graded_as_parts
    assert grade(load_kata("convnet"), capstone, gate=parts_gate(parts)).passed
    assert sorted(graded) == sorted(IMPORTED_PARTS["convnet"])
    graded.clear()
    assert grade(load_kata("convnet"), capstone, gate=parts_gate(parts)).passed
    assert graded == []

    shutil.copy(pristine_root() / "katas" / "maxpool.py", checkout / "katas" / "maxpool.py")  # back to the stub
    report = grade(load_kata("convnet"), capstone, gate=parts_gate(parts))
    assert graded == ["maxpool"] and not report.passed and "maxpool" in report.problem
    graded.clear()
    grade(load_kata("convnet"), capstone, gate=parts_gate(parts))
    assert graded == ["maxpool"]  # a failing part is graded on every run


@pytest.mark.parametrize("kata", CAPSTONES)
def test_the_untouched_stub_is_not_started_once_its_parts_pass(tmp_path, kata):
    checkout = _learner_folder(tmp_path, kata, capstone="stub")
    result, report = run_json(kata, cwd=checkout, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 1 and report["score"] == 0
    assert all("not started" in check["message"] for check in report["checks"]), report["checks"]


# -- the generated data -----------------------------------------------------------

def test_pattern_images_are_seeded_balanced_and_learnable():
    X, y = pattern_images(50, seed=0)
    again, labels_again = pattern_images(50, seed=0)
    other, _ = pattern_images(50, seed=1)
    assert X.shape == (50, 3, 8, 8) and X.dtype == np.float64 and y.dtype == np.int64
    assert np.array_equal(X, again) and np.array_equal(y, labels_again) and not np.array_equal(X, other)
    assert np.bincount(y, minlength=10).tolist() == [5] * 10
    # The class shows in the image: the nearest class mean (of other draws) names most labels.
    big, big_labels = pattern_images(2000, seed=7)
    means = np.stack([big[big_labels == k].mean(axis=0) for k in range(10)]).reshape(10, -1)
    guesses = np.argmin(((X.reshape(50, 1, -1) - means) ** 2).sum(axis=2), axis=1)
    assert np.mean(guesses == y) > 0.8


def test_pattern_images_other_sizes_and_class_counts():
    X, y = pattern_images(12, num_classes=3, image_shape=(1, 6, 10), seed=2)
    assert X.shape == (12, 1, 6, 10) and set(y.tolist()) == {0, 1, 2}
    with pytest.raises(ValueError, match="at least 5x5"):
        pattern_images(4, image_shape=(3, 4, 4))


def test_sine_is_seeded_and_on_the_interval():
    x, y = sine(200, seed=0)
    assert x.shape == y.shape == (200, 1)
    assert np.all((0 <= x) & (x < 1)) and np.allclose(y, 20 * np.sin(2 * np.pi * x))
    assert np.array_equal(x, sine(200, seed=0)[0]) and not np.array_equal(x, sine(200, seed=1)[0])


# -- the reference training is robust, well inside the kata's limits --------------

def _fit_convnet(seed: int) -> int:
    """Epochs the reference convnet needs on data and initial weights of `seed` (the kata's settings)."""
    module = importlib.import_module("solutions.convnet")
    X, y = pattern_images(convnet_spec.SAMPLES, seed=seed)
    model = module.ThreeLayerConvNet(**convnet_spec.TRAIN_NET.kwargs, seed=seed)
    history = training.train_classifier(module, model, X, y, epochs=convnet_spec.EPOCHS,
                                        batch_size=convnet_spec.BATCH, learning_rate=convnet_spec.LEARNING_RATE,
                                        seed=seed, report=lambda progress: None)
    assert np.array_equal(np.argmax(model.loss(X), axis=1), y), f"seed {seed}: not fitted"
    return history["epochs"]


def _fit_mlp(seed: int) -> int:
    module = importlib.import_module("solutions.mlp_regression")
    X, y = sine(mlp_spec.SAMPLES, seed=seed)
    model = module.MLPRegressor(**mlp_spec.TRAIN_NET.kwargs, seed=seed)
    history = training.train_regressor(module, model, X, y, epochs=mlp_spec.EPOCHS, batch_size=mlp_spec.BATCH,
                                       learning_rate=mlp_spec.LEARNING_RATE, decay=mlp_spec.DECAY,
                                       target=mlp_spec.TARGET_ERROR, seed=seed, report=lambda progress: None)
    assert np.mean((model.loss(X) - y) ** 2) < mlp_spec.TARGET_ERROR, f"seed {seed}: not fitted"
    return history["epochs"]


@pytest.mark.parametrize("fit, limit", [(_fit_convnet, convnet_spec.EPOCHS), (_fit_mlp, mlp_spec.EPOCHS)],
                         ids=["convnet", "mlp_regression"])
def test_reference_training_fits_with_room_to_spare_over_seeds(fit, limit):
    # Other seeds stand for learners whose weights are drawn in another order.
    epochs = [fit(seed) for seed in range(1, 9)]
    assert max(epochs) <= limit / 2, epochs


# -- the trusted code that runs beside the learner's ------------------------------

def test_sibling_is_the_optimizers_module_beside_the_file_or_of_the_package_its_parts_come_from(tmp_path):
    assert training.sibling(importlib.import_module("solutions.convnet"), "optimizers") is \
        importlib.import_module("solutions.optimizers")
    variant = types.ModuleType("learner_convnet")
    variant.__file__ = str(ROOT / "tests" / "learners" / "convnet" / "ok_layer_list.py")
    variant.conv2d_forward = importlib.import_module("solutions.conv2d").conv2d_forward
    assert training.sibling(variant, "optimizers") is importlib.import_module("solutions.optimizers")

    (tmp_path / "optimizers.py").write_text("def adam(w, dw, config=None):\n    return w, config\n")
    loose = types.ModuleType("learner_loose")
    loose.__file__ = str(tmp_path / "convnet.py")
    assert training.sibling(loose, "optimizers").__file__ == str(tmp_path / "optimizers.py")

    lonely = types.ModuleType("learner_lonely")
    lonely.__file__ = str(tmp_path / "elsewhere" / "convnet.py")
    with pytest.raises(ImportError, match="no optimizers.py beside convnet.py"):
        training.sibling(lonely, "optimizers")


def test_loss_at_moves_one_element_at_a_time_and_puts_the_parameter_back():
    module = importlib.import_module("solutions.mlp_regression")
    model = module.MLPRegressor(input_dim=2, hidden_dim=3, output_dim=1, reg=0.1, seed=0)
    X, y = np.ones((4, 2)), np.zeros((4, 1))
    before = model.params["W1"]
    losses = training.loss_at(module, model, "W1", [0, 5], 1e-3, X, y)
    assert model.params["W1"] is before
    for row, index in enumerate((0, 5)):
        for column, step in enumerate((1e-3, -1e-3)):
            moved = before.copy()
            moved.reshape(-1)[index] += step
            model.params["W1"] = moved
            assert losses[row, column] == model.loss(X, y)[0]
    model.params["W1"] = before


def test_training_in_the_learners_process_reports_progress_as_it_goes():
    seen = []
    kata = load_kata("convnet")
    with graded_path(kata, ROOT / "solutions" / "convnet.py", ROOT / "solutions") as solved, \
            LearnerProcess(solved, "learner_convnet", timeout=30) as learner:  # its parts beside it
        model = learner.call("ThreeLayerConvNet", **convnet_spec.TRAIN_NET.kwargs, seed=0)
        X, y = pattern_images(convnet_spec.SAMPLES, seed=0)
        returned = learner.run_in_child("grader.sandbox.trusted.training", "train_classifier", model.ref, X, y, epochs=2,
                                        batch_size=10, learning_rate=1e-2, seed=0, on_progress=seen.append)
    assert [report["step"] for report in seen] == list(range(1, 11))
    assert all(report["steps"] == 10 for report in seen)
    assert [report["loss"] for report in seen] == returned.value["losses"]
    assert returned.value["epochs"] == 2


def test_a_model_that_ignores_the_params_it_is_given_is_told_so():
    variant, kata = ROOT / "tests" / "learners" / "convnet" / "bug_weights_cached_at_init.py", load_kata("convnet")
    with graded_path(kata, variant, ROOT / "solutions") as graded:  # its parts solved, beside it
        report = grade(kata, graded)
    failed = {check.name: check.message for check in report.checks if not check.passed}
    assert "loss must read the weights from self.params" in failed["scores values"]


@pytest.mark.parametrize("cores", [1, 2])
def test_the_training_row_trains_on_the_twin_or_here_and_fits_either_way(cores, monkeypatch):
    monkeypatch.setattr("grader.sandbox.process._CORES", cores)
    started = []  # what each start_in_twin answered
    start_in_twin = LearnerProcess.start_in_twin

    def recording(self, *args, **kwargs):
        started.append(start_in_twin(self, *args, **kwargs))
        return started[-1]

    monkeypatch.setattr(LearnerProcess, "start_in_twin", recording)
    kata = load_kata("mlp_regression")
    with graded_path(kata, correct_answer("mlp_regression"), ROOT / "solutions") as graded:
        report = grade(kata, graded)
    assert report.passed, [check.message for check in report.checks if not check.passed]
    assert started == [cores == 2]  # handed to the twin only where there is one


def test_a_training_run_that_hangs_times_out_its_own_row_only(tmp_path):
    path = tmp_path / "hangs_in_training.py"
    solved = (ROOT / "solutions" / "mlp_regression.py").read_text()  # its parts come from katas/, beside it
    path.write_text(solved + (
        "\n\nclass _Hanging(MLPRegressor):\n"
        "    def loss(self, X, y=None):\n"
        f"        while len(X) == {mlp_spec.SAMPLES}: pass  # only training sees every sample\n"
        "        return super().loss(X, y)\n\n\n"
        "MLPRegressor = _Hanging\n"))
    hang_line = len(solved.splitlines()) + 5  # the loop is on one line: the hang is located there, not on its body
    kata = load_kata("mlp_regression")
    with graded_path(kata, path, ROOT / "solutions") as graded:
        report = grade(kata, graded, timeout=5)  # the other rows take ~1 s on a loaded machine
    *rows, fit = report.checks
    assert all(row.passed for row in rows), [row.message for row in rows if not row.passed]
    assert fit.outcome == "error" and fit.message.startswith("timed out: your code ran past the 5 s limit")
    assert f"mlp_regression.py line {hang_line}" in fit.message  # where it hung


def _submission(folder: Path, parts: dict[str, str]) -> Path:
    """A student's submission: their KATA.py files side by side ({kata: source}); the capstone's path."""
    folder.mkdir()
    for name, source in parts.items():
        (folder / f"{name}.py").write_text(source)
    return folder / "convnet.py"


def _solved(name: str) -> str:
    """The reference of `name` as a student would submit it (its parts imported from katas.)."""
    return as_learners((ROOT / "solutions" / f"{name}.py").read_text())


@pytest.mark.usefixtures("start_mode")
def test_a_capstone_graded_from_a_submission_takes_its_parts_from_that_submission(tmp_path):
    # Never from the grading machine's katas/: complete, a part missing, a part that fails.
    kata = load_kata("convnet")
    complete = {name: _solved(name) for name in (*kata.depends_on, "convnet")}
    report = grade(kata, _submission(tmp_path / "alice", complete))
    assert report.passed, [check.message for check in report.checks if not check.passed]

    only_the_capstone = grade(kata, _submission(tmp_path / "bob", {"convnet": complete["convnet"]}))
    assert only_the_capstone.score == 0
    assert "your activations.py is missing: convnet.py imports katas.activations" in only_the_capstone.problem

    wrong_part = {**complete, "conv2d": (ROOT / "tests" / "learners" / "conv2d" / "bug_db_mean.py").read_text()}
    failing = grade(kata, _submission(tmp_path / "carol", wrong_part), gate=parts_gate())
    assert failing.score == 0 and "conv2d (10/13)" in failing.problem


@pytest.mark.usefixtures("start_mode")
@pytest.mark.parametrize("kata", ["convnet", "mlp_regression", "tiny_gpt"])
def test_a_capstones_reference_graded_as_a_file_imports_its_parts_relatively(kata):
    # solutions/<capstone>.py says `from .conv2d import ...`: graded as a file of the solutions package.
    result, report = run_json(kata, "--file", str(ROOT / "solutions" / f"{kata}.py"), timeout=120)
    assert report["passed"], result.stderr
