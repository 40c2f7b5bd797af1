"""Instance segmentation: split a binary mask into numbered instances and compare instance masks."""

from __future__ import annotations

import numpy as np
import torch
from scipy import ndimage


def label_instances(mask: torch.Tensor, connectivity: int = 1, min_size: int = 0) -> torch.Tensor:
    """Number the connected components of a binary mask (H, W): 0 is background, 1..n the instances.

    Args:
        mask: bool tensor (H, W), True on the objects.
        connectivity: 1 joins pixels that share an edge (4-neighbours); 2 also joins diagonal
            neighbours (8-neighbours).
        min_size: components with fewer pixels become background, which removes specks.

    Returns:
        int64 tensor (H, W). Instances are numbered in raster order of their first pixel.
    """
    if not isinstance(mask, torch.Tensor) or mask.ndim != 2 or mask.dtype != torch.bool:
        raise ValueError("mask must be a bool tensor (H, W); convert a label mask with `labels == class_id`")
    if connectivity not in (1, 2):
        raise ValueError(f"connectivity must be 1 (edges) or 2 (edges and corners); got {connectivity!r}")

    structure = ndimage.generate_binary_structure(2, connectivity)
    labels, count = ndimage.label(mask.numpy(), structure=structure)
    if min_size > 0 and count:
        sizes = np.bincount(labels.ravel(), minlength=count + 1)
        keep = sizes >= min_size
        keep[0] = False
        renumber = np.zeros(count + 1, dtype=np.int64)
        renumber[keep] = np.arange(1, int(keep.sum()) + 1)
        labels = renumber[labels]
    return torch.from_numpy(labels.astype(np.int64))


def masks_from_labels(labels: torch.Tensor) -> torch.Tensor:
    """Turn an instance label image (H, W) into one bool mask per instance, (n, H, W), by label order."""
    if not isinstance(labels, torch.Tensor) or labels.ndim != 2:
        raise ValueError("labels must be an integer tensor (H, W) with 0 for background")
    ids = labels.unique()
    ids = ids[ids != 0]
    return labels[None] == ids[:, None, None]


def mask_iou(masks1: torch.Tensor, masks2: torch.Tensor) -> torch.Tensor:
    """Return the IoU of every pair of binary masks.

    Args:
        masks1: bool tensor (N, H, W).
        masks2: bool tensor (M, H, W), the same H and W.

    Returns:
        float tensor (N, M) in [0, 1]. Two empty masks get IoU 0, not NaN.
    """
    for name, masks in (("masks1", masks1), ("masks2", masks2)):
        if not isinstance(masks, torch.Tensor) or masks.ndim != 3 or masks.dtype != torch.bool:
            raise ValueError(f"{name} must be a bool tensor (count, H, W); got {getattr(masks, 'shape', masks)!r}")
    if masks1.shape[1:] != masks2.shape[1:]:
        raise ValueError(
            f"masks of size {tuple(masks1.shape[1:])} and {tuple(masks2.shape[1:])} cannot be compared; "
            "resize one set so both cover the same H × W pixels"
        )

    flat1 = masks1.flatten(1).to(torch.float32)
    flat2 = masks2.flatten(1).to(torch.float32)
    intersection = flat1 @ flat2.T
    union = flat1.sum(1)[:, None] + flat2.sum(1)[None, :] - intersection
    return torch.where(union > 0, intersection / union.clamp(min=1), 0.0)


def best_instance_iou(target: torch.Tensor, prediction: torch.Tensor) -> torch.Tensor:
    """For each true instance, the IoU of the predicted instance that overlaps it most.

    Args:
        target: instance labels (H, W), 0 for background.
        prediction: instance labels of the same shape.

    Returns:
        float tensor (n_target,) in label order; 0 for an instance that no prediction touches.
    """
    if target.shape != prediction.shape:
        raise ValueError(
            f"target has shape {tuple(target.shape)} but prediction has {tuple(prediction.shape)}; they must match"
        )
    truth, guess = masks_from_labels(target), masks_from_labels(prediction)
    if guess.shape[0] == 0:
        return torch.zeros(truth.shape[0])
    return mask_iou(truth, guess).max(dim=1).values
