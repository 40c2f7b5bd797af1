"""Pictures for notebooks and commands: image grids and loss curves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

if not matplotlib.get_backend().lower().startswith(("module://", "inline")):
    matplotlib.use("Agg")  # outside a notebook nothing is shown, so draw off screen

import matplotlib.pyplot as plt
import torch
from torchvision.utils import make_grid


def image_grid(images: torch.Tensor, nrow: int = 8, padding: int = 2) -> torch.Tensor:
    """Tile a batch into one image (C, H', W') in [0, 1].

    Args:
        images: tensor (N, C, H, W) in [-1, 1], as a generator's Tanh produces; C is 1 or 3.
        nrow: images per row.
        padding: pixels between tiles.
    """
    if images.ndim != 4 or images.shape[1] not in (1, 3):
        raise ValueError(f"images must have shape (N, 1 or 3, H, W); got {tuple(images.shape)}")
    images = images.detach().float().cpu().clamp(-1, 1)
    return make_grid((images + 1) / 2, nrow=nrow, padding=padding, pad_value=1.0)


def show_images(
    images: torch.Tensor, nrow: int = 8, title: str | None = None, ax: plt.Axes | None = None, size: float = 4.0
) -> plt.Axes:
    """Draw a batch (N, C, H, W) in [-1, 1] as a grid and return the axes."""
    grid = image_grid(images, nrow=nrow)
    if ax is None:
        _, ax = plt.subplots(figsize=(size, size * grid.shape[1] / grid.shape[2]))
    if grid.shape[0] == 1:
        ax.imshow(grid[0], cmap="gray", vmin=0, vmax=1)
    else:
        ax.imshow(grid.permute(1, 2, 0).numpy())
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def save_image_grid(images: torch.Tensor, path: str | Path, nrow: int = 8) -> Path:
    """Write a batch (N, C, H, W) in [-1, 1] as one PNG grid and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    grid = image_grid(images, nrow=nrow)
    pixels = grid[0].numpy() if grid.shape[0] == 1 else grid.permute(1, 2, 0).numpy()
    plt.imsave(path, pixels, cmap="gray" if grid.shape[0] == 1 else None, vmin=0, vmax=1)
    return path


def plot_losses(
    history: Mapping[str, Sequence[float]], ax: plt.Axes | None = None, title: str = "Losses", xlabel: str = "step"
) -> plt.Axes:
    """Plot one curve per named loss series (for example {"D": [...], "G": [...]}) and return the axes."""
    if not history:
        raise ValueError("history is empty; pass a mapping such as {'D': [...], 'G': [...]}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for name, values in history.items():
        ax.plot(list(values), label=name, linewidth=1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.legend()
    return ax


def save_losses(history: Mapping[str, Sequence[float]], path: str | Path, title: str = "Losses") -> Path:
    """Write the loss curves of `history` to a PNG file and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    plot_losses(history, ax=ax, title=title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
