"""Public cases of the GAN notebooks: 02 (DCGAN generator), 03 (PatchGAN), 04 (minimax training)."""

from __future__ import annotations

import math

import torch
from torch import nn

from coursekit.check import register
from coursekit.check.core import Case, Exercise
from coursekit.gan import arithmetic, losses
from coursekit.gan.dcgan import Discriminator, Generator, count_parameters
from coursekit.gan.patchgan import PatchDiscriminator
from coursekit.gan.trainer import gan_iteration

# ---------------------------------------------------------------- 02 DCGAN generator

register(
    Exercise(
        name="02.output_size",
        reference=arithmetic.conv_transpose_output_size,
        cases=[
            Case.call(4, 4, 2, 1),
            Case.call(1, 4, 1, 0),
            Case.call(16, 4, 2, 1),
            Case.call(5, 3, 2, 0),
            Case.call(10, 5, 3, 2),
        ],
        hint="a fractionally-strided convolution computes (size − 1)·stride − 2·padding + kernel",
    )
)


def generator64(nz: int, ngf: int, channels: int) -> nn.Module:
    """The reference 64×64 DCGAN generator with the constructor of the notebook's exercise."""
    return Generator(nz, ngf, channels, image_size=64)


def _describe_generator(cls, nz: int, ngf: int, channels: int) -> dict:
    generator = cls(nz, ngf, channels)
    images = generator(torch.randn(2, nz, 1, 1))
    return {
        "output shape": tuple(images.shape),
        "parameters": count_parameters(generator),
        "strides of the transposed convolutions": [
            module.stride[0] for module in generator.modules() if isinstance(module, nn.ConvTranspose2d)
        ],
        "output within [-1, 1]": bool(images.abs().max() <= 1),
    }


register(
    Exercise(
        name="02.generator",
        reference=generator64,
        cases=[
            Case(label="DCGAN64(nz=100, ngf=64, channels=3)", run=lambda cls: _describe_generator(cls, 100, 64, 3)),
            Case(label="DCGAN64(nz=16, ngf=8, channels=1)", run=lambda cls: _describe_generator(cls, 16, 8, 1)),
        ],
        seed=0,
        hint="project z to (8·ngf, 4, 4) with stride 1 and no padding, then four stride-2 layers "
        "(kernel 4, padding 1) to 4·ngf, 2·ngf, ngf and C channels; bias=False, BatchNorm and ReLU "
        "after all but the last, which ends in Tanh",
    )
)

# ---------------------------------------------------------------- 03 PatchGAN discriminator

register(
    Exercise(
        name="03.receptive_field",
        reference=arithmetic.receptive_field,
        cases=[
            Case.call([(3, 1)]),
            Case.call([(3, 1), (3, 1)]),
            Case.call([(4, 2), (4, 2)]),
            Case.call([(4, 2), (4, 2), (4, 2), (4, 1), (4, 1)]),
        ],
        hint="start at the output with rf = 1 and walk back: rf ← (rf − 1)·stride + kernel, last layer first",
    )
)


def _describe_patchgan(cls, in_channels: int, ndf: int, n_layers: int, size: int) -> dict:
    discriminator = cls(in_channels, ndf, n_layers)
    logits = discriminator(torch.randn(2, in_channels, size, size))
    return {"output shape": tuple(logits.shape), "parameters": count_parameters(discriminator)}


register(
    Exercise(
        name="03.patchgan",
        reference=PatchDiscriminator,
        cases=[
            Case(label="PatchGAN(3, 64, n_layers=3) on 256×256",
                 run=lambda cls: _describe_patchgan(cls, 3, 64, 3, 256)),
            Case(label="PatchGAN(1, 8, n_layers=2) on 64×64", run=lambda cls: _describe_patchgan(cls, 1, 8, 2, 64)),
        ],
        seed=0,
        hint="n_layers stride-2 convolutions in all (the first without BatchNorm), then one stride-1 "
        "convolution with BatchNorm and a stride-1 convolution to 1 channel; kernel 4 and padding 1 everywhere",
    )
)

# ---------------------------------------------------------------- 04 minimax training

LN3 = math.log(3)

register(
    Exercise(
        name="04.discriminator_loss",
        reference=losses.discriminator_loss,
        cases=[
            Case.call(torch.tensor([0.0]), torch.tensor([0.0])),
            Case.call(torch.tensor([0.0, LN3]), torch.tensor([0.0, -LN3])),
            Case.call(torch.tensor([60.0, -60.0]), torch.tensor([-60.0, 60.0])),
        ],
        hint="D(x) = sigmoid(logit); the loss is −mean[log D(x)] − mean[log(1 − D(G(z)))]; use "
        "F.logsigmoid or F.softplus so that logits of ±60 stay finite",
    )
)

register(
    Exercise(
        name="04.minimax_generator_loss",
        reference=losses.minimax_generator_loss,
        cases=[
            Case.call(torch.tensor([0.0])),
            Case.call(torch.tensor([0.0, -LN3])),
            Case.call(torch.tensor([-60.0, 60.0])),
        ],
        hint="mean of log(1 − D(G(z))) = −softplus(logit), which G_θ descends",
    )
)

register(
    Exercise(
        name="04.nonsaturating_generator_loss",
        reference=losses.nonsaturating_generator_loss,
        cases=[
            Case.call(torch.tensor([0.0])),
            Case.call(torch.tensor([0.0, -LN3])),
            Case.call(torch.tensor([-60.0, 60.0])),
        ],
        hint="−mean log D(G(z)) = mean softplus(−logit)",
    )
)


def _weight_sum(model: nn.Module) -> float:
    return sum(float(parameter.detach().double().abs().sum()) for parameter in model.parameters())


def _run_iteration(fn, k: int) -> dict:
    """Build tiny 8×8 models with seeded weights, run one iteration with k real minibatches."""
    generator = Generator(nz=8, ngf=4, channels=1, image_size=8)
    discriminator = Discriminator(ndf=4, channels=1, image_size=8)
    # plain SGD with a large step, so that the weights after the step show every gradient
    optimizer_G = torch.optim.SGD(generator.parameters(), lr=0.5)
    optimizer_D = torch.optim.SGD(discriminator.parameters(), lr=0.5)
    real_batches = [torch.rand(6, 1, 8, 8) * 2 - 1 for _ in range(k)]
    d_losses, g_loss = fn(generator, discriminator, optimizer_G, optimizer_D, real_batches, 8)
    return {
        "D losses": [float(value) for value in d_losses],
        "G loss": float(g_loss),
        "sum of the generator weights after the step": _weight_sum(generator),
        "sum of the discriminator weights after the step": _weight_sum(discriminator),
    }


register(
    Exercise(
        name="04.gan_iteration",
        reference=gan_iteration,
        cases=[
            Case(label="k = 1", run=lambda fn: _run_iteration(fn, 1)),
            Case(label="k = 3", run=lambda fn: _run_iteration(fn, 3)),
        ],
        seed=0,
        rtol=1e-4,
        atol=1e-6,
        hint="per real minibatch: z = torch.randn(m, nz), fake = G(z) without gradients, one D step; then a "
        "fresh z and one G step with the non-saturating loss; draw noise in exactly this order",
    )
)
