"""The references against PyTorch's CPU implementation, in one process. Prints ratios; asserts nothing.

    python benchmarks/reference_speed.py [--runs 5]

Forward + backward at realistic sizes (issue 7): conv2d with N=32, C=64,
32x32, 64 filters of 3x3, pad 1; 2x2 max pooling and spatial batchnorm on
the same activations; float64 (the target: at most 1.5x PyTorch) and float32.
Needs torch (pip install torch==2.13.0).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from solutions.conv2d import conv2d_backward, conv2d_forward  # noqa: E402
from solutions.maxpool import maxpool_backward, maxpool_forward  # noqa: E402
from solutions.spatial_batchnorm import spatial_batchnorm_backward, spatial_batchnorm_forward  # noqa: E402


def median_seconds(run, runs: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def workloads(torch, dtype):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 64, 32, 32)).astype(dtype)
    w = (rng.standard_normal((64, 64, 3, 3)) * 0.1).astype(dtype)
    b = rng.standard_normal(64).astype(dtype)
    gamma, beta = rng.standard_normal(64).astype(dtype), rng.standard_normal(64).astype(dtype)
    dout = rng.standard_normal((32, 64, 32, 32)).astype(dtype)
    dpool = rng.standard_normal((32, 64, 16, 16)).astype(dtype)
    F = torch.nn.functional

    def ours_conv():
        _, cache = conv2d_forward(x, w, b, stride=1, pad=1)
        conv2d_backward(dout, cache)

    def theirs_conv():
        tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
        F.conv2d(tx, tw, tb, padding=1).backward(torch.from_numpy(dout))

    def ours_pool():
        _, cache = maxpool_forward(x, 2, 2, 2)
        maxpool_backward(dpool, cache)

    def theirs_pool():
        tx = torch.tensor(x, requires_grad=True)
        F.max_pool2d(tx, 2, 2).backward(torch.from_numpy(dpool))

    def ours_bn():
        _, cache = spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})
        spatial_batchnorm_backward(dout, cache)

    def theirs_bn():
        tx, tg, tb = (torch.tensor(a, requires_grad=True) for a in (x, gamma, beta))
        F.batch_norm(tx, None, None, tg, tb, training=True).backward(torch.from_numpy(dout))

    return [("conv2d 3x3 pad 1", ours_conv, theirs_conv), ("maxpool 2x2 stride 2", ours_pool, theirs_pool),
            ("spatial batchnorm", ours_bn, theirs_bn)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    try:
        import torch
    except ImportError:
        sys.exit("needs torch: pip install torch==2.13.0")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; x (32, 64, 32, 32); median of {runs}")
    for dtype in (np.float64, np.float32):
        for label, ours, theirs in workloads(torch, dtype):
            a, b = median_seconds(ours, runs), median_seconds(theirs, runs)
            verdict = "" if dtype is np.float32 else ("  meets <= 1.5x" if a / b <= 1.5 else "  MISSES 1.5x")
            print(f"{np.dtype(dtype).name:8s} {label:22s} ours {a * 1e3:7.1f} ms  torch {b * 1e3:7.1f} ms  "
                  f"ratio {a / b:4.2f}{verdict}")


if __name__ == "__main__":
    main()
