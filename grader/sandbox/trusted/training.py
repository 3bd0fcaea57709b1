"""Trusted grader code that runs beside the learner's, in the learner's process.

The capstone specs call these through `LearnerProcess.run_in_child` (or
`start_in_twin`, in the twin process), which imports this module in the
child and calls `function(learner_module, *args, report=..., **kwargs)`.
They only drive the learner's objects (a training loop, the loss at
perturbed parameters) and send plain values back (losses, the trained
model's outputs): every verdict is reached in the parent, from those
values. Whatever they return is as untrusted as any other reply from the
child.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from types import ModuleType

import numpy as np

from grader.sandbox.child import import_file
from grader.sandbox.confine import Sources

Report = Callable[[dict], None]
#: A target of a sequence model not scored (cross_entropy's default ignore_index).
IGNORED = -100


def sibling(learner_module: ModuleType, name: str) -> ModuleType:
    """The module `name` (e.g. "optimizers") that belongs with the learner's file.

    That is `<name>.py` in the learner's directory: imported as `<package>.<name>` when the directory is a
    package on sys.path (katas/, solutions/), so that it is the very module the learner's other katas use;
    else loaded from its path. A file with no such neighbour (a test variant, a file graded with --file)
    gets `<package>.<name>` of the package its own parts are imported from (solutions.optimizers for a file
    that imports solutions.conv2d).
    """
    path = Path(learner_module.__file__)
    neighbour = path.parent / f"{name}.py"
    served = next((finder for finder in sys.meta_path if isinstance(finder, Sources)), None)  # confined
    if served is not None and served.has_file(neighbour):
        with suppress(ImportError):  # its package's module, as the learner's other katas import it
            module = importlib.import_module(f"{path.parent.name}.{name}")
            if module.__file__ == str(neighbour):
                return module
        return served.load(neighbour, f"learner_{name}")
    path, neighbour = path.resolve(), path.resolve().parent / f"{name}.py"
    if served is None and neighbour.is_file():
        package = path.parent.name
        if package.isidentifier() and (path.parent / "__init__.py").is_file():
            with suppress(ImportError):
                module = importlib.import_module(f"{package}.{name}")
                if Path(module.__file__).resolve() == neighbour:
                    return module
        return import_file(neighbour, f"learner_{name}")
    for package in _packages_imported_from(learner_module):
        if importlib.util.find_spec(f"{package}.{name}") is not None:
            return importlib.import_module(f"{package}.{name}")
    raise ImportError(f"there is no {name}.py beside {path.name} (in {path.parent}) to train with")


def _packages_imported_from(module: ModuleType) -> list[str]:
    """Top-level packages whose submodules `module` took functions from, first seen first."""
    packages = []
    for value in vars(module).values():
        origin = getattr(value, "__module__", None)
        if isinstance(origin, str) and "." in origin and callable(value):
            package = origin.split(".")[0]
            if package not in packages and package != module.__name__:
                packages.append(package)
    return packages


# -- the model's parameters ---------------------------------------------------

def params_of(learner_module: ModuleType, model, report: Report | None = None):
    """model.params as it is (the parent checks what it is), or None when there is none."""
    return getattr(model, "params", None)


def set_params(learner_module: ModuleType, model, params: dict, report: Report | None = None) -> None:
    """Put copies of the grader's arrays into model.params, entry by entry."""
    if not isinstance(getattr(model, "params", None), dict):
        raise TypeError("the model's params must be a dict, for the grader to set its entries")
    for name, value in params.items():
        model.params[name] = np.array(value, dtype=np.float64, copy=True)


def loss_at(learner_module: ModuleType, model, name: str, indices, h: float, X, y,
            report: Report | None = None) -> np.ndarray:
    """The learner's loss with flat element i of model.params[name] moved by +h and by -h, for each i.

    Returns shape (len(indices), 2): [loss(+h), loss(-h)] per index, for the parent to turn into central
    differences. model.params[name] is put back as it was; every call gets fresh copies of X and y.
    """
    params = model.params
    original = params[name]
    base = np.array(original, dtype=np.float64, copy=True)
    losses = np.empty((len(indices), 2))
    try:
        for row, index in enumerate(indices):
            for column, sign in enumerate((1.0, -1.0)):
                moved = base.copy()
                moved.reshape(-1)[index] += sign * h
                params[name] = moved
                losses[row, column] = _loss_value(model.loss(X.copy(), y.copy()))
    finally:
        params[name] = original
    return losses


def loss_at_set_params(learner_module: ModuleType, model_class: str, kwargs: dict, params: dict, h: float, X, y,
                       indices, report: Report | None = None) -> np.ndarray:
    """loss_at on a fresh `model_class(**kwargs)` whose params the grader set to `params`, for flat indices
    into all of them, in params' order (index i past the first array's size is in the second, and so on).
    Built from plain data, so that the twin process can take half of the indices (see
    LearnerProcess.run_split_in_child). Returns shape (len(indices), 2)."""
    model = getattr(learner_module, model_class)(**kwargs)
    set_params(learner_module, model, params)
    names = list(params)
    ends = np.cumsum([np.size(params[name]) for name in names])
    indices = np.asarray(indices, dtype=np.int64)
    owners = np.searchsorted(ends, indices, side="right")  # which param each flat index falls in
    losses = np.empty((len(indices), 2))
    for owner in np.unique(owners):
        rows = owners == owner
        offset = ends[owner - 1] if owner else 0
        losses[rows] = loss_at(learner_module, model, names[owner], indices[rows] - offset, h, X, y)
    return losses


def _loss_value(result) -> float:
    """The loss out of loss(X, y)'s (loss, grads), as a float."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError(f"loss(X, y) must return (loss, grads), not {type(result).__name__}")
    return float(np.asarray(result[0], dtype=np.float64).reshape(()))


# -- training loops -----------------------------------------------------------

def train_classifier(learner_module: ModuleType, model, X, y, *, epochs: int, batch_size: int,
                     learning_rate: float, seed: int, report: Report) -> dict:
    """Minibatch training of `model` with the learner's own adam, one config per parameter.

    Each epoch visits the samples once in a seeded random order; training stops after the first epoch at
    whose end every training label is predicted right: y (N,) or (N, T) of labels, loss(X)'s argmax over its
    last axis, labels of IGNORED not counted (the parent checks that again itself). Reports
    {"step", "steps", "loss"} after every step. Returns {"losses": minibatch loss of every step, "epochs":
    epochs run, "outputs": loss(X) after the last one, as the stopping rule saw it}.
    """
    adam = sibling(learner_module, "optimizers").adam
    rng = np.random.default_rng(seed)
    configs = {name: {"learning_rate": learning_rate} for name in model.params}
    steps = epochs * -(-len(X) // batch_size)
    losses: list[float] = []
    epoch, outputs = 0, None
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            loss = _step(model, X[batch], y[batch], adam, configs)
            losses.append(loss)
            report({"step": len(losses), "steps": steps, "loss": loss})
        scored, outputs = y != IGNORED, model.loss(X.copy())
        if np.array_equal(np.argmax(outputs, axis=-1)[scored], y[scored]):
            break
    return {"losses": losses, "epochs": epoch, "outputs": outputs}


def train_regressor(learner_module: ModuleType, model, X, y, *, epochs: int, batch_size: int,
                    learning_rate: float, decay: float, target: float, seed: int, report: Report) -> dict:
    """Minibatch SGD on `model` with the learner's own sgd; the learning rate decays each epoch.

    Epoch e (from 0) steps with learning_rate * decay**e. Training stops after the first epoch whose mean
    squared error over all of X is below `target` (the parent computes it again itself). Reports {"step":
    epoch, "steps": epochs, "loss": that error} after every epoch. Returns {"losses": the error after each
    epoch, "epochs": epochs run, "outputs": loss(X) after the last one}.
    """
    sgd = sibling(learner_module, "optimizers").sgd
    rng = np.random.default_rng(seed)
    losses: list[float] = []
    outputs = None
    for epoch in range(epochs):
        configs = {name: {"learning_rate": learning_rate * decay**epoch} for name in model.params}
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            _step(model, X[batch], y[batch], sgd, configs)
        outputs = model.loss(X.copy())
        error = float(np.mean((np.asarray(outputs, dtype=np.float64) - y) ** 2))
        losses.append(error)
        report({"step": epoch + 1, "steps": epochs, "loss": error})
        if error < target:
            break
    return {"losses": losses, "epochs": len(losses), "outputs": outputs}


_TRAINERS = {"train_classifier": train_classifier, "train_regressor": train_regressor}


def train_model(learner_module: ModuleType, model_class: str, kwargs: dict, trainer: str, X, y, *,
                report: Report, **options) -> dict:
    """`trainer` (train_classifier, train_regressor) on a fresh `model_class(**kwargs)`.

    Built from plain data, so that the twin process can run it beside the other checks (see
    LearnerProcess.start_in_twin). Returns the trainer's history plus {"outputs": the trained model's
    loss(X)}, for the parent to judge the fit itself.
    """
    model = getattr(learner_module, model_class)(**kwargs)
    history = _TRAINERS[trainer](learner_module, model, X, y, report=report, **options)
    if history["outputs"] is None:  # no epoch was run: nothing evaluated the trained model yet
        history["outputs"] = model.loss(X.copy())
    return history


def _step(model, X_batch, y_batch, rule, configs: dict) -> float:
    """One update of every parameter by `rule` (w, dw, config) -> (next_w, config); the batch loss."""
    loss, grads = model.loss(X_batch, y_batch)
    for name, config in configs.items():
        model.params[name], configs[name] = rule(model.params[name], grads[name], config)
    return float(loss)
