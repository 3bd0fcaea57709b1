"""mlp_classifier: a capstone, a two-layer relu classifier checked whole (grader/authoring/model.py), and the
learner's Trainer (CS231n's Solver on the learner's DataLoader and update rules) checked by its runs.

The Trainer runs in the learner's process on the learner's model, the grader reading its attributes back:
a run at learning_rate 0 (the params never move) shows which minibatches and splits it used; full-batch runs
(one batch of every sample, so the learner's shuffle cannot change a step) are compared step by step with the
reference's from the same params, their best epoch not the last; a last run must fit three clusters.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.authoring.kata import Check, CheckFailed, KnownMistake
from grader.authoring.model import TRAINING, Edge, InitialLoss, Mistake, Model, Net, model_kata, skipped, softmaxed
from grader.checks.compare import agree, compare_arrays, input_scale
from grader.checks.returns import expect_raises
from grader.checks.session import Session
from grader.sandbox.protocol import Ref

NET = Net("small net", {"input_dim": 5, "hidden_dim": 7, "num_classes": 4, "weight_scale": 1e-2, "reg": 0.1}, n=6)
HISTORIES = ("loss_history", "train_acc_history", "val_acc_history")


def _clusters(seed: int, n: int, m: int, spread: float) -> dict:
    """Three 2-D clusters (centres 2 apart from the origin at 120 degrees), n training and m validation points."""
    rng, centres = np.random.default_rng(seed), np.array([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
    y_train, y_val = rng.integers(0, 3, n), rng.integers(0, 3, m)
    return {"X_train": centres[y_train] + spread * rng.standard_normal((n, 2)), "y_train": y_train,
            "X_val": centres[y_val] + spread * rng.standard_normal((m, 2)), "y_val": y_val}


def _still(reference) -> dict:
    """Random labels to train on; validation labels the run's fixed params get all right (accuracy 1)."""
    rng = np.random.default_rng(7)
    data = {"X_train": rng.standard_normal((50, 4)), "y_train": rng.integers(0, 3, 50),
            "X_val": rng.standard_normal((20, 4))}
    return {**data, "y_val": np.argmax(reference.TwoLayerClassifier(**STILL.net, seed=5).loss(data["X_val"]), axis=1)}


@dataclass(frozen=True)
class Run:
    """A Trainer run on TwoLayerClassifier(**net) with the params of the reference's at `seed`; rng seed 0."""

    label: str
    net: dict
    seed: int
    data: object  # reference module -> the data dict
    options: dict

    def describe(self) -> str:
        return f"{self.label} ({', '.join(f'{key}={value!r}' for key, value in self.options.items())})"


STILL = Run("a run at learning_rate 0", {"input_dim": 4, "hidden_dim": 10, "num_classes": 3, "weight_scale": 1.0},
            5, _still, {"update_rule": "sgd", "optim_config": {"learning_rate": 0.0}, "batch_size": 8,
                        "num_epochs": 3})
FULL = {"input_dim": 2, "hidden_dim": 8, "num_classes": 3, "weight_scale": 0.5, "reg": 0.01}
PEAKED = Run("a full-batch run, the default update rule", FULL, 9, lambda reference: _clusters(9, 40, 20, 1.2),
             {"optim_config": {"learning_rate": 0.3}, "lr_decay": 0.9, "batch_size": 100, "num_epochs": 10})
DECAYED = Run("a full-batch run of sgd", FULL, 9, PEAKED.data,
              {"update_rule": "sgd", "optim_config": {"learning_rate": 0.5}, "lr_decay": 0.5, "batch_size": 100,
               "num_epochs": 6})
FIT = Run("three clusters", {"input_dim": 2, "hidden_dim": 32, "num_classes": 3, "weight_scale": 0.1}, 0,
          lambda reference: _clusters(0, 150, 60, 0.5),
          {"optim_config": {"learning_rate": 0.1}, "batch_size": 10, "num_epochs": 10})
TARGET = 0.95


def _get(session: Session) -> Ref:
    tools = session.memo("tools", lambda: session.learner.put((getattr,), "getattr"))
    return Ref(tools.call_id, (0,), "reading the Trainer's attributes")


def _run(session: Session, run: Run) -> dict:
    """The learner's run: its attributes after train() (None where missing) and "params", its model's params."""
    def train():
        data = run.data(session.reference)
        params = session.reference.TwoLayerClassifier(**run.net, seed=run.seed).params
        with session.about(run.describe()):
            model = session.call("TwoLayerClassifier", **run.net, seed=0).ref
            session.learner.run_in_child(TRAINING, "set_params", model, params)
            trainer = session.call("Trainer", model, data, **run.options, rng=np.random.default_rng(0)).ref
            session.call(trainer.attr("train"), send=())
            got = {name: session.call(_get(session), trainer, name, None).value
                   for name in (*HISTORIES, "best_val_acc", "best_params")}
            got["params"] = session.learner.run_in_child(TRAINING, "params_of", model).value
            if run is FIT:
                got["scores"] = session.call(model.attr("loss"), data["X_val"]).value
        for name in HISTORIES:
            if not isinstance(got[name], list):
                raise CheckFailed(f"{run.describe()}: after train(), trainer.{name} must be a list; it is "
                                  f"{type(got[name]).__name__}")
        return got
    return session.memo(("run", run.label), train)


def _reference(session: Session, run: Run, trainer: type | None = None, **changes) -> dict:
    """The reference's run (`trainer` a buggy subclass of its Trainer; `changes` to the options), as _run's."""
    def train():
        model = session.reference.TwoLayerClassifier(**run.net, seed=run.seed)
        done = (trainer or session.reference.Trainer)(model, run.data(session.reference),
                                                      **{**run.options, **changes}, rng=np.random.default_rng(0))
        done.train()
        return {**{name: getattr(done, name) for name in (*HISTORIES, "best_val_acc", "best_params")},
                "params": model.params}
    return session.memo(("reference run", run.label, trainer and trainer.__name__, repr(changes)), train)


def _last_best(session: Session) -> type:
    """The reference's Trainer for which every epoch is better than the last: its best params are the last's."""
    class LastBest(session.reference.Trainer):
        def check_accuracy(self, X, y):
            return float(len(self.val_acc_history)) if X is self.data["X_val"] else super().check_accuracy(X, y)
    return LastBest


def _agree(what: str, got, right, run: Run) -> None:
    """got (a learner's list or array) agrees with the reference's `right` by the contract's rule."""
    got, right = np.asarray(got, dtype=np.float64), np.asarray(right, dtype=np.float64)
    if got.shape != right.shape:
        raise CheckFailed(f"{run.describe()}: {what} has shape {got.shape}, expected {right.shape}")
    if (mismatch := compare_arrays(what, right, got, input_scale(right))) is not None:
        raise CheckFailed(f"{run.describe()}: {mismatch.describe()}")


def _same(got, right) -> bool:
    try:
        return agree(np.asarray(right, dtype=np.float64), np.asarray(got, dtype=np.float64), input_scale(right))
    except (TypeError, ValueError):
        return False


def _params_agree(got: object, right: dict) -> bool:
    return isinstance(got, dict) and set(got) == set(right) and all(_same(got[k], right[k]) for k in right)


# -- the Trainer's rows ---------------------------------------------------------

def _lengths(session: Session) -> None:
    got, steps = _run(session, STILL), STILL.options["num_epochs"] * -(-50 // STILL.options["batch_size"])
    for name, expected, each in (("loss_history", steps, "minibatch step"), ("train_acc_history", 3, "epoch"),
                                 ("val_acc_history", 3, "epoch")):
        if len(got[name]) != expected:
            raise CheckFailed(f"{STILL.describe()}: {name} has {len(got[name])} entries, expected {expected} (one "
                              f"per {each}: 50 samples in batches of 8 make 7 steps an epoch, 3 epochs)")


def _every_batch(session: Session) -> str:
    losses, run = np.asarray(_run(session, STILL)["loss_history"], dtype=np.float64).reshape(3, 7), STILL
    data = run.data(session.reference)
    model = session.reference.TwoLayerClassifier(**run.net, seed=run.seed)
    total = 50 * model.loss(data["X_train"], data["y_train"])[0]  # the loss summed over all 50 samples
    weighted = losses[:, :6].sum(axis=1) * 8 + losses[:, 6] * 2
    for epoch, value in enumerate(weighted):
        if not agree(total, value, input_scale(total)):
            raise CheckFailed(f"{run.describe()}: in epoch {epoch + 1}, the batch losses times the batch sizes (8, "
                              f"..., 8, then 2) sum to {value:.6g}, not to the loss summed over the 50 training "
                              f"samples, {total:.6g}: each epoch must step once on every minibatch of the loader, "
                              f"the partial last one included, and record each loss")
    return f"every epoch's batch losses weigh up to the 50 samples' loss {total:.6g}"


def _splits(session: Session) -> None:
    got, right = _run(session, STILL), _reference(session, STILL)
    for name, split in (("train_acc_history", "training"), ("val_acc_history", "validation")):
        if not _same(got[name], right[name]):
            raise CheckFailed(f"{STILL.describe()}: {name} is {got[name]}, expected {right[name]}, the accuracy of "
                              f"the (unmoving) params on the {split} split, measured at the end of each epoch")


def _full_batch(session: Session) -> None:
    for run in (PEAKED, DECAYED):
        got, right = _run(session, run), _reference(session, run)
        for name in HISTORIES:
            _agree(name, got[name], right[name], run)


def _restored(session: Session) -> str:
    """PEAKED's best epoch is not its last; DECAYED's validation accuracy is the same every epoch: a tie keeps
    the first (a >= comparison restores the last)."""
    for run in (PEAKED, DECAYED):
        got, right = _run(session, run), _reference(session, run)
        best = int(np.argmax(right["val_acc_history"]))  # the first of the highest
        tied = sum(np.asarray(right["val_acc_history"]) == right["best_val_acc"]) > 1
        rule = " (ties keep the earlier epoch: a new best must be strictly higher)" if tied else ""
        if not _same(got["best_val_acc"], right["best_val_acc"]):
            raise CheckFailed(f"{run.describe()}: best_val_acc is {got['best_val_acc']}, expected "
                              f"{right['best_val_acc']} (epoch {best + 1}'s, the highest)")
        if not _params_agree(got["params"], right["params"]):
            raise CheckFailed(f"{run.describe()}: after train(), model.params are not those of epoch {best + 1}, the "
                              f"best by validation accuracy (of {len(right['val_acc_history'])} epochs){rule}: keep "
                              f"a copy of the params at each new best and put it back into the model at the end")
    right = _reference(session, PEAKED)
    best = int(np.argmax(right["val_acc_history"]))
    return f"epoch {best + 1} of {len(right['val_acc_history'])} restored, validation accuracy {right['best_val_acc']}"


def _reshuffled(session: Session) -> None:
    """At learning_rate 0 the batch losses show the batches: epochs in the same order mean no reshuffle."""
    losses = np.asarray(_run(session, STILL)["loss_history"], dtype=np.float64).reshape(3, 7)
    if all(np.array_equal(losses[0], epoch) for epoch in losses[1:]):
        raise CheckFailed(f"{STILL.describe()}: the 3 epochs gave the same batch losses in the same order: they "
                          f"were not shuffled afresh; iterate one DataLoader with shuffle=True and the Trainer's "
                          f"rng over the whole run, so that each epoch draws a new order")


def _fits(session: Session) -> str:
    got, data = _run(session, FIT), FIT.data(session.reference)
    scores = got["scores"]
    if not isinstance(scores, np.ndarray) or scores.shape != (60, 3):
        raise CheckFailed(f"{FIT.describe()}: after train(), model.loss(X_val) is not scores of shape (60, 3)")
    accuracy = float(np.mean(np.argmax(scores, axis=1) == data["y_val"]))
    history = ", ".join(f"{float(v):.2f}" for v in got["val_acc_history"])
    if not accuracy >= TARGET:
        raise CheckFailed(f"{FIT.describe()}: validation accuracy {accuracy:.2f} after training, not at least "
                          f"{TARGET}; val_acc_history {history}")
    return f"validation accuracy {accuracy:.2f} (by epoch: {history})"


def _unknown_rule(session: Session) -> None:
    model = session.call("TwoLayerClassifier", **FIT.net, seed=0).ref
    expect_raises(lambda: session.call("Trainer", model, FIT.data(session.reference), update_rule="nesterov"),
                  "ValueError", 'update_rule="nesterov"')


MODEL_ROWS = ("scores values", "loss value with reg")
GRADIENTS = MODEL_ROWS + tuple(f"gradient {name}" for name in ("W1", "b1", "W2", "b2"))
ROWS = (
    Check("Trainer histories' lengths", "shape", _lengths, needs=MODEL_ROWS),
    Check("every minibatch of every epoch used", "value", _every_batch, needs=("Trainer histories' lengths",)),
    Check("epochs reshuffled", "value", _reshuffled, needs=("Trainer histories' lengths",)),
    Check("accuracies of the right splits", "value", _splits, needs=("Trainer histories' lengths",)),
    Check("full-batch runs against the reference's", "value", _full_batch, needs=GRADIENTS),
    Check("best params restored", "value", _restored, needs=GRADIENTS),
    Check("unknown update_rule raises ValueError", "edge", _unknown_rule),
    Check(f"Trainer fits three clusters ({TARGET:.0%})", "behaviour", _fits, needs=GRADIENTS),
)


# -- the Trainer's known mistakes ------------------------------------------------

def _last_params(session: Session) -> dict:
    return _reference(session, PEAKED, _last_best(session))["params"]


def _by_reference(session: Session) -> bool:
    got = _run(session, PEAKED)
    return _params_agree(got["params"], _last_params(session)) and \
        _params_agree(got["best_params"], _last_params(session))


def _not_restored(session: Session) -> bool:
    got = _run(session, PEAKED)
    return _params_agree(got["params"], _last_params(session)) and \
        _params_agree(got["best_params"], _reference(session, PEAKED)["best_params"])


def _ties_move(session: Session) -> bool:
    """The best epoch right where it is strictly best (PEAKED), the last of the tied ones where all tie (DECAYED)."""
    return _params_agree(_run(session, PEAKED)["params"], _reference(session, PEAKED)["params"]) and \
        _params_agree(_run(session, DECAYED)["params"], _reference(session, DECAYED, _last_best(session))["params"])


def _shared(session: Session) -> bool:  # with sgd, one config for all 4 params decays its learning rate 4 times
    got, right = _run(session, DECAYED)["loss_history"], _reference(session, DECAYED)["loss_history"]
    return _same(got, _reference(session, DECAYED, lr_decay=0.5**4)["loss_history"]) and not _same(got, right)


def _wrong_split(session: Session) -> bool:
    got, right = _run(session, STILL), _reference(session, STILL)
    return _same(got["val_acc_history"], right["train_acc_history"]) or \
        _same(got["train_acc_history"], right["val_acc_history"])


MISTAKES = (
    KnownMistake("a tie replaces the best epoch",
                 "Your Trainer takes a later epoch whose validation accuracy only equals the best so far (val_acc "
                 ">= best_val_acc): a new best must be strictly higher, val_acc > best_val_acc, so that a tie keeps "
                 "the earlier epoch.", _ties_move),
    KnownMistake("best params stored by reference",
                 "Your best_params are the model's own dict (best_params = model.params), which the following steps "
                 "keep changing, so the 'best' params are the last: store a copy, {k: v.copy() for k, v in "
                 "model.params.items()}.", _by_reference),
    KnownMistake("best params never restored",
                 "Your Trainer keeps a copy of the best params but leaves the last epoch's in the model: set "
                 "model.params to the best params at the end of train().", _not_restored),
    KnownMistake("one update-rule config shared by every parameter",
                 "All your parameters share one config dict, so its learning rate decays once per parameter each "
                 "epoch (and sgd_momentum's velocity has the shape of whichever parameter came last): give each "
                 "parameter its own copy, {k: dict(optim_config) for k in model.params}.", _shared),
    KnownMistake("accuracy measured on the wrong split",
                 "Your val_acc_history holds the training accuracy (or train_acc_history the validation one): "
                 "measure each on its own split, data['X_val'] with data['y_val'].", _wrong_split),
    KnownMistake("one loss per epoch",
                 "Your loss_history has one entry per epoch: append the loss of every minibatch step.",
                 lambda session: len(_run(session, STILL)["loss_history"]) == STILL.options["num_epochs"]),
)


def _fresh(rng_seed: int):
    rng = np.random.default_rng(rng_seed)
    return rng.standard_normal((10, 20)), np.arange(10)


CLASSIFIER = Model(
    name="TwoLayerClassifier",
    outputs="scores",
    params={"W1": "(input_dim, hidden_dim)", "b1": "(hidden_dim,)", "W2": "(hidden_dim, num_classes)",
            "b2": "(num_classes,)"},
    batch=lambda rng, net: (rng.standard_normal((net.n, net.kwargs["input_dim"])),
                            rng.integers(0, net.kwargs["num_classes"], size=net.n)),
    net=NET,
    gradient_net=NET.variant("tiny net", input_dim=4, hidden_dim=5, num_classes=3, weight_scale=1e-1),
    init_net=NET.variant("initial weights", input_dim=30, hidden_dim=64, num_classes=10, reg=0.0),
    initial_loss=InitialLoss(
        "initial loss near log(num_classes)", NET.variant("fresh net", n=10, input_dim=20, hidden_dim=30,
                                                          num_classes=10, weight_scale=1e-3, reg=0.0),
        lambda: _fresh(0), expected=float(np.log(10)), tolerance=0.05,
        why="weight_scale 1e-3 makes every score about 0, so every class about equally likely: a loss of log(10)"),
    edges=(Edge("one sample (N = 1)", NET.variant("one sample", n=1), why="a batch of one sample is a batch"),),
    mistakes=(
        Mistake("no relu after the hidden layer",
                "Your scores match the network without the relu between the two linear layers: apply relu_forward "
                "to the hidden layer's output.", outputs=skipped("relu_forward"),
                hint="no relu after the hidden layer"),
        Mistake("probabilities instead of scores",
                "Your loss(X) returns softmax probabilities: return the scores, the softmax's input, and apply the "
                "softmax only inside the loss.", outputs=softmaxed,
                hint="softmax probabilities: loss(X) returns the scores, the softmax's input"),
    ),
    training=None,
)

KATA = model_kata(
    CLASSIFIER, "loss(X, y) with grads, a minibatch of 6 samples, the small net",
    extra=ROWS, classes=("Trainer",), mistakes=MISTAKES,
    name="mlp_classifier",
    title="capstone: a two-layer classifier from your katas, trained by your Trainer on your DataLoader",
    depends_on=("linear", "activations", "softmax_ce", "optimizers", "dataloader"),
    timeout=20.0,
    hints=(
        "The model chains your katas as the convnet does, one layer fewer. The Trainer is a loop of epochs "
        "around a loop of minibatches; think about what each parameter's update rule must remember between "
        "steps, and what 'keeping' the best params means when the next step replaces the model's arrays.",
        "Model: linear, relu, linear, softmax_cross_entropy; backward in reverse, plus reg * W. Trainer.train: "
        "one DataLoader; per parameter its own copy of optim_config; per minibatch loss, grads = "
        "model.loss(...), append the loss, update each parameter; per epoch decay the learning rates, append "
        "both accuracies, and copy the params when the validation accuracy is a new best; restore them at the end.",
        "configs = {k: dict(optim_config) for k in model.params}; model.params[k], configs[k] = "
        "rule(model.params[k], grads[k], configs[k]); if val_acc > best_val_acc: best_params = {k: v.copy() for "
        "k, v in model.params.items()}; finally model.params = best_params.",
    ),
)
