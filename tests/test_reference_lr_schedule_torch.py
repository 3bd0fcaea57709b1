"""The lr_schedule kata's reference against torch.optim.lr_scheduler, in float64 (skipped without torch): a
LambdaLR warmup (step / warmup_steps) followed by CosineAnnealingLR(T_max = total_steps - warmup_steps,
eta_min = min_lr), chained by SequentialLR and stepped as a training loop steps them; with min_lr = 0, Hugging Face's
get_cosine_schedule_with_warmup formula (as a LambdaLR) up to total_steps; past the end, the floor."""
import math
import warnings

import pytest

from solutions.lr_schedule import lr_schedule

torch = pytest.importorskip("torch")
scheduler = torch.optim.lr_scheduler

SCHEDULES = [(0.5, 10, 110, 0.05), (2.0, 3, 20, 0.0), (1e-3, 0, 50, 1e-5), (0.1, 7, 8, 0.01), (3e-4, 100, 1000, 3e-5)]


def _optimizer(max_lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))], lr=max_lr)


def _torch_lrs(max_lr, warmup, total, min_lr):
    """The lr torch's schedulers give at steps 0 .. total_steps - 1 (one optimizer.step() and scheduler.step() each)."""
    optimizer = _optimizer(max_lr)
    cosine = scheduler.CosineAnnealingLR(optimizer, T_max=total - warmup, eta_min=min_lr)
    if warmup:
        warm = scheduler.LambdaLR(optimizer, lambda step: step / warmup)
        chained = scheduler.SequentialLR(optimizer, [warm, cosine], milestones=[warmup])
    else:
        chained = cosine
    lrs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SequentialLR's deprecation notes about step(epoch)
        for _ in range(total):
            lrs.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            chained.step()
    return lrs


@pytest.mark.parametrize("max_lr, warmup, total, min_lr", SCHEDULES)
def test_matches_torchs_warmup_then_cosine_annealing(max_lr, warmup, total, min_lr):
    theirs = _torch_lrs(max_lr, warmup, total, min_lr)
    ours = [lr_schedule(step, max_lr, warmup, total, min_lr) for step in range(total)]
    assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-12 * max_lr)


@pytest.mark.parametrize("max_lr, warmup, total, min_lr", SCHEDULES)
def test_past_the_end_is_the_floor(max_lr, warmup, total, min_lr):
    assert lr_schedule(total, max_lr, warmup, total, min_lr) == pytest.approx(min_lr, abs=1e-15)
    assert all(lr_schedule(step, max_lr, warmup, total, min_lr) == min_lr for step in (total + 1, 2 * total + 3))


@pytest.mark.parametrize("max_lr, warmup, total", [(0.5, 10, 110), (1e-3, 0, 50), (2.0, 3, 20)])
def test_min_lr_0_is_hugging_faces_cosine_with_warmup(max_lr, warmup, total):
    """transformers.get_cosine_schedule_with_warmup's lr_lambda (num_cycles = 0.5), written out, as a LambdaLR."""
    def hf(step):
        if step < warmup:
            return float(step) / float(max(1, warmup))
        progress = float(step - warmup) / float(max(1, total - warmup))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))
    optimizer = _optimizer(max_lr)
    lambda_lr = scheduler.LambdaLR(optimizer, hf)
    for step in range(total + 1):
        assert lr_schedule(step, max_lr, warmup, total) == pytest.approx(optimizer.param_groups[0]["lr"],
                                                                         rel=1e-12, abs=1e-15)
        optimizer.step()
        lambda_lr.step()
