"""Image generation measures: PSNR for super-resolution and the Gram matrix of style transfer."""

from __future__ import annotations

import math

import torch


def psnr(image: torch.Tensor, reference: torch.Tensor, data_range: float = 2.0) -> float:
    """Return the peak signal-to-noise ratio of `image` against `reference`, in decibels.

    Args:
        image: float tensor of any shape, for example (C, H, W).
        reference: float tensor of the same shape.
        data_range: max − min of the pixel scale: 2.0 for the course's [-1, 1] images, 1.0 for
            [0, 1], 255 for 8-bit.

    Returns:
        10 · log10(data_range² / MSE); math.inf for identical images (MSE = 0). Higher is better.
    """
    if not isinstance(image, torch.Tensor) or not isinstance(reference, torch.Tensor):
        raise TypeError("image and reference must be torch tensors")
    if image.shape != reference.shape:
        raise ValueError(
            f"image has shape {tuple(image.shape)} but reference has {tuple(reference.shape)}; "
            "resize one so that they match"
        )
    if data_range <= 0:
        raise ValueError(f"data_range must be positive; got {data_range!r}")
    if image.numel() == 0:
        raise ValueError("the images are empty; PSNR needs at least one pixel")

    mse = float(((image.to(torch.float64) - reference.to(torch.float64)) ** 2).mean())
    if mse == 0:
        return math.inf
    return 10 * math.log10(data_range**2 / mse)


def gram_matrix(features: torch.Tensor) -> torch.Tensor:
    """Return the Gram matrix of feature maps, the style representation of Gatys et al. (2016).

    Args:
        features: (C, H, W) or (N, C, H, W), C feature channels over H × W positions.

    Returns:
        (C, C) or (N, C, C): G_ij = (1 / (H·W)) Σ_positions F_i · F_j, the average product of
        channels i and j. The 1/(H·W) makes images of different sizes comparable; Gatys et al.
        put their normalisation into the style loss instead.

    Notes:
        G records which features occur together but not where they occur, which is why it
        describes style (texture, brush strokes) and not content.
    """
    if not isinstance(features, torch.Tensor) or features.ndim not in (3, 4):
        shape = tuple(getattr(features, "shape", ()))
        raise ValueError(f"features must have shape (C, H, W) or (N, C, H, W); got {shape}")
    if features.shape[-1] * features.shape[-2] == 0:
        raise ValueError(f"features have no positions (H·W = 0); got shape {tuple(features.shape)}")
    flat = features.flatten(-2)
    return flat @ flat.transpose(-1, -2) / flat.shape[-1]
