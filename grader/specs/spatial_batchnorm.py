"""spatial_batchnorm: batch normalisation of (N, C, H, W) inputs, per channel over N, H and W."""
from grader.specs._batchnorm import batchnorm_kata

KATA = batchnorm_kata(
    "spatial_batchnorm", "spatial batch normalisation: per-channel statistics over N, H, W",
    x_shapes=((3, 4, 3, 2), (2, 3, 2, 4), (4, 2, 3, 3)), one_sample=(1, 3, 1, 1), speed_shape=(16, 32, 16, 16))
