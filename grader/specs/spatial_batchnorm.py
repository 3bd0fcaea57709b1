"""spatial_batchnorm: batch normalisation of (N, C, H, W) inputs, per channel over N, H and W."""
from grader.authoring.layer import layer_mistake
from grader.specs._batchnorm import backward_ignoring_statistics, batchnorm_kata, buggy_train, train_forward


def _reshaped_without_transpose(reference, x, gamma, beta, bn_param):
    """The (N, D) batchnorm on x.reshape(-1, C): each 'channel' column mixes channels."""
    return train_forward(x.reshape(-1, x.shape[1]), gamma, beta, bn_param).reshape(x.shape)


def _reshaped_back_without_transpose(reference, x, gamma, beta, bn_param):
    """The (N, D) batchnorm on x moved to (N*H*W, C) rightly, its output reshaped straight to (N, C, H, W)."""
    N, C, H, W = x.shape
    return train_forward(x.transpose(0, 2, 3, 1).reshape(-1, C), gamma, beta, bn_param).reshape(N, C, H, W)


def _backward_over_n(reference, right, dout, x, gamma, beta, bn_param):
    """dx with the mean's and the variance's terms divided by N, the batch size, instead of N*H*W, the
    number of values each statistic runs over: H*W times the right terms, dout*gamma/std - dx."""
    constant = backward_ignoring_statistics(reference, right, dout, x, gamma, beta, bn_param)[0]
    return constant - x[0, 0].size * (constant - right[0]), *right[1:]


def _mistakes(layer):
    """spatial batch norm's own known mistakes, after those it shares with batchnorm's."""
    return (
        layer_mistake(layer, "statistics per image",
                      "Your output normalises each image's channel over H and W alone, as instance norm does: take "
                      "each channel's statistics over N, H and W together, axis=(0, 2, 3).",
                      forward=buggy_train(axes=(2, 3))),
        layer_mistake(layer, "statistics over the whole array",
                      "Your output uses one mean and variance for the whole array: take one per channel, over "
                      "axis=(0, 2, 3).",
                      forward=buggy_train(axes=(0, 1, 2, 3))),
        layer_mistake(layer, "reshaped to (N*H*W, C) without moving C last",
                      "Your output matches x.reshape(-1, C) fed to batchnorm, whose columns mix channels: move C "
                      "last first, x.transpose(0, 2, 3, 1).reshape(-1, C), and transpose back after.",
                      forward=_reshaped_without_transpose),
        layer_mistake(layer, "reshaped from (N*H*W, C) straight back to (N, C, H, W)",
                      "Your output matches the right (N*H*W, C) batchnorm reshaped straight to (N, C, H, W), which "
                      "scrambles its elements: reshape it to (N, H, W, C) first, then .transpose(0, 3, 1, 2).",
                      forward=_reshaped_back_without_transpose),
        layer_mistake(layer, "statistics per pixel",
                      "Your output normalises each (channel, row, column) over the batch alone, with a mean and "
                      "variance per pixel: take one per channel, over N, H and W together, axis=(0, 2, 3).",
                      forward=buggy_train(axes=(0,))),
        layer_mistake(layer, "backward divides by N, not by N*H*W",
                      "Your dx divides the mean's and the variance's terms by N: each channel's statistics "
                      "run over N*H*W values, so divide by N*H*W.", gradients=_backward_over_n),
    )


KATA = batchnorm_kata(
    "spatial_batchnorm", "spatial batch normalisation: per-channel statistics over N, H, W",
    x_shapes=((3, 4, 3, 2), (2, 3, 2, 4), (4, 2, 3, 3)), one_sample=(1, 3, 1, 1), speed_shape=(8, 16, 16, 16),
    dims="N C H W", own_mistakes=_mistakes,
    hints=(
        "It is batchnorm with one mean and one variance per channel: over which axes of (N, C, H, W) "
        "does each channel's statistic run?",
        "Take the mean and biased variance over axes (0, 2, 3) with keepdims=True and normalise, scale "
        "and shift per channel; or move C last, reshape to (N*H*W, C) and reuse your batchnorm, then "
        "move it back. dgamma and dbeta sum over N, H and W.",
        "dx = (1/M) * gamma * inv_std * (M*dout - sum(dout) - xhat*sum(dout*xhat)), with M = N*H*W and "
        "each channel's sums over axes (0, 2, 3).",
    ),
)
