"""scikit-learn's handwritten digits as a torch Dataset at GAN resolution."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits as _sklearn_digits
from sklearn.model_selection import train_test_split
from torch.utils.data import Dataset

SPLITS = ("train", "test", "all")
DIGITS_MAX = 16.0  # scikit-learn stores each 8×8 pixel as an integer count in 0..16


class DigitsDataset(Dataset):
    """Handwritten digits 0–9 as images (1, size, size) in [-1, 1] with integer labels.

    Attributes:
        images: float32 tensor (N, 1, size, size) in [-1, 1]; -1 is background, 1 is ink.
        labels: int64 tensor (N,) with values 0..9.
        classes: the class names "0".."9", indexed by label.
    """

    classes = tuple(str(digit) for digit in range(10))

    def __init__(self, images: torch.Tensor, labels: torch.Tensor):
        if images.ndim != 4 or images.shape[1] != 1:
            raise ValueError(f"images must have shape (N, 1, H, W); got {tuple(images.shape)}")
        if labels.shape != (images.shape[0],):
            raise ValueError(
                f"labels must have shape ({images.shape[0]},) to match images; got {tuple(labels.shape)}"
            )
        self.images = images
        self.labels = labels

    def __len__(self) -> int:
        return self.images.shape[0]

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        return self.images[index], int(self.labels[index])


def load_digits(
    split: str = "train", size: int = 32, test_fraction: float = 0.2, seed: int = 0
) -> DigitsDataset:
    """Load the 1,797 scikit-learn digits, resized to `size`×`size` and scaled to [-1, 1].

    Args:
        split: "train", "test" or "all". The split is stratified by digit and fixed by `seed`,
            so every student and every grading run sees the same test images.
        size: output height and width in pixels (8 keeps the original resolution).
        test_fraction: share of the images in the test split, in (0, 1).
        seed: seed of the train/test split.

    Returns:
        A `DigitsDataset`; with the defaults the train split has 1,437 images and the test
        split 360.

    Notes:
        Upsampling is bilinear, which turns the 17 grey levels of the original into smooth
        strokes; pixel values v in 0..16 map to 2·v/16 − 1.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}; got {split!r}")
    if not isinstance(size, int) or size < 8:
        raise ValueError(f"size must be an integer of at least 8 pixels; got {size!r}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1; got {test_fraction!r}")

    bunch = _sklearn_digits()
    pixels = torch.from_numpy(bunch.images.astype(np.float32)).unsqueeze(1)
    labels = torch.from_numpy(bunch.target.astype(np.int64))

    if split != "all":
        train_index, test_index = train_test_split(
            np.arange(len(labels)), test_size=test_fraction, random_state=seed, stratify=bunch.target
        )
        keep = torch.from_numpy(np.sort(train_index if split == "train" else test_index))
        pixels, labels = pixels[keep], labels[keep]

    if size != pixels.shape[-1]:
        pixels = F.interpolate(pixels, size=(size, size), mode="bilinear", align_corners=False)
    images = (pixels / DIGITS_MAX * 2 - 1).clamp(-1, 1)
    return DigitsDataset(images.contiguous(), labels)
