"""Human pose estimation scored by PCK: the percentage of correct keypoints."""

from __future__ import annotations

import torch


def pck(
    predicted: torch.Tensor,
    target: torch.Tensor,
    scale: torch.Tensor | float,
    alpha: float = 0.2,
    visible: torch.Tensor | None = None,
) -> float:
    """Return PCK@α, the share of visible keypoints predicted within α · scale pixels of the truth.

    Args:
        predicted: (N, K, 2) keypoint positions (x_i, y_i) in pixels, N people with K keypoints.
        target: (N, K, 2) true positions.
        scale: size of each person in pixels, (N,) or one number; commonly the longer side of
            the person's box (PCK) or the head length (PCKh).
        alpha: tolerance as a fraction of the scale, > 0.
        visible: (N, K) bool, True where the keypoint is annotated; None counts every keypoint.

    Returns:
        PCK in [0, 1].

    Notes:
        PCK@α = (1 / #visible) Σ_visible [‖p̂_ik − p_ik‖₂ ≤ α · s_i].
    """
    if not isinstance(predicted, torch.Tensor) or predicted.ndim != 3 or predicted.shape[2] != 2:
        raise ValueError(f"predicted must have shape (N, K, 2); got {tuple(getattr(predicted, 'shape', ()))}")
    if not isinstance(target, torch.Tensor) or target.shape != predicted.shape:
        shape = tuple(getattr(target, "shape", ()))
        raise ValueError(f"target must have the shape of predicted {tuple(predicted.shape)}; got {shape}")
    if alpha <= 0:
        raise ValueError(f"alpha must be positive; got {alpha!r}")
    scale = torch.as_tensor(scale, dtype=torch.float64).expand(predicted.shape[0])
    if (scale <= 0).any():
        raise ValueError(f"every scale must be positive pixels; got {scale.tolist()}")
    if visible is None:
        visible = torch.ones(predicted.shape[:2], dtype=torch.bool)
    if visible.shape != predicted.shape[:2] or visible.dtype != torch.bool:
        raise ValueError(f"visible must be a bool tensor of shape {tuple(predicted.shape[:2])}")
    if not visible.any():
        raise ValueError("no keypoint is visible, so PCK is undefined; mark at least one keypoint visible")

    distance = torch.linalg.vector_norm((predicted - target).to(torch.float64), dim=2)
    correct = distance <= alpha * scale[:, None]
    return float(correct[visible].to(torch.float64).mean())
