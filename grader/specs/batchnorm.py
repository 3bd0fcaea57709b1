"""batchnorm: batch normalisation of (N, D) inputs, forward and backward, as the contract states."""
from grader.specs._batchnorm import batchnorm_kata

KATA = batchnorm_kata(
    "batchnorm", "batch normalisation forward and backward, with running statistics",
    x_shapes=((8, 5), (5, 3), (16, 4)), one_sample=(1, 4), speed_shape=(128, 256), dims="N D",
    hints=(
        "Train and test mode differ only in which mean and variance you normalise with. In backward, "
        "remember that the batch mean and variance are computed from x too.",
        "Forward: mean and biased variance over axis 0 (shape (D,)), xhat = (x - mean)/sqrt(var + eps), "
        "out = gamma*xhat + beta, then update the running statistics in bn_param; cache xhat, gamma and "
        "1/sqrt(var + eps). Backward: dbeta and dgamma sum dout and dout*xhat over the batch, and dx "
        "collects the paths through xhat, the mean and the variance.",
        "dx = (1/N) * gamma * inv_std * (N*dout - sum(dout) - xhat*sum(dout*xhat)), with the sums over "
        "the batch axis.",
    ),
)
