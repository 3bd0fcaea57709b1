"""spatial_batchnorm: batch normalisation of (N, C, H, W) inputs, per channel over N, H and W."""
from grader.specs._batchnorm import batchnorm_kata, train_forward


def _reshaped_without_transpose(x, gamma, beta, bn_param):
    """The (N, D) batchnorm on x.reshape(-1, C): each 'channel' column mixes channels."""
    return train_forward(x.reshape(-1, x.shape[1]), gamma, beta, bn_param).reshape(x.shape)


def _reshaped_back_without_transpose(x, gamma, beta, bn_param):
    """The (N, D) batchnorm on x moved to (N*H*W, C) rightly, its output reshaped straight to (N, C, H, W)."""
    N, C, H, W = x.shape
    return train_forward(x.transpose(0, 2, 3, 1).reshape(-1, C), gamma, beta, bn_param).reshape(N, C, H, W)


KATA = batchnorm_kata(
    "spatial_batchnorm", "spatial batch normalisation: per-channel statistics over N, H, W",
    x_shapes=((3, 4, 3, 2), (2, 3, 2, 4), (4, 2, 3, 3)), one_sample=(1, 3, 1, 1), speed_shape=(8, 16, 16, 16),
    dims="N C H W",
    hints=(
        "It is batchnorm with one mean and one variance per channel: over which axes of (N, C, H, W) "
        "does each channel's statistic run?",
        "Take the mean and biased variance over axes (0, 2, 3) with keepdims=True and normalise, scale "
        "and shift per channel; or move C last, reshape to (N*H*W, C) and reuse your batchnorm, then "
        "move it back. dgamma and dbeta sum over N, H and W.",
        "dx = (1/M) * gamma * inv_std * (M*dout - sum(dout) - xhat*sum(dout*xhat)), with M = N*H*W and "
        "each channel's sums over axes (0, 2, 3).",
    ),
    forward_mistakes=(
        ("statistics per image",
         "Your output normalises each image's channel over H and W alone, as instance norm does: take "
         "each channel's statistics over N, H and W together, axis=(0, 2, 3).",
         lambda x, gamma, beta, bn_param: train_forward(x, gamma, beta, bn_param, axes=(2, 3))),
        ("statistics over the whole array",
         "Your output uses one mean and variance for the whole array: take one per channel, over "
         "axis=(0, 2, 3).",
         lambda x, gamma, beta, bn_param: train_forward(x, gamma, beta, bn_param, axes=(0, 1, 2, 3))),
        ("reshaped to (N*H*W, C) without moving C last",
         "Your output matches x.reshape(-1, C) fed to batchnorm, whose columns mix channels: move C last "
         "first, x.transpose(0, 2, 3, 1).reshape(-1, C), and transpose back after.",
         _reshaped_without_transpose),
        ("reshaped from (N*H*W, C) straight back to (N, C, H, W)",
         "Your output matches the right (N*H*W, C) batchnorm reshaped straight to (N, C, H, W), which "
         "scrambles its elements: reshape it to (N, H, W, C) first, then .transpose(0, 3, 1, 2).",
         _reshaped_back_without_transpose),
        ("statistics per pixel",
         "Your output normalises each (channel, row, column) over the batch alone, with a mean and variance "
         "per pixel: take one per channel, over N, H and W together, axis=(0, 2, 3).",
         lambda x, gamma, beta, bn_param: train_forward(x, gamma, beta, bn_param, axes=(0,))),
    ),
)
