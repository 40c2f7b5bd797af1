"""Canvases of real handwritten digits at known positions: the course's detection and localization data.

Each canvas is a blank square onto which whole scikit-learn digits are pasted at random, without
overlap. The box of a digit is the square it was pasted into, so every annotation is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from coursekit.data import load_digits


@dataclass
class Canvases:
    """Digit canvases with their annotations.

    Attributes:
        images: float32 tensor (N, 1, S, S) in [-1, 1]; -1 is the blank background.
        boxes: N tensors (k_i, 4) in "xyxy" pixel coordinates, one row per digit.
        labels: N int64 tensors (k_i,) with the digit 0..9 of each box.
        digit_size: side of each pasted digit in pixels.
    """

    images: torch.Tensor
    boxes: list[torch.Tensor]
    labels: list[torch.Tensor]
    digit_size: int

    def __len__(self) -> int:
        return self.images.shape[0]

    def targets(self) -> list[dict[str, torch.Tensor]]:
        """Return one {"boxes", "labels"} dict per canvas, the ground truth for `evaluate_detections`."""
        return [{"boxes": boxes, "labels": labels} for boxes, labels in zip(self.boxes, self.labels)]


def make_canvases(
    n_images: int,
    canvas_size: int = 64,
    digit_size: int = 16,
    digits_per_image: tuple[int, int] = (1, 3),
    split: str = "train",
    seed: int = 0,
) -> Canvases:
    """Paste real digits of one split onto blank canvases at random, non-overlapping positions.

    Args:
        n_images: number of canvases N.
        canvas_size: side S of each canvas in pixels.
        digit_size: side of each digit in pixels (the digits are resized to it by `load_digits`).
        digits_per_image: (min, max) digits per canvas, both inclusive.
        split: "train" or "test" digits, so test canvases never reuse a training digit.
        seed: seed of the digit choice and the positions.

    Returns:
        `Canvases`. A canvas may hold fewer digits than drawn when no free place is found after
        100 tries, which only happens when the canvas is nearly full.
    """
    min_digits, max_digits = digits_per_image
    if not 1 <= min_digits <= max_digits:
        raise ValueError(f"digits_per_image must be (min, max) with 1 ≤ min ≤ max; got {digits_per_image!r}")
    if digit_size > canvas_size:
        raise ValueError(f"digit_size {digit_size} does not fit on a canvas of {canvas_size} pixels")
    if n_images < 1:
        raise ValueError(f"n_images must be at least 1; got {n_images!r}")

    digits = load_digits(split, size=digit_size)
    rng = np.random.default_rng(seed)
    images = torch.full((n_images, 1, canvas_size, canvas_size), -1.0)
    all_boxes, all_labels = [], []

    for image in images:
        target_count = int(rng.integers(min_digits, max_digits + 1))
        placed: list[tuple[int, int]] = []
        chosen: list[int] = []
        for _ in range(100):
            if len(placed) == target_count:
                break
            x, y = (int(value) for value in rng.integers(0, canvas_size - digit_size + 1, size=2))
            if all(abs(x - px) >= digit_size or abs(y - py) >= digit_size for px, py in placed):
                placed.append((x, y))
                chosen.append(int(rng.integers(len(digits))))
        for (x, y), index in zip(placed, chosen):
            image[:, y : y + digit_size, x : x + digit_size] = digits.images[index]
        all_boxes.append(torch.tensor([[x, y, x + digit_size, y + digit_size] for x, y in placed], dtype=torch.float32))
        all_labels.append(digits.labels[chosen].clone() if chosen else torch.zeros(0, dtype=torch.int64))

    return Canvases(images, all_boxes, all_labels, digit_size)
