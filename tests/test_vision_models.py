"""The digit canvases, the small networks and the sliding-window scorer of notebook 01."""

from __future__ import annotations

import pytest
import torch

from coursekit.data import load_digits
from coursekit.vision import box_iou, make_canvases
from coursekit.vision.models import (
    BACKGROUND,
    DigitClassifier,
    Localizer,
    SuperResolver,
    crops_for_training,
    score_windows,
    sliding_windows,
)


def test_canvas_digits_do_not_overlap():
    canvases = make_canvases(20, digits_per_image=(3, 4), seed=0)
    for boxes in canvases.boxes:
        overlaps = box_iou(boxes, boxes) - torch.eye(len(boxes))
        assert overlaps.max().item() == 0.0


def test_canvas_box_holds_the_pasted_digit():
    canvases = make_canvases(4, seed=1)
    digits = load_digits("train", size=16)
    x1, y1, x2, y2 = (int(value) for value in canvases.boxes[0][0])
    patch = canvases.images[0, :, y1:y2, x1:x2]
    assert any(torch.equal(patch, digit) for digit in digits.images[digits.labels == canvases.labels[0][0]])


def test_canvas_same_seed_same_canvases():
    first, second = make_canvases(3, seed=2), make_canvases(3, seed=2)
    assert torch.equal(first.images, second.images)


def test_canvas_rejects_digit_larger_than_canvas():
    with pytest.raises(ValueError, match="does not fit"):
        make_canvases(1, canvas_size=10, digit_size=16)


def test_network_output_shapes():
    assert DigitClassifier()(torch.zeros(2, 1, 16, 16)).shape == (2, BACKGROUND + 1)
    logits, fractions = Localizer(32)(torch.zeros(3, 1, 32, 32))
    assert logits.shape == (3, 10)
    assert fractions.shape == (3, 4)
    assert SuperResolver(2)(torch.zeros(1, 1, 8, 10)).shape == (1, 1, 16, 20)


def test_sliding_windows_cover_canvas():
    windows = sliding_windows(64, 16, 2)
    assert windows.shape == (25 * 25, 4)
    assert windows[-1].tolist() == [48.0, 48.0, 64.0, 64.0]


def test_score_windows_match_crops():
    model = DigitClassifier().eval()
    canvas = torch.randn(1, 32, 32, generator=torch.Generator().manual_seed(0))
    boxes, scores, labels = score_windows(model, canvas, window=16, stride=4)
    x1, y1, x2, y2 = (int(value) for value in boxes[7])
    expected = torch.softmax(model(canvas[None, :, y1:y2, x1:x2]), 1)[0, :BACKGROUND]
    assert labels[7].item() == expected.argmax().item()
    torch.testing.assert_close(scores[7], expected.max())


def test_background_crops_avoid_digits():
    canvases = make_canvases(10, digits_per_image=(2, 3), seed=3)
    digits = load_digits("test", size=16)
    crops, labels = crops_for_training(canvases, digits)
    assert (labels == BACKGROUND).sum().item() == len(digits)
    assert crops.shape == (2 * len(digits), 1, 16, 16)
