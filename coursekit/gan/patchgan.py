"""The PatchGAN discriminator of pix2pix: one real/fake logit per overlapping image patch.

Reference: P. Isola, J.-Y. Zhu, T. Zhou and A. A. Efros, "Image-to-Image Translation with
Conditional Adversarial Networks", CVPR 2017 (arXiv:1611.07004), section 3.2.2 (the Markovian
discriminator) and appendix 6.1.2 (the 70×70 architecture C64-C128-C256-C512).
"""

from __future__ import annotations

import torch
from torch import nn

from coursekit.gan.arithmetic import receptive_field
from coursekit.gan.dcgan import _check_positive, init_dcgan_weights

KERNEL = 4
MAX_WIDTH_FACTOR = 8  # channels stop doubling at 8·ndf, as in pix2pix


def patchgan_layers(n_layers: int) -> list[tuple[int, int]]:
    """Return (kernel, stride) of each convolution of a PatchGAN with `n_layers` stride-2 layers."""
    _check_positive("n_layers", n_layers)
    return [(KERNEL, 2)] * n_layers + [(KERNEL, 1), (KERNEL, 1)]


def patchgan_receptive_field(n_layers: int) -> int:
    """Return the patch size in pixels that one output logit sees: 16, 34, 70, 142, 286 for n_layers 1..5.

    Notes:
        rf ← (rf − 1)·stride + kernel over the convolutions from output to input
        (see `coursekit.gan.arithmetic.receptive_field`).
    """
    return receptive_field(patchgan_layers(n_layers))


class PatchDiscriminator(nn.Module):
    """PatchGAN D_φ: images (N, C, H, W) → a map of per-patch logits (N, 1, H', W').

    `n_layers` convolutions of stride 2 (kernel 4, padding 1) halve the size while the channels
    double from ndf up to 8·ndf. A stride-1 convolution and a last stride-1 convolution to one
    channel follow. Every layer but the first and the last has BatchNorm, and every layer but
    the last LeakyReLU(0.2). For a 256×256 input and n_layers = 3 the map is 30×30 and each logit sees a
    70×70 patch.

    Args:
        in_channels: channels C of the judged image.
        ndf: channels of the first hidden map.
        n_layers: number of stride-2 convolutions (1..5 give patches of 16, 34, 70, 142, 286).
        condition_channels: when positive, the image-conditional mode of pix2pix: forward takes
            the input image as `condition` (N, condition_channels, H, W) and judges the pair by
            concatenating it with the image along the channels.

    Notes:
        Each logit classifies one patch; the loss averages over patches, which penalises
        structure only at the scale of the patches (Isola et al. 2017, section 3.2.2).
    """

    def __init__(self, in_channels: int = 3, ndf: int = 64, n_layers: int = 3, condition_channels: int = 0):
        super().__init__()
        _check_positive("in_channels", in_channels)
        _check_positive("ndf", ndf)
        _check_positive("n_layers", n_layers)
        if isinstance(condition_channels, bool) or not isinstance(condition_channels, int) or condition_channels < 0:
            raise ValueError(f"condition_channels must be a non-negative integer; got {condition_channels!r}")
        self.in_channels, self.ndf, self.n_layers = in_channels, ndf, n_layers
        self.condition_channels = condition_channels

        layers: list[nn.Module] = [
            nn.Conv2d(in_channels + condition_channels, ndf, KERNEL, stride=2, padding=1),
            nn.LeakyReLU(0.2, inplace=True),
        ]
        width = ndf
        for n in range(1, n_layers + 1):
            # stride 2 for the first n_layers − 1 of these, stride 1 for the last (H' → H' − 1)
            stride = 2 if n < n_layers else 1
            next_width = ndf * min(2**n, MAX_WIDTH_FACTOR)
            layers += [
                nn.Conv2d(width, next_width, KERNEL, stride=stride, padding=1, bias=False),
                nn.BatchNorm2d(next_width),
                nn.LeakyReLU(0.2, inplace=True),
            ]
            width = next_width
        # one logit per patch (H' → H' − 1)
        layers.append(nn.Conv2d(width, 1, KERNEL, stride=1, padding=1))
        self.main = nn.Sequential(*layers)
        self.apply(init_dcgan_weights)

    @property
    def config(self) -> dict:
        """The constructor arguments, stored in checkpoints to recognise the architecture."""
        return {"in_channels": self.in_channels, "ndf": self.ndf, "n_layers": self.n_layers,
                "condition_channels": self.condition_channels}

    @property
    def receptive_field(self) -> int:
        """Height and width in pixels of the patch one output logit sees."""
        return patchgan_receptive_field(self.n_layers)

    def forward(self, x: torch.Tensor, condition: torch.Tensor | None = None) -> torch.Tensor:
        """Map images x (N, C, H, W), and in the conditional mode the input images, to logits (N, 1, H', W')."""
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f"x must have shape (N, {self.in_channels}, H, W); got {tuple(x.shape)}")
        if self.condition_channels:
            if condition is None:
                raise ValueError(
                    f"this PatchDiscriminator is image-conditional: pass condition of shape "
                    f"(N, {self.condition_channels}, H, W), the input image the output x belongs to"
                )
            expected = (x.shape[0], self.condition_channels, *x.shape[2:])
            if tuple(condition.shape) != expected:
                raise ValueError(f"condition must have shape {expected}; got {tuple(condition.shape)}")
            x = torch.cat([condition, x], dim=1)
        elif condition is not None:
            raise ValueError("condition was given, but this PatchDiscriminator was built with condition_channels=0")
        return self.main(x)
