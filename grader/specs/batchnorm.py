"""batchnorm: batch normalisation of (N, D) inputs, forward and backward, as the contract states."""
from grader.specs._batchnorm import batchnorm_kata

KATA = batchnorm_kata(
    "batchnorm", "batch normalisation forward and backward, with running statistics",
    x_shapes=((8, 5), (5, 3), (16, 4)), one_sample=(1, 4), speed_shape=(256, 512))
