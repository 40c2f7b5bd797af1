"""The sample photos that ship inside scikit-image, as tensors in [-1, 1]."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

# Photos stored inside the scikit-image wheel itself, so loading them needs no network.
PHOTO_NAMES = ("astronaut", "camera", "chelsea", "coffee", "coins")


def load_photo(name: str, size: int | None = None, channels: int | None = None) -> torch.Tensor:
    """Load a scikit-image sample photo as a float32 tensor (C, H, W) in [-1, 1].

    Args:
        name: one of PHOTO_NAMES. "camera" and "coins" are greyscale (C = 1); the others are RGB.
        size: when given, resize (with antialiasing) so that the shorter side has `size` pixels.
        channels: 1 or 3 to convert to greyscale or RGB; None keeps the photo's own channels.
    """
    if name not in PHOTO_NAMES:
        raise ValueError(f"unknown photo {name!r}; choose one of {', '.join(PHOTO_NAMES)}")
    if channels not in (None, 1, 3):
        raise ValueError(f"channels must be 1, 3 or None; got {channels!r}")
    if size is not None and (not isinstance(size, int) or size < 1):
        raise ValueError(f"size must be a positive integer; got {size!r}")

    from skimage import data as skdata  # imported here: scikit-image takes a second to load

    pixels = np.asarray(getattr(skdata, name)(), dtype=np.float32) / 255.0
    image = torch.from_numpy(pixels)
    image = image.unsqueeze(0) if image.ndim == 2 else image.permute(2, 0, 1)

    if channels == 1 and image.shape[0] == 3:
        # ITU-R BT.601 luma weights, as in most image libraries' RGB-to-grey conversion
        weights = torch.tensor([0.299, 0.587, 0.114]).view(3, 1, 1)
        image = (image * weights).sum(0, keepdim=True)
    elif channels == 3 and image.shape[0] == 1:
        image = image.expand(3, -1, -1)

    if size is not None:
        height, width = image.shape[1:]
        scale = size / min(height, width)
        new_size = (max(1, round(height * scale)), max(1, round(width * scale)))
        image = F.interpolate(image[None], size=new_size, mode="bilinear", antialias=True, align_corners=False)[0]

    return (image * 2 - 1).clamp(-1, 1).contiguous()
