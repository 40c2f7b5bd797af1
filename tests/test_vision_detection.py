"""NMS against torchvision.ops, Pascal VOC matching and average precision on hand-worked cases."""

from __future__ import annotations

import pytest
import torch
from torchvision import ops

from coursekit.vision import average_precision, batched_nms, evaluate_detections, make_canvases, match_detections, nms


def clustered_boxes(count: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Random "xyxy" boxes (count, 4) jittered around a few centres, so NMS has work, and distinct scores."""
    generator = torch.Generator().manual_seed(seed)
    centres = torch.rand(5, 2, generator=generator) * 60
    jitter = torch.randn(count, 2, generator=generator) * 3
    centre = centres[torch.randint(0, 5, (count,), generator=generator)] + jitter
    size = 8 + torch.rand(count, 2, generator=generator) * 8
    boxes = torch.cat([centre - size / 2, centre + size / 2], dim=1)
    scores = torch.randperm(count, generator=generator).to(torch.float32) / count
    return boxes, scores


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 0.7, 1.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_nms_matches_torchvision(threshold, seed):
    boxes, scores = clustered_boxes(60, seed)
    torch.testing.assert_close(nms(boxes, scores, threshold), ops.nms(boxes, scores, threshold))


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_batched_nms_matches_torchvision(seed):
    boxes, scores = clustered_boxes(80, seed)
    labels = torch.randint(0, 4, (80,), generator=torch.Generator().manual_seed(seed))
    torch.testing.assert_close(batched_nms(boxes, scores, labels, 0.4), ops.batched_nms(boxes, scores, labels, 0.4))


def test_nms_with_degenerate_boxes_matches_torchvision():
    boxes, scores = clustered_boxes(30, seed=6)
    boxes[::4, 2] = boxes[::4, 0]  # zero width
    torch.testing.assert_close(nms(boxes, scores, 0.5), ops.nms(boxes, scores, 0.5))


def test_nms_keeps_identical_points_apart():
    # Two zero-area boxes at one place have IoU 0 here, so neither suppresses the other.
    boxes = torch.tensor([[2.0, 2, 2, 2], [2.0, 2, 2, 2]])
    assert nms(boxes, torch.tensor([0.9, 0.8]), 0.5).tolist() == [0, 1]


def test_nms_empty_input_gives_empty_int64():
    kept = nms(torch.zeros(0, 4), torch.zeros(0), 0.5)
    assert kept.shape == (0,)
    assert kept.dtype == torch.int64


def test_batched_nms_empty_input_gives_empty_int64():
    kept = batched_nms(torch.zeros(0, 4), torch.zeros(0), torch.zeros(0, dtype=torch.int64), 0.5)
    assert kept.shape == (0,)
    assert kept.dtype == torch.int64


def test_batched_nms_other_class_survives_overlap():
    boxes = torch.tensor([[0.0, 0, 10, 10], [0.0, 0, 10, 10]])
    assert batched_nms(boxes, torch.tensor([0.9, 0.8]), torch.tensor([1, 2]), 0.5).tolist() == [0, 1]
    assert nms(boxes, torch.tensor([0.9, 0.8]), 0.5).tolist() == [0]


def test_nms_rejects_mismatched_scores():
    with pytest.raises(ValueError, match=r"scores must be a tensor of shape \(2,\)"):
        nms(torch.zeros(2, 4), torch.zeros(3), 0.5)


def test_nms_rejects_threshold_outside_unit_interval():
    with pytest.raises(ValueError, match="iou_threshold must lie in"):
        nms(torch.zeros(1, 4), torch.zeros(1), 1.5)


def test_nms_rejects_nan_scores():
    with pytest.raises(ValueError, match="NaN"):
        nms(torch.tensor([[0.0, 0, 1, 1]]), torch.tensor([float("nan")]), 0.5)


def test_match_duplicate_detection_is_false_positive():
    boxes = torch.tensor([[0.0, 0, 10, 10], [0.0, 0, 10, 11]])
    result = match_detections(boxes, torch.tensor([0.8, 0.9]), torch.tensor([[0.0, 0, 10, 10]]))
    assert result.tolist() == [False, True]


def test_match_takes_best_free_ground_truth():
    boxes = torch.tensor([[0.0, 0, 10, 10], [1.0, 0, 11, 10]])
    truth = torch.tensor([[0.0, 0, 10, 10], [2.0, 0, 12, 10]])
    result = match_detections(boxes, torch.tensor([0.9, 0.8]), truth)
    assert result.tolist() == [True, True]


def test_match_threshold_is_inclusive():
    # The 10 × 10 box lies inside the 20 × 10 box, so IoU = 100 / 200 = 0.5 exactly.
    result = match_detections(torch.tensor([[0.0, 0, 10, 10]]), torch.tensor([1.0]), torch.tensor([[0.0, 0, 20, 10]]))
    assert result.tolist() == [True]


def test_match_no_ground_truth_all_false():
    assert match_detections(torch.tensor([[0.0, 0, 1, 1]]), torch.tensor([0.5]), torch.zeros(0, 4)).tolist() == [False]


def test_match_empty_prediction_set_gives_empty():
    assert match_detections(torch.zeros(0, 4), torch.zeros(0), torch.tensor([[0.0, 0, 1, 1]])).shape == (0,)


def test_average_precision_perfect_ranking_is_one():
    assert average_precision(torch.tensor([0.9, 0.5]), torch.tensor([True, True]), 2) == 1.0


def test_average_precision_hand_worked():
    # Ranked T, F, T, F with 3 objects: precision 1, 1/2, 2/3, 1/2 at recall 1/3, 1/3, 2/3, 2/3;
    # the envelope at the two recall steps is 1 and 2/3, so AP = 1/3 · 1 + 1/3 · 2/3 = 5/9.
    scores = torch.tensor([0.6, 0.9, 0.7, 0.8])
    hits = torch.tensor([False, True, True, False])
    assert average_precision(scores, hits, 3) == pytest.approx(5 / 9)


def test_average_precision_missed_objects_lower_it():
    assert average_precision(torch.tensor([0.9]), torch.tensor([True]), 4) == pytest.approx(0.25)


def test_average_precision_empty_prediction_set_is_zero():
    assert average_precision(torch.zeros(0), torch.zeros(0, dtype=torch.bool), 3) == 0.0


def test_average_precision_rejects_no_ground_truth():
    with pytest.raises(ValueError, match="n_ground_truth must be a positive integer"):
        average_precision(torch.tensor([0.5]), torch.tensor([False]), 0)


def test_average_precision_rejects_more_hits_than_objects():
    with pytest.raises(ValueError, match="2 true positives but only 1"):
        average_precision(torch.tensor([0.5, 0.4]), torch.tensor([True, True]), 1)


def test_evaluate_detections_perfect_on_canvases():
    canvases = make_canvases(5, digits_per_image=(2, 3), seed=0)
    predictions = [
        {"boxes": target["boxes"], "scores": torch.linspace(1, 0.5, len(target["labels"])), "labels": target["labels"]}
        for target in canvases.targets()
    ]
    score = evaluate_detections(predictions, canvases.targets())
    assert score.mean_ap == pytest.approx(1.0)
    assert set(score.per_class) == {int(label) for labels in canvases.labels for label in labels}


def test_evaluate_detections_no_predictions_is_zero():
    canvases = make_canvases(3, seed=1)
    empty = [{"boxes": torch.zeros(0, 4), "scores": torch.zeros(0), "labels": torch.zeros(0, dtype=torch.int64)}] * 3
    assert evaluate_detections(empty, canvases.targets()).mean_ap == 0.0


def test_evaluate_detections_rejects_length_mismatch():
    canvases = make_canvases(2, seed=2)
    with pytest.raises(ValueError, match="1 prediction dicts for 2 images"):
        evaluate_detections(canvases.targets()[:1], canvases.targets())


def test_evaluate_detections_rejects_no_ground_truth():
    empty = {"boxes": torch.zeros(0, 4), "labels": torch.zeros(0, dtype=torch.int64)}
    with pytest.raises(ValueError, match="no image has a ground-truth object"):
        evaluate_detections([{**empty, "scores": torch.zeros(0)}], [empty])
