"""Reference GANs of the course: the DCGAN generator G_θ, the DCGAN and PatchGAN discriminators D_φ,
the minimax losses, the alternating trainer of Goodfellow et al. (2014, Algorithm 1) and the
classifier-based evaluation of samples.

Modules, one per concept: `arithmetic` (output sizes and receptive fields), `dcgan`, `patchgan`,
`conditional`, `losses`, `trainer`, `evaluation` and `cli` (the `coursekit train-gan` command).
"""

from coursekit.gan.arithmetic import conv_output_size, conv_transpose_output_size, receptive_field
from coursekit.gan.conditional import ConditionalDiscriminator, ConditionalGenerator
from coursekit.gan.dcgan import Discriminator, Generator, count_parameters, init_dcgan_weights
from coursekit.gan.losses import (
    discriminator_loss,
    generator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
)
from coursekit.gan.patchgan import PatchDiscriminator, patchgan_receptive_field
from coursekit.gan.trainer import GANTrainer, build_gan

__all__ = [
    "ConditionalDiscriminator",
    "ConditionalGenerator",
    "Discriminator",
    "GANTrainer",
    "Generator",
    "PatchDiscriminator",
    "build_gan",
    "conv_output_size",
    "conv_transpose_output_size",
    "count_parameters",
    "discriminator_loss",
    "generator_loss",
    "init_dcgan_weights",
    "minimax_generator_loss",
    "nonsaturating_generator_loss",
    "patchgan_receptive_field",
    "receptive_field",
]
