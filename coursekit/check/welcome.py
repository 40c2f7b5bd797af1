"""Public cases of notebook 00's warm-up exercise."""

from __future__ import annotations

import torch

from coursekit.check import register
from coursekit.check.core import Case, Exercise


def normalize(pixels: torch.Tensor) -> torch.Tensor:
    """Map 8-bit pixel values to the range [-1, 1] that a GAN generator's Tanh produces.

    Args:
        pixels: uint8 tensor of any shape, values 0..255.

    Returns:
        float32 tensor of the same shape: 0 ↦ -1, 255 ↦ 1.

    Notes:
        x ↦ x / 127.5 − 1, the inverse of the (x + 1)·127.5 that turns samples back into pixels.
    """
    if pixels.dtype != torch.uint8:
        raise TypeError(f"pixels must be a uint8 tensor; got dtype {pixels.dtype}")
    return pixels.to(torch.float32) / 127.5 - 1


register(
    Exercise(
        name="00.normalize",
        reference=normalize,
        cases=[
            Case.call(torch.tensor([0, 255], dtype=torch.uint8)),
            Case.call(torch.tensor([[0, 64], [128, 255]], dtype=torch.uint8)),
            Case.call(torch.arange(0, 256, 17, dtype=torch.uint8).reshape(1, 1, 4, 4)),
        ],
        hint="0 must map to -1 and 255 to 1, and the result must be float32 with the input's shape",
    )
)
