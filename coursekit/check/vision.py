"""Public cases of notebook 01's exercises: box formats, IoU, NMS, matching, AP, mean IoU, BLEU, Gram matrix."""

from __future__ import annotations

import torch

from coursekit import vision
from coursekit.check import register
from coursekit.check.core import Case, Exercise


def xywh_to_xyxy(boxes: torch.Tensor) -> torch.Tensor:
    """Convert boxes (N, 4) from (x, y, w, h) to corners (x1, y1, x2, y2)."""
    return vision.box_convert(boxes, "xywh", "xyxy")


def xyxy_to_cxcywh(boxes: torch.Tensor) -> torch.Tensor:
    """Convert corner boxes (N, 4) to centre format (cx, cy, w, h)."""
    return vision.box_convert(boxes, "xyxy", "cxcywh")


def class_aware_nms(boxes, scores, labels, iou_threshold):
    """Return the kept indices (K,) int64 by decreasing score; boxes suppress only their own class."""
    return vision.batched_nms(boxes, scores, labels, iou_threshold)


def mean_iou(confusion: torch.Tensor) -> float:
    """Return the mean IoU over the classes present in a confusion matrix (K, K), rows = truth."""
    return vision.mean_iou(confusion)


def bleu(candidate: list[str], references: list[list[str]], n: int = 4) -> float:
    """Return sentence BLEU-n of a tokenized caption against tokenized references."""
    return vision.bleu(candidate, references, n)


def gram_matrix(features: torch.Tensor) -> torch.Tensor:
    """Return the Gram matrix (C, C) of features (C, H, W), divided by H·W."""
    return vision.gram_matrix(features)


def boxes(*rows) -> torch.Tensor:
    """Build a float32 box tensor (N, 4) from rows of four numbers; no rows gives (0, 4)."""
    return torch.tensor(rows, dtype=torch.float32).reshape(-1, 4)


def random_corner_boxes(count: int, seed: int, canvas: float = 50.0) -> torch.Tensor:
    """Return `count` random valid "xyxy" boxes (count, 4) inside a canvas, from a fixed seed."""
    generator = torch.Generator().manual_seed(seed)
    top_left = torch.rand(count, 2, generator=generator) * canvas
    size = torch.rand(count, 2, generator=generator) * canvas / 2
    return torch.cat([top_left, top_left + size], dim=1)


def random_scores(count: int, seed: int) -> torch.Tensor:
    """Return `count` distinct scores in (0, 1) in random order, so NMS never meets a tie."""
    generator = torch.Generator().manual_seed(seed)
    return (torch.randperm(count, generator=generator).to(torch.float32) + 1) / (count + 1)


register(
    Exercise(
        name="01.xywh_to_xyxy",
        reference=xywh_to_xyxy,
        cases=[
            Case.call(boxes((10, 20, 30, 40))),
            Case.call(boxes((0, 0, 1, 1), (5.5, 2.5, 0, 3))),
            Case.call(boxes()),
        ],
        hint="x2 = x + w and y2 = y + h; keep shape (N, 4) even when N is 0",
    )
)

register(
    Exercise(
        name="01.xyxy_to_cxcywh",
        reference=xyxy_to_cxcywh,
        cases=[
            Case.call(boxes((10, 20, 40, 60))),
            Case.call(boxes((0, 0, 1, 1), (3, 3, 3, 7))),
            Case.call(boxes()),
        ],
        hint="the centre is the mean of the corners: cx = (x1 + x2) / 2, and w = x2 − x1",
    )
)

register(
    Exercise(
        name="01.box_iou",
        reference=vision.box_iou,
        cases=[
            Case.call(boxes((0, 0, 10, 10)), boxes((5, 5, 15, 15))),
            Case.call(
                boxes((0, 0, 10, 10), (20, 20, 30, 30)), boxes((0, 0, 10, 10), (10, 0, 20, 10), (25, 25, 40, 40))
            ),
            Case.call(boxes((3, 3, 3, 3)), boxes((3, 3, 3, 3), (0, 0, 6, 6))),
            Case.call(boxes(), boxes((0, 0, 1, 1))),
            Case.call(random_corner_boxes(6, seed=1), random_corner_boxes(4, seed=2)),
        ],
        atol=1e-5,
        hint="clamp the overlap of disjoint boxes at 0, and give IoU 0 (not NaN) when the union has zero area",
    )
)

register(
    Exercise(
        name="01.class_aware_nms",
        reference=class_aware_nms,
        cases=[
            Case.call(boxes((0, 0, 10, 10), (1, 1, 11, 11), (20, 20, 30, 30)),
                      torch.tensor([0.9, 0.8, 0.7]), torch.tensor([0, 0, 0]), 0.5),
            Case.call(boxes((0, 0, 10, 10), (1, 1, 11, 11)), torch.tensor([0.6, 0.9]), torch.tensor([3, 5]), 0.5),
            Case.call(boxes(), torch.zeros(0), torch.zeros(0, dtype=torch.int64), 0.5),
            Case.call(random_corner_boxes(12, seed=3, canvas=20), random_scores(12, seed=4),
                      torch.tensor([0, 1, 2] * 4), 0.3),
        ],
        hint="visit boxes by decreasing score, drop a box whose IoU with a kept box of the same label is "
        "greater than the threshold, and return int64 indices in decreasing score order",
    )
)

register(
    Exercise(
        name="01.match_detections",
        reference=vision.match_detections,
        cases=[
            Case.call(boxes((0, 0, 10, 10), (30, 30, 40, 40)), torch.tensor([0.9, 0.8]), boxes((1, 1, 11, 11))),
            Case.call(boxes((0, 0, 10, 10), (1, 0, 11, 10)), torch.tensor([0.7, 0.9]), boxes((0, 0, 10, 10))),
            Case.call(boxes((0, 0, 10, 10)), torch.tensor([0.5]), boxes()),
            Case.call(boxes(), torch.zeros(0), boxes((0, 0, 10, 10))),
            Case.call(random_corner_boxes(8, seed=5, canvas=20), random_scores(8, seed=6),
                      random_corner_boxes(3, seed=7, canvas=20), iou_threshold=0.3),
        ],
        hint="visit detections by decreasing score; each ground-truth box may match only one detection",
    )
)

register(
    Exercise(
        name="01.average_precision",
        reference=vision.average_precision,
        cases=[
            Case.call(torch.tensor([0.9, 0.8, 0.7]), torch.tensor([True, True, True]), 3),
            Case.call(torch.tensor([0.9, 0.8, 0.7, 0.6]), torch.tensor([True, False, True, False]), 3),
            Case.call(torch.tensor([0.2, 0.9, 0.5]), torch.tensor([True, False, True]), 2),
            Case.call(torch.zeros(0), torch.zeros(0, dtype=torch.bool), 4),
        ],
        hint="sort by score first, use the precision envelope (the best precision at any higher recall), "
        "and divide recall by n_ground_truth, not by the number of detections",
    )
)

register(
    Exercise(
        name="01.mean_iou",
        reference=mean_iou,
        cases=[
            Case.call(torch.tensor([[8, 2], [1, 9]])),
            Case.call(torch.tensor([[5, 0, 1], [0, 0, 0], [2, 0, 4]])),
            Case.call(torch.tensor([[3, 1, 0], [0, 6, 2], [1, 0, 7]])),
        ],
        hint="IoU_k = C[k, k] / (row k sum + column k sum − C[k, k]); leave out classes absent from both masks",
    )
)

register(
    Exercise(
        name="01.bleu",
        reference=bleu,
        cases=[
            Case.call("the cat is on the mat".split(), ["there is a cat on the mat".split()], 1),
            Case.call("the the the the".split(), ["the cat is on the mat".split()], 1),
            Case.call("a dog runs on the grass".split(),
                      ["a dog runs across the grass".split(), "a brown dog runs on the grass".split()], 2),
            Case.call("a man".split(), ["a man is riding a horse".split()], 1),
            Case.call("a man rides".split(), ["a woman is singing".split()], 2),
        ],
        hint="clip each n-gram count by its largest count in one reference, take the geometric mean of "
        "p_1..p_n, and multiply by the brevity penalty exp(1 − r/c) when c ≤ r",
    )
)

register(
    Exercise(
        name="01.gram_matrix",
        reference=gram_matrix,
        cases=[
            Case.call(torch.ones(2, 2, 2)),
            Case.call(torch.arange(12, dtype=torch.float32).reshape(3, 2, 2)),
            Case.call(torch.linspace(-1, 1, 40).reshape(2, 4, 5)),
        ],
        hint="flatten to F of shape (C, H·W), then G = F Fᵀ / (H·W)",
    )
)
