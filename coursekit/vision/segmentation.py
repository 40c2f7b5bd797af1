"""Semantic segmentation metrics from a confusion matrix: pixel accuracy, per-class IoU and mean IoU."""

from __future__ import annotations

import torch


def confusion_matrix(target: torch.Tensor, prediction: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Count pixels by (true class, predicted class).

    Args:
        target: integer label mask of any shape, for example (H, W) or (N, H, W), values 0..K−1.
        prediction: integer label mask of the same shape.
        num_classes: K.

    Returns:
        int64 tensor (K, K) whose entry [i, j] counts pixels of true class i predicted as j: rows
        are the truth and columns the prediction, as in sklearn.metrics.confusion_matrix.
    """
    if not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer; got {num_classes!r}")
    for name, mask in (("target", target), ("prediction", prediction)):
        if not isinstance(mask, torch.Tensor) or mask.is_floating_point() or mask.dtype == torch.bool:
            kind = getattr(mask, "dtype", type(mask).__name__)
            raise TypeError(f"{name} must be an integer label tensor; got {kind}")
    if target.shape != prediction.shape:
        raise ValueError(
            f"target has shape {tuple(target.shape)} but prediction has {tuple(prediction.shape)}; "
            "the masks must label the same pixels (resize the prediction to the target's size)"
        )
    for name, mask in (("target", target), ("prediction", prediction)):
        if mask.numel() and (mask.min() < 0 or mask.max() >= num_classes):
            raise ValueError(
                f"{name} has labels in [{int(mask.min())}, {int(mask.max())}]; they must lie in 0..{num_classes - 1}"
            )

    pairs = target.flatten().long() * num_classes + prediction.flatten().long()
    return torch.bincount(pairs, minlength=num_classes**2).reshape(num_classes, num_classes)


def _check_matrix(matrix: torch.Tensor) -> torch.Tensor:
    if not isinstance(matrix, torch.Tensor) or matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"expected a square confusion matrix (K, K); got {getattr(matrix, 'shape', matrix)!r}")
    if matrix.sum() == 0:
        raise ValueError("the confusion matrix counts no pixels; the metrics are undefined on an empty mask")
    return matrix.to(torch.float64)


def pixel_accuracy(matrix: torch.Tensor) -> float:
    """Return the share of pixels labelled correctly: trace / total, from a confusion matrix (K, K)."""
    matrix = _check_matrix(matrix)
    return float(matrix.diagonal().sum() / matrix.sum())


def per_class_iou(matrix: torch.Tensor) -> torch.Tensor:
    """Return the IoU of every class from a confusion matrix (K, K) with rows = truth.

    Returns:
        float64 tensor (K,). IoU_k = TP_k / (TP_k + FP_k + FN_k), where TP_k is the diagonal entry,
        FP_k the rest of column k and FN_k the rest of row k. A class that appears in neither mask
        has 0 / 0; its entry is NaN, documented and deliberate, and `mean_iou` leaves it out.
    """
    matrix = _check_matrix(matrix)
    true_positive = matrix.diagonal()
    union = matrix.sum(0) + matrix.sum(1) - true_positive
    return torch.where(union > 0, true_positive / union.clamp(min=1), torch.nan)


def mean_iou(matrix: torch.Tensor) -> float:
    """Return the mean of `per_class_iou` over the classes present in the truth or the prediction.

    This is the macro average that sklearn.metrics.jaccard_score(average="macro") gives when its
    `labels` are the classes present.
    """
    iou = per_class_iou(matrix)
    return float(iou[~torch.isnan(iou)].mean())
