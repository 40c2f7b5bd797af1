"""Segmentation, instance, keypoint, caption and image metrics against scikit-learn and hand-worked values."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from sklearn.metrics import confusion_matrix as sklearn_confusion_matrix
from sklearn.metrics import jaccard_score

from coursekit.vision import (
    best_instance_iou,
    bleu,
    clipped_precision,
    confusion_matrix,
    gram_matrix,
    label_instances,
    mask_iou,
    mean_iou,
    pck,
    per_class_iou,
    pixel_accuracy,
    psnr,
)


def random_masks(seed: int, classes: int = 4, shape=(20, 30)) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    target = torch.randint(0, classes, shape, generator=generator)
    noise = torch.randint(0, classes, shape, generator=generator)
    keep = torch.rand(shape, generator=generator) < 0.7
    return target, torch.where(keep, target, noise)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_confusion_matrix_matches_sklearn(seed):
    target, prediction = random_masks(seed)
    expected = sklearn_confusion_matrix(target.flatten(), prediction.flatten(), labels=range(4))
    np.testing.assert_array_equal(confusion_matrix(target, prediction, 4).numpy(), expected)


@pytest.mark.parametrize("seed", [3, 4])
def test_per_class_iou_matches_sklearn_jaccard(seed):
    target, prediction = random_masks(seed)
    expected = jaccard_score(target.flatten(), prediction.flatten(), labels=range(4), average=None)
    np.testing.assert_allclose(per_class_iou(confusion_matrix(target, prediction, 4)).numpy(), expected)


def test_mean_iou_matches_sklearn_macro_over_present_classes():
    target, prediction = random_masks(5, classes=3)
    # Class 3 of 4 appears in neither mask: its IoU is NaN and the mean leaves it out.
    matrix = confusion_matrix(target, prediction, 4)
    assert math.isnan(per_class_iou(matrix)[3].item())
    expected = jaccard_score(target.flatten(), prediction.flatten(), labels=range(3), average="macro")
    assert mean_iou(matrix) == pytest.approx(expected)


def test_pixel_accuracy_matches_mean_agreement():
    target, prediction = random_masks(6)
    expected = (target == prediction).double().mean().item()
    assert pixel_accuracy(confusion_matrix(target, prediction, 4)) == pytest.approx(expected)


def test_confusion_matrix_rejects_masks_of_different_sizes():
    with pytest.raises(ValueError, match=r"target has shape \(4, 4\) but prediction has \(4, 5\)"):
        confusion_matrix(torch.zeros(4, 4, dtype=torch.int64), torch.zeros(4, 5, dtype=torch.int64), 2)


def test_confusion_matrix_rejects_label_out_of_range():
    with pytest.raises(ValueError, match=r"labels in \[0, 2\]; they must lie in 0..1"):
        confusion_matrix(torch.tensor([0, 2]), torch.tensor([0, 1]), 2)


def test_confusion_matrix_rejects_float_masks():
    with pytest.raises(TypeError, match="integer label tensor"):
        confusion_matrix(torch.zeros(2, 2), torch.zeros(2, 2, dtype=torch.int64), 2)


def test_metrics_reject_empty_confusion_matrix():
    empty = confusion_matrix(torch.zeros(0, dtype=torch.int64), torch.zeros(0, dtype=torch.int64), 3)
    with pytest.raises(ValueError, match="counts no pixels"):
        mean_iou(empty)


def test_label_instances_counts_components():
    mask = torch.zeros(8, 8, dtype=torch.bool)
    mask[0:2, 0:2] = True
    mask[5:8, 5:8] = True
    mask[2, 2] = True  # touches the first square only at a corner
    assert label_instances(mask).max().item() == 3
    assert label_instances(mask, connectivity=2).max().item() == 2


def test_label_instances_min_size_removes_specks():
    mask = torch.zeros(6, 6, dtype=torch.bool)
    mask[0:3, 0:3] = True
    mask[5, 5] = True
    labels = label_instances(mask, min_size=2)
    assert labels.max().item() == 1
    assert labels[5, 5].item() == 0


def test_label_instances_rejects_integer_mask():
    with pytest.raises(ValueError, match="bool tensor"):
        label_instances(torch.zeros(3, 3, dtype=torch.int64))


def test_mask_iou_hand_worked():
    first = torch.zeros(1, 4, 4, dtype=torch.bool)
    second = torch.zeros(2, 4, 4, dtype=torch.bool)
    first[0, :2, :] = True  # 8 pixels
    second[0, 1:3, :] = True  # 8 pixels, 4 shared
    torch.testing.assert_close(mask_iou(first, second), torch.tensor([[4 / 12, 0.0]]))


def test_mask_iou_rejects_masks_of_different_sizes():
    with pytest.raises(ValueError, match=r"masks of size \(4, 4\) and \(4, 5\)"):
        mask_iou(torch.zeros(1, 4, 4, dtype=torch.bool), torch.zeros(1, 4, 5, dtype=torch.bool))


def test_best_instance_iou_missed_instance_is_zero():
    target = torch.zeros(6, 6, dtype=torch.int64)
    target[:2, :2], target[4:, 4:] = 1, 2
    prediction = torch.zeros(6, 6, dtype=torch.int64)
    prediction[:2, :3] = 1
    torch.testing.assert_close(best_instance_iou(target, prediction), torch.tensor([4 / 6, 0.0]))


def test_best_instance_iou_empty_prediction_gives_zeros():
    target = torch.zeros(4, 4, dtype=torch.int64)
    target[0, 0] = 1
    assert best_instance_iou(target, torch.zeros(4, 4, dtype=torch.int64)).tolist() == [0.0]


def test_pck_hand_worked():
    target = torch.zeros(1, 4, 2)
    predicted = torch.tensor([[[0.0, 1.0], [0.0, 2.0], [3.0, 4.0], [0.0, 2.1]]])
    # α · scale = 0.2 · 10 = 2 pixels: distances 1, 2, 5, 2.1, so two of four are correct.
    assert pck(predicted, target, scale=10.0, alpha=0.2) == pytest.approx(0.5)


def test_pck_counts_only_visible_keypoints():
    target = torch.zeros(1, 3, 2)
    predicted = torch.tensor([[[0.0, 0.0], [9.0, 9.0], [0.0, 1.0]]])
    visible = torch.tensor([[True, False, True]])
    assert pck(predicted, target, scale=torch.tensor([10.0]), alpha=0.1, visible=visible) == 1.0


def test_pck_rejects_no_visible_keypoint():
    with pytest.raises(ValueError, match="no keypoint is visible"):
        pck(torch.zeros(1, 2, 2), torch.zeros(1, 2, 2), 1.0, visible=torch.zeros(1, 2, dtype=torch.bool))


def test_pck_rejects_shape_mismatch():
    with pytest.raises(ValueError, match="target must have the shape of predicted"):
        pck(torch.zeros(1, 2, 2), torch.zeros(1, 3, 2), 1.0)


def test_clipped_precision_clips_repeated_words():
    # "the" appears four times but at most twice in one reference.
    assert clipped_precision("the the the the".split(), ["the cat on the mat".split()], 1) == (2, 4)


def test_bleu_hand_worked_bigram():
    # p1 = 6/6 (each word's count is within the larger count in some reference); bigrams
    # "the cat", "on the" and "the mat" match out of 5, so p2 = 3/5; c = 6 equals the closest
    # reference length, so BP = 1 and BLEU-2 = √(1 · 3/5).
    result = bleu("the cat is on the mat", ["there is a cat on the mat", "the cat sat on the mat"], n=2)
    assert result == pytest.approx(math.sqrt(0.6))


def test_bleu_brevity_penalty():
    # Two words, both matched; r = 6, c = 2: BP = exp(1 − 6/2) = e^−2.
    assert bleu("a man", ["a man is riding a horse"], n=1) == pytest.approx(math.exp(-2))


def test_bleu_identical_caption_is_one():
    assert bleu("two dogs play in the snow", ["two dogs play in the snow"]) == pytest.approx(1.0)


def test_bleu_missing_ngram_order_is_zero():
    # No 4-gram of the candidate is in the reference, and BLEU has no smoothing.
    assert bleu("a dog on grass", ["a dog runs on the grass"], n=4) == 0.0


def test_bleu_empty_candidate_is_zero():
    assert bleu("", ["a cat"]) == 0.0


def test_bleu_rejects_empty_references():
    with pytest.raises(ValueError, match="references must be a non-empty list"):
        bleu("a cat", [])


def test_bleu_rejects_string_as_references():
    with pytest.raises(ValueError, match="references must be a non-empty list"):
        bleu("a cat", "a cat")


def test_psnr_hand_worked():
    # MSE = 0.01 on a range of 2: 10 · log10(4 / 0.01) = 26.02 dB.
    image = torch.zeros(1, 4, 4)
    assert psnr(image + 0.1, image, data_range=2.0) == pytest.approx(10 * math.log10(400))


def test_psnr_identical_images_is_infinite():
    assert psnr(torch.ones(3, 2, 2), torch.ones(3, 2, 2)) == math.inf


def test_psnr_rejects_images_of_different_sizes():
    with pytest.raises(ValueError, match=r"image has shape \(1, 4, 4\) but reference has \(1, 4, 5\)"):
        psnr(torch.zeros(1, 4, 4), torch.zeros(1, 4, 5))


def test_gram_matrix_matches_einsum():
    features = torch.randn(2, 5, 6, 7, generator=torch.Generator().manual_seed(0))
    expected = torch.einsum("nchw,ndhw->ncd", features, features) / 42
    torch.testing.assert_close(gram_matrix(features), expected)


def test_gram_matrix_ignores_position():
    features = torch.randn(3, 8, 8, generator=torch.Generator().manual_seed(1))
    shuffled = features.flatten(1)[:, torch.randperm(64)].reshape(3, 8, 8)
    torch.testing.assert_close(gram_matrix(shuffled), gram_matrix(features))


def test_gram_matrix_rejects_flat_features():
    with pytest.raises(ValueError, match=r"\(C, H, W\) or \(N, C, H, W\)"):
        gram_matrix(torch.zeros(3, 4))
