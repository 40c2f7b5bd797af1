"""Object detection: non-maximum suppression, matching detections to ground truth and AP at IoU 0.5.

A detector proposes many scored boxes per image. Non-maximum suppression (NMS) keeps the best of
each cluster of overlapping boxes. Matching marks each kept detection as a true or false positive.
Average precision (AP) summarises the precision-recall curve of one class, and its mean over the
classes (mAP) is the standard detection score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import torch

from coursekit.vision.boxes import box_iou, check_boxes


def _check_scores(scores: torch.Tensor, count: int, name: str = "scores") -> torch.Tensor:
    if not isinstance(scores, torch.Tensor) or scores.shape != (count,):
        shape = tuple(scores.shape) if isinstance(scores, torch.Tensor) else type(scores).__name__
        raise ValueError(f"{name} must be a tensor of shape ({count},), one per box; got {shape}")
    if scores.is_floating_point() and torch.isnan(scores).any():
        raise ValueError(f"{name} contains NaN; every detection needs a real-valued score")
    return scores


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Greedy non-maximum suppression over one set of boxes, regardless of class.

    Args:
        boxes: (N, 4) in "xyxy" format, pixels.
        scores: (N,) confidence of each box.
        iou_threshold: a box is dropped when its IoU with a higher-scoring kept box is greater
            than this, in [0, 1].

    Returns:
        int64 tensor (K,) of the indices of the kept boxes, by decreasing score; empty for N = 0.

    Notes:
        Visit boxes from the highest score down; keep a box unless it overlaps a kept box by more
        than the threshold. This is the rule of torchvision.ops.nms. Equal scores are visited in
        index order.
    """
    boxes = check_boxes(boxes)
    scores = _check_scores(scores, boxes.shape[0])
    if not 0 <= iou_threshold <= 1:
        raise ValueError(f"iou_threshold must lie in [0, 1]; got {iou_threshold!r}")

    order = torch.sort(scores, descending=True, stable=True).indices
    overlaps = box_iou(boxes[order], boxes[order])
    suppressed = torch.zeros(len(order), dtype=torch.bool)
    keep = []
    for rank in range(len(order)):
        if suppressed[rank]:
            continue
        keep.append(int(order[rank]))
        suppressed |= overlaps[rank] > iou_threshold
    return torch.tensor(keep, dtype=torch.int64)


def batched_nms(boxes: torch.Tensor, scores: torch.Tensor, labels: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Class-aware NMS: boxes suppress only boxes of their own label.

    Args:
        boxes: (N, 4) in "xyxy" format, pixels.
        scores: (N,) confidence of each box.
        labels: (N,) integer class of each box.
        iou_threshold: as in `nms`.

    Returns:
        int64 tensor (K,) of kept indices by decreasing score over all classes, as
        torchvision.ops.batched_nms returns them.
    """
    boxes = check_boxes(boxes)
    scores = _check_scores(scores, boxes.shape[0])
    if not isinstance(labels, torch.Tensor) or labels.shape != (boxes.shape[0],):
        raise ValueError(f"labels must be a tensor of shape ({boxes.shape[0]},), one per box")

    kept = [
        torch.nonzero(labels == label).flatten()[nms(boxes[labels == label], scores[labels == label], iou_threshold)]
        for label in labels.unique()
    ]
    if not kept:
        return torch.zeros(0, dtype=torch.int64)
    kept = torch.cat(kept)
    return kept[torch.sort(scores[kept], descending=True, stable=True).indices]


def match_detections(
    boxes: torch.Tensor, scores: torch.Tensor, gt_boxes: torch.Tensor, iou_threshold: float = 0.5
) -> torch.Tensor:
    """Mark each detection of one class in one image as a true positive (True) or a false positive.

    Args:
        boxes: (P, 4) detections in "xyxy" format, pixels.
        scores: (P,) their confidences.
        gt_boxes: (G, 4) ground-truth boxes of the same class in the same image.
        iou_threshold: the least IoU of a true positive (0.5 for AP@0.5).

    Returns:
        bool tensor (P,) in the order of `boxes`.

    Notes:
        Detections are visited by decreasing score. Each takes the still unmatched ground-truth
        box it overlaps most; it is a true positive when that IoU is at least the threshold.
        A ground-truth box matches at most one detection, so a duplicate is a false positive.
        This is the matching rule of the Pascal VOC detection benchmark.
    """
    boxes = check_boxes(boxes)
    scores = _check_scores(scores, boxes.shape[0])
    gt_boxes = check_boxes(gt_boxes, name="gt_boxes")

    is_true_positive = torch.zeros(boxes.shape[0], dtype=torch.bool)
    if boxes.shape[0] == 0 or gt_boxes.shape[0] == 0:
        return is_true_positive

    overlaps = box_iou(boxes, gt_boxes)
    matched = torch.zeros(gt_boxes.shape[0], dtype=torch.bool)
    for index in torch.sort(scores, descending=True, stable=True).indices.tolist():
        candidates = overlaps[index].masked_fill(matched, -1.0)
        best = int(candidates.argmax())
        if candidates[best] >= iou_threshold:
            is_true_positive[index] = True
            matched[best] = True
    return is_true_positive


def average_precision(scores: torch.Tensor, is_true_positive: torch.Tensor, n_ground_truth: int) -> float:
    """Return the average precision of one class from its scored, matched detections.

    Args:
        scores: (P,) confidences of all detections of the class, over all images.
        is_true_positive: (P,) bool, from `match_detections`.
        n_ground_truth: number of ground-truth objects of the class, over all images (≥ 1).

    Returns:
        AP in [0, 1]. With no detections it is 0.0, because recall never leaves 0.

    Notes:
        Sort by decreasing score; after the first k detections, precision_k = TP_k / k and
        recall_k = TP_k / n_ground_truth. The precision envelope replaces precision_k by the
        maximum precision at any recall ≥ recall_k, and AP = Σ_k (recall_k − recall_{k−1}) ·
        envelope_k: the area under the envelope, as Pascal VOC computes it since 2010 (all
        points, no 11-point sampling).
    """
    if not isinstance(n_ground_truth, int) or isinstance(n_ground_truth, bool) or n_ground_truth < 1:
        raise ValueError(
            f"n_ground_truth must be a positive integer; got {n_ground_truth!r}. AP is undefined for a "
            "class without ground-truth objects, so leave such a class out of the mean"
        )
    if not isinstance(scores, torch.Tensor) or scores.ndim != 1:
        raise ValueError("scores must be a 1-D tensor (P,), one confidence per detection")
    scores = _check_scores(scores, scores.shape[0])
    if not isinstance(is_true_positive, torch.Tensor) or is_true_positive.shape != scores.shape:
        raise ValueError(f"is_true_positive must be a bool tensor of shape {tuple(scores.shape)}, like scores")
    if int(is_true_positive.sum()) > n_ground_truth:
        raise ValueError(
            f"{int(is_true_positive.sum())} true positives but only {n_ground_truth} ground-truth objects; "
            "each object can match one detection at most"
        )
    if scores.numel() == 0:
        return 0.0

    hits = is_true_positive[torch.sort(scores, descending=True, stable=True).indices].to(torch.float64)
    true_positives = torch.cumsum(hits, dim=0)
    precision = true_positives / torch.arange(1, len(hits) + 1, dtype=torch.float64)
    recall = true_positives / n_ground_truth

    envelope = torch.flip(torch.cummax(torch.flip(precision, [0]), dim=0).values, [0])
    recall_steps = torch.diff(recall, prepend=torch.zeros(1, dtype=torch.float64))
    return float((recall_steps * envelope).sum())


@dataclass(frozen=True)
class DetectionScore:
    """AP@0.5 of a detector on a data set.

    Attributes:
        mean_ap: mean of `per_class` over the classes that have ground-truth objects.
        per_class: {label: AP} for every label with at least one ground-truth object.
        iou_threshold: the IoU a true positive needs.
    """

    mean_ap: float
    per_class: dict[int, float]
    iou_threshold: float


def evaluate_detections(
    predictions: Sequence[Mapping[str, torch.Tensor]],
    targets: Sequence[Mapping[str, torch.Tensor]],
    iou_threshold: float = 0.5,
) -> DetectionScore:
    """Score detections on a data set by mean average precision at one IoU threshold.

    Args:
        predictions: one dict per image with "boxes" (P, 4) xyxy, "scores" (P,) and "labels" (P,).
        targets: one dict per image with "boxes" (G, 4) xyxy and "labels" (G,).
        iou_threshold: 0.5 for the AP@0.5 of Pascal VOC.

    Returns:
        A `DetectionScore`. Images with no predictions count: their objects are all missed.

    Raises:
        ValueError when the two lists differ in length or no image has a ground-truth object.
    """
    if len(predictions) != len(targets):
        raise ValueError(f"got {len(predictions)} prediction dicts for {len(targets)} images; pass one per image")

    labels = sorted({int(label) for target in targets for label in target["labels"].tolist()})
    if not labels:
        raise ValueError("no image has a ground-truth object, so AP is undefined; add annotated images")

    per_class = {}
    for label in labels:
        all_scores, all_hits, count = [], [], 0
        for prediction, target in zip(predictions, targets):
            mine = prediction["labels"] == label
            truth = target["boxes"][target["labels"] == label]
            count += truth.shape[0]
            all_scores.append(prediction["scores"][mine].to(torch.float64))
            hits = match_detections(prediction["boxes"][mine], prediction["scores"][mine], truth, iou_threshold)
            all_hits.append(hits)
        per_class[label] = average_precision(torch.cat(all_scores), torch.cat(all_hits), count)

    return DetectionScore(sum(per_class.values()) / len(per_class), per_class, iou_threshold)
