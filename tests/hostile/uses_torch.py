"""A correct conv2d that uses PyTorch: torch starts threads, which once hung a forked learner's process.
Confined (root), torch cannot be imported at all and the scorecard says why; unconfined, it must pass."""
import torch
import torch.nn.functional as F


def conv2d_forward(x, w, b, stride=1, pad=0):
    out = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride=stride, padding=pad)
    return out.numpy(), (x, w, b, stride, pad)


def conv2d_backward(dout, cache):
    x, w, b, stride, pad = cache
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    out = F.conv2d(xt, wt, bt, stride=stride, padding=pad)
    out.backward(torch.from_numpy(dout))
    return xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()
