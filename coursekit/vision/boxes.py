"""Bounding boxes: the three formats of the course, conversions between them, area and pairwise IoU.

Every box is a float tensor of 4 numbers in pixels, with x to the right and y downwards:

- "xywh": (x, y, w, h), the top-left corner and the width and height (the lecture's (x, y, w, h));
- "xyxy": (x1, y1, x2, y2), the top-left and bottom-right corners;
- "cxcywh": (cx, cy, w, h), the centre and the width and height.

The format names are torchvision's (`torchvision.ops.box_convert`), so code moves between the two.
"""

from __future__ import annotations

import torch

BOX_FORMATS = ("xyxy", "xywh", "cxcywh")


def check_boxes(boxes: torch.Tensor, fmt: str = "xyxy", name: str = "boxes") -> torch.Tensor:
    """Validate a box tensor (N, 4) in format `fmt` and return it as a floating-point tensor.

    Raises ValueError for a wrong shape, a non-finite coordinate, x2 < x1 or y2 < y1 ("xyxy"), or a
    negative width or height ("xywh", "cxcywh"). Boxes of zero width or height are valid.
    """
    if fmt not in BOX_FORMATS:
        raise ValueError(f"unknown box format {fmt!r}; use one of {', '.join(BOX_FORMATS)}")
    if not isinstance(boxes, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape (N, 4); got {type(boxes).__name__}")
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f"{name} must have shape (N, 4); got {tuple(boxes.shape)}")
    if not boxes.is_floating_point():
        boxes = boxes.to(torch.float32)
    if not torch.isfinite(boxes).all():
        raise ValueError(f"{name} contains NaN or infinite coordinates; every coordinate must be finite")

    if fmt == "xyxy":
        bad = (boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1])
        if bad.any():
            index = int(bad.nonzero()[0])
            raise ValueError(
                f"{name}[{index}] = {boxes[index].tolist()} has x2 < x1 or y2 < y1; "
                "xyxy boxes need x1 ≤ x2 and y1 ≤ y2 (pass fmt='xywh' if the last two numbers are w, h)"
            )
    else:
        bad = (boxes[:, 2] < 0) | (boxes[:, 3] < 0)
        if bad.any():
            index = int(bad.nonzero()[0])
            raise ValueError(f"{name}[{index}] = {boxes[index].tolist()} has a negative width or height")
    return boxes


def box_convert(boxes: torch.Tensor, in_fmt: str, out_fmt: str) -> torch.Tensor:
    """Convert boxes (N, 4) from `in_fmt` to `out_fmt` ("xyxy", "xywh" or "cxcywh").

    Returns a new float tensor (N, 4) in the same units (pixels). Inputs are validated first by
    `check_boxes`, so a corner box with x2 < x1 raises instead of turning into a negative width.
    """
    boxes = check_boxes(boxes, in_fmt)
    if out_fmt not in BOX_FORMATS:
        raise ValueError(f"unknown box format {out_fmt!r}; use one of {', '.join(BOX_FORMATS)}")

    a, b, c, d = boxes.unbind(dim=1)
    if in_fmt == "xywh":
        corners = torch.stack([a, b, a + c, b + d], dim=1)
    elif in_fmt == "cxcywh":
        corners = torch.stack([a - c / 2, b - d / 2, a + c / 2, b + d / 2], dim=1)
    else:
        corners = boxes.clone()

    x1, y1, x2, y2 = corners.unbind(dim=1)
    if out_fmt == "xywh":
        return torch.stack([x1, y1, x2 - x1, y2 - y1], dim=1)
    if out_fmt == "cxcywh":
        return torch.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], dim=1)
    return corners


def box_area(boxes: torch.Tensor) -> torch.Tensor:
    """Return the area (N,) in square pixels of corner boxes (N, 4) in "xyxy" format."""
    boxes = check_boxes(boxes, "xyxy")
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(boxes1: torch.Tensor, boxes2: torch.Tensor) -> torch.Tensor:
    """Return the intersection over union of every pair of corner boxes.

    Args:
        boxes1: (N, 4) in "xyxy" format, pixels.
        boxes2: (M, 4) in "xyxy" format, pixels.

    Returns:
        float tensor (N, M) with values in [0, 1]; (0, M) or (N, 0) when a set is empty.

    Notes:
        IoU(A, B) = |A ∩ B| / |A ∪ B|. Two boxes whose union has zero area (two degenerate
        boxes, such as points or lines) get IoU 0 here, where torchvision.ops.box_iou returns
        NaN, so no NaN ever reaches a matching step or an average.
    """
    boxes1 = check_boxes(boxes1, "xyxy", "boxes1")
    boxes2 = check_boxes(boxes2, "xyxy", "boxes2")

    top_left = torch.maximum(boxes1[:, None, :2], boxes2[None, :, :2])
    bottom_right = torch.minimum(boxes1[:, None, 2:], boxes2[None, :, 2:])
    # Disjoint boxes give a negative overlap along some axis, so it is clamped to zero.
    overlap = (bottom_right - top_left).clamp(min=0)
    intersection = overlap[..., 0] * overlap[..., 1]

    union = box_area(boxes1)[:, None] + box_area(boxes2)[None, :] - intersection
    return torch.where(union > 0, intersection / union.clamp(min=torch.finfo(union.dtype).tiny), 0.0)
