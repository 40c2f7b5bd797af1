"""The DCGAN generator G_θ and discriminator D_φ.

Reference: A. Radford, L. Metz and S. Chintala, "Unsupervised Representation Learning with Deep
Convolutional Generative Adversarial Networks", ICLR 2016 (arXiv:1511.06434), section 3 (the
architecture guidelines) and section 4 (initialisation N(0, 0.02)).
"""

from __future__ import annotations

import math

import torch
from torch import nn

INIT_STD = 0.02  # standard deviation of every initial weight (DCGAN, section 4)


def count_parameters(module: nn.Module) -> int:
    """Return the number of trainable parameters (weights, biases, BatchNorm γ and β) of `module`."""
    return sum(parameter.numel() for parameter in module.parameters() if parameter.requires_grad)


def init_dcgan_weights(module: nn.Module) -> None:
    """Initialise a layer as DCGAN does: convolution weights N(0, 0.02), BatchNorm γ N(1, 0.02), β 0.

    Use it as `model.apply(init_dcgan_weights)`; it draws from torch's global random generator.
    """
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(module.weight, 0.0, INIT_STD)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, INIT_STD)
        nn.init.zeros_(module.bias)


def num_resolution_steps(image_size: int) -> int:
    """Return how many stride-2 layers grow a 4×4 map to `image_size` (3 for 32, 4 for 64).

    Raises:
        ValueError: `image_size` is not a power of two of at least 8.
    """
    is_integer = isinstance(image_size, int) and not isinstance(image_size, bool)
    if not is_integer or image_size < 8 or image_size & (image_size - 1):
        raise ValueError(
            f"image_size must be a power of two of at least 8 (8, 16, 32, 64, ...); got {image_size!r}. "
            "Resize the images to the nearest power of two"
        )
    return int(math.log2(image_size)) - 2


def _check_positive(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")


class Generator(nn.Module):
    """DCGAN generator G_θ: noise z (N, nz) or (N, nz, 1, 1) → images (N, C, H, W) in [-1, 1].

    A fractionally-strided convolution projects z to a 4×4 map of ngf·2^(L−1) channels. Then L
    fractionally-strided convolutions (kernel 4, stride 2, padding 1) each double the height and
    width and halve the channels. All but the last are followed by BatchNorm and ReLU, and the last
    outputs C channels through Tanh. L = log2(image_size) − 2: four at 64×64 as in the DCGAN
    paper, three at 32×32.

    Args:
        nz: length of the noise vector z.
        ngf: channels of the last hidden map; the earlier maps have 2, 4, 8, ... times as many.
        channels: image channels C: 3 for RGB, 1 for grayscale.
        image_size: height and width H = W in pixels, a power of two of at least 8.

    Notes:
        With nz = 100, ngf = 64, C = 3 and image_size = 64 the generator has 3,576,704
        parameters, as in the DCGAN example of pytorch/examples (`dcgan/main.py`). The paper's
        figure 1 draws a wider first map (1,024 channels instead of 512).
    """

    def __init__(self, nz: int = 100, ngf: int = 64, channels: int = 3, image_size: int = 64):
        super().__init__()
        _check_positive("nz", nz)
        _check_positive("ngf", ngf)
        _check_positive("channels", channels)
        steps = num_resolution_steps(image_size)
        self.nz, self.ngf, self.channels, self.image_size = nz, ngf, channels, image_size

        width = ngf * 2 ** (steps - 1)
        layers: list[nn.Module] = [
            # project and reshape: (nz, 1, 1) → (width, 4, 4)
            nn.ConvTranspose2d(nz, width, kernel_size=4, stride=1, padding=0, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True),
        ]
        for _ in range(steps - 1):
            # (width, s, s) → (width / 2, 2s, 2s)
            layers += [
                nn.ConvTranspose2d(width, width // 2, kernel_size=4, stride=2, padding=1, bias=False),
                nn.BatchNorm2d(width // 2),
                nn.ReLU(inplace=True),
            ]
            width //= 2
        # (ngf, H/2, W/2) → (C, H, W), no BatchNorm on the output layer (DCGAN, section 3)
        layers += [nn.ConvTranspose2d(width, channels, kernel_size=4, stride=2, padding=1, bias=False), nn.Tanh()]
        self.main = nn.Sequential(*layers)
        self.apply(init_dcgan_weights)

    @property
    def config(self) -> dict:
        """The constructor arguments, stored in checkpoints to recognise the architecture."""
        return {"nz": self.nz, "ngf": self.ngf, "channels": self.channels, "image_size": self.image_size}

    def check_noise(self, z: torch.Tensor, nz: int | None = None) -> torch.Tensor:
        """Return z as (N, nz, 1, 1), or raise ValueError naming the expected and the given shape."""
        nz = self.nz if nz is None else nz
        good = (z.ndim == 2 and z.shape[1] == nz) or (z.ndim == 4 and tuple(z.shape[1:]) == (nz, 1, 1))
        if not good:
            raise ValueError(f"z must have shape (N, {nz}) or (N, {nz}, 1, 1); got {tuple(z.shape)}")
        return z.reshape(z.shape[0], nz, 1, 1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Map noise z (N, nz) or (N, nz, 1, 1) to images (N, C, H, W) in [-1, 1]."""
        return self.main(self.check_noise(z))


class Discriminator(nn.Module):
    """DCGAN discriminator D_φ: images (N, C, H, W) → logits (N,); D_φ(x) = sigmoid(logit).

    The mirror of `Generator`: L strided convolutions (kernel 4, stride 2, padding 1) each halve
    the height and width and double the channels, starting at ndf. Each is followed by
    LeakyReLU(0.2), and all but the first also by BatchNorm. A last 4×4 convolution without
    padding maps the 4×4 map to one logit per image. It returns logits, not probabilities, so
    that the losses can use the numerically stable log-sigmoid.

    Args:
        ndf: channels of the first hidden map.
        channels: image channels C.
        image_size: height and width in pixels, a power of two of at least 8.

    Notes:
        With ndf = 64, C = 3 and image_size = 64 the discriminator has 2,765,568 parameters,
        as in the DCGAN example of pytorch/examples.
    """

    def __init__(self, ndf: int = 64, channels: int = 3, image_size: int = 64):
        super().__init__()
        _check_positive("ndf", ndf)
        _check_positive("channels", channels)
        steps = num_resolution_steps(image_size)
        self.ndf, self.channels, self.image_size = ndf, channels, image_size

        layers: list[nn.Module] = [
            # (C, H, W) → (ndf, H/2, W/2), no BatchNorm on the input layer (DCGAN, section 3)
            nn.Conv2d(channels, ndf, kernel_size=4, stride=2, padding=1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
        ]
        width = ndf
        for _ in range(steps - 1):
            # (width, s, s) → (2·width, s/2, s/2)
            layers += [
                nn.Conv2d(width, width * 2, kernel_size=4, stride=2, padding=1, bias=False),
                nn.BatchNorm2d(width * 2),
                nn.LeakyReLU(0.2, inplace=True),
            ]
            width *= 2
        # (width, 4, 4) → (1, 1, 1): one logit per image
        layers.append(nn.Conv2d(width, 1, kernel_size=4, stride=1, padding=0, bias=False))
        self.main = nn.Sequential(*layers)
        self.apply(init_dcgan_weights)

    @property
    def config(self) -> dict:
        """The constructor arguments, stored in checkpoints to recognise the architecture."""
        return {"ndf": self.ndf, "channels": self.channels, "image_size": self.image_size}

    def check_images(self, x: torch.Tensor, channels: int | None = None) -> None:
        """Raise ValueError unless x has shape (N, C, image_size, image_size)."""
        channels = self.channels if channels is None else channels
        expected = (channels, self.image_size, self.image_size)
        if x.ndim != 4 or tuple(x.shape[1:]) != expected:
            raise ValueError(
                f"x must have shape (N, {channels}, {self.image_size}, {self.image_size}); got {tuple(x.shape)}"
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map images x (N, C, H, W) to logits (N,)."""
        self.check_images(x)
        return self.main(x).flatten()
