"""Class-conditional DCGAN: the label y is an input to both G_θ(z, y) and D_φ(x, y).

Reference: M. Mirza and S. Osindero, "Conditional Generative Adversarial Nets", arXiv:1411.1784
(2014), section 3.2: feed y to both networks as an additional input layer.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from coursekit.gan.dcgan import Discriminator, Generator, _check_positive


def check_labels(y: torch.Tensor, batch_size: int, num_classes: int) -> None:
    """Raise ValueError unless y is an integer tensor (N,) with values in 0..num_classes − 1."""
    if y.ndim != 1 or y.shape[0] != batch_size:
        raise ValueError(f"y must have shape ({batch_size},), one label per image; got {tuple(y.shape)}")
    if y.dtype.is_floating_point or y.dtype == torch.bool:
        raise ValueError(f"y must hold integer class labels (torch.long); got dtype {y.dtype}")
    if y.numel() and (int(y.min()) < 0 or int(y.max()) >= num_classes):
        raise ValueError(
            f"y must hold labels in 0..{num_classes - 1}; got values from {int(y.min())} to {int(y.max())}"
        )


class ConditionalGenerator(nn.Module):
    """G_θ(z, y): noise z (N, nz) or (N, nz, 1, 1) and labels y (N,) → images (N, C, H, W) in [-1, 1].

    The one-hot label (N, num_classes) is appended to z, so the inner DCGAN `Generator` receives a
    noise vector of length nz + num_classes. Every other setting is as in `Generator`.
    """

    def __init__(self, num_classes: int = 10, nz: int = 100, ngf: int = 64, channels: int = 3, image_size: int = 64):
        super().__init__()
        _check_positive("num_classes", num_classes)
        _check_positive("nz", nz)
        self.num_classes, self.nz = num_classes, nz
        self.net = Generator(nz + num_classes, ngf, channels, image_size)
        self.channels, self.image_size = channels, image_size

    @property
    def config(self) -> dict:
        """The constructor arguments, stored in checkpoints to recognise the architecture."""
        return {"num_classes": self.num_classes, "nz": self.nz, "ngf": self.net.ngf, "channels": self.channels,
                "image_size": self.image_size}

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Map noise z (N, nz) or (N, nz, 1, 1) and labels y (N,) to images (N, C, H, W)."""
        z = self.net.check_noise(z, self.nz).flatten(1)
        check_labels(y, z.shape[0], self.num_classes)
        one_hot = F.one_hot(y, self.num_classes).to(z.dtype)
        return self.net(torch.cat([z, one_hot], dim=1))


class ConditionalDiscriminator(nn.Module):
    """D_φ(x, y): images x (N, C, H, W) and labels y (N,) → logits (N,).

    The one-hot label is broadcast to num_classes constant maps of size H×W and appended to the
    image channels, so the inner DCGAN `Discriminator` receives C + num_classes input channels.
    """

    def __init__(self, num_classes: int = 10, ndf: int = 64, channels: int = 3, image_size: int = 64):
        super().__init__()
        _check_positive("num_classes", num_classes)
        self.num_classes, self.channels, self.image_size = num_classes, channels, image_size
        self.net = Discriminator(ndf, channels + num_classes, image_size)

    @property
    def config(self) -> dict:
        """The constructor arguments, stored in checkpoints to recognise the architecture."""
        return {"num_classes": self.num_classes, "ndf": self.net.ndf, "channels": self.channels,
                "image_size": self.image_size}

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Map images x (N, C, H, W) and labels y (N,) to logits (N,)."""
        self.net.check_images(x, self.channels)
        check_labels(y, x.shape[0], self.num_classes)
        maps = F.one_hot(y, self.num_classes).to(x.dtype)[:, :, None, None].expand(-1, -1, *x.shape[2:])
        return self.net(torch.cat([x, maps], dim=1))
