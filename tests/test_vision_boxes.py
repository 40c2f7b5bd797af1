"""coursekit.vision.boxes against torchvision.ops on random, degenerate and empty boxes."""

from __future__ import annotations

import pytest
import torch
from torchvision import ops

from coursekit.vision import BOX_FORMATS, box_area, box_convert, box_iou


def random_boxes(count: int, seed: int, degenerate_share: float = 0.0) -> torch.Tensor:
    """Random valid "xyxy" boxes (count, 4); a share of them has zero width or height."""
    generator = torch.Generator().manual_seed(seed)
    top_left = torch.rand(count, 2, generator=generator) * 100
    size = torch.rand(count, 2, generator=generator) * 40
    flat = torch.rand(count, generator=generator) < degenerate_share
    size[flat, torch.randint(0, 2, (int(flat.sum()),), generator=generator)] = 0
    return torch.cat([top_left, top_left + size], dim=1)


@pytest.mark.parametrize("in_fmt", BOX_FORMATS)
@pytest.mark.parametrize("out_fmt", BOX_FORMATS)
def test_box_convert_matches_torchvision(in_fmt, out_fmt):
    corners = random_boxes(50, seed=0, degenerate_share=0.2)
    boxes = ops.box_convert(corners, "xyxy", in_fmt)
    expected = ops.box_convert(boxes, in_fmt, out_fmt)
    torch.testing.assert_close(box_convert(boxes, in_fmt, out_fmt), expected)


def test_box_convert_round_trip_keeps_boxes():
    corners = random_boxes(30, seed=1)
    for fmt in BOX_FORMATS:
        torch.testing.assert_close(box_convert(box_convert(corners, "xyxy", fmt), fmt, "xyxy"), corners)


def test_box_convert_empty_gives_empty():
    result = box_convert(torch.zeros(0, 4), "xywh", "xyxy")
    assert result.shape == (0, 4)


def test_box_convert_rejects_x2_below_x1():
    with pytest.raises(ValueError, match=r"x2 < x1.*boxes\[1\]|boxes\[1\].*x2 < x1"):
        box_convert(torch.tensor([[0.0, 0, 5, 5], [10, 0, 4, 5]]), "xyxy", "xywh")


def test_box_convert_rejects_negative_width():
    with pytest.raises(ValueError, match="negative width or height"):
        box_convert(torch.tensor([[0.0, 0, -1, 5]]), "xywh", "xyxy")


@pytest.mark.parametrize("shape", [(4,), (3, 5), (2, 2, 4)])
def test_box_convert_rejects_wrong_shape(shape):
    with pytest.raises(ValueError, match=r"shape \(N, 4\)"):
        box_convert(torch.zeros(shape), "xyxy", "xywh")


def test_box_convert_rejects_unknown_format():
    with pytest.raises(ValueError, match="unknown box format 'xyhw'"):
        box_convert(torch.zeros(1, 4), "xyhw", "xyxy")


def test_box_convert_rejects_nan():
    with pytest.raises(ValueError, match="NaN or infinite"):
        box_convert(torch.tensor([[0.0, 0, float("nan"), 1]]), "xyxy", "xywh")


def test_box_area_matches_torchvision():
    boxes = random_boxes(40, seed=2, degenerate_share=0.3)
    torch.testing.assert_close(box_area(boxes), ops.box_area(boxes))


def test_box_iou_matches_torchvision_random():
    boxes1, boxes2 = random_boxes(40, seed=3), random_boxes(25, seed=4)
    torch.testing.assert_close(box_iou(boxes1, boxes2), ops.box_iou(boxes1, boxes2))


def test_box_iou_matches_torchvision_with_degenerate_boxes():
    boxes1, boxes2 = random_boxes(40, seed=5, degenerate_share=0.5), random_boxes(30, seed=6, degenerate_share=0.5)
    expected = ops.box_iou(boxes1, boxes2)
    defined = ~torch.isnan(expected)
    result = box_iou(boxes1, boxes2)
    torch.testing.assert_close(result[defined], expected[defined])
    assert not torch.isnan(result).any()


def test_box_iou_zero_area_union_is_zero_not_nan():
    point = torch.tensor([[3.0, 3, 3, 3]])
    line = torch.tensor([[3.0, 3, 3, 9]])
    assert torch.isnan(ops.box_iou(point, point)).all()  # torchvision's 0 / 0
    assert box_iou(point, point).item() == 0.0
    assert box_iou(point, line).item() == 0.0


def test_box_iou_identical_boxes_is_one():
    boxes = random_boxes(10, seed=7)
    torch.testing.assert_close(box_iou(boxes, boxes).diagonal(), torch.ones(10))


@pytest.mark.parametrize("sizes", [(0, 3), (3, 0), (0, 0)])
def test_box_iou_empty_sets_give_empty_matrix(sizes):
    result = box_iou(random_boxes(sizes[0], seed=8), random_boxes(sizes[1], seed=9))
    assert result.shape == sizes


def test_box_iou_hand_worked_example():
    # Overlap 5 × 5 = 25; union 100 + 100 − 25 = 175.
    result = box_iou(torch.tensor([[0.0, 0, 10, 10]]), torch.tensor([[5.0, 5, 15, 15]]))
    assert result.item() == pytest.approx(25 / 175)


def test_box_iou_rejects_reversed_corners():
    with pytest.raises(ValueError, match=r"boxes2\[0\]"):
        box_iou(torch.tensor([[0.0, 0, 1, 1]]), torch.tensor([[5.0, 5, 1, 1]]))


def test_box_iou_accepts_integer_boxes():
    result = box_iou(torch.tensor([[0, 0, 2, 2]]), torch.tensor([[1, 1, 3, 3]]))
    assert result.dtype == torch.float32
    assert result.item() == pytest.approx(1 / 7)
