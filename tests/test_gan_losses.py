"""Tests of coursekit.gan.losses against hand-computed values, and the saturation of the minimax loss."""

import math

import pytest
import torch

from coursekit.gan.losses import (
    discriminator_loss,
    generator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
)

# Logits 0 and ±ln 3 give probabilities 0.5, 0.75 and 0.25 exactly.
LN3 = math.log(3)
REAL_LOGITS = torch.tensor([0.0, LN3])  # D(x) = 0.5, 0.75
FAKE_LOGITS = torch.tensor([0.0, -LN3])  # D(G(z)) = 0.5, 0.25


def test_discriminator_loss_hand_computed():
    # −[(ln 0.5 + ln 0.75)/2 + (ln 0.5 + ln 0.75)/2]
    expected = -(math.log(0.5) + math.log(0.75))
    assert discriminator_loss(REAL_LOGITS, FAKE_LOGITS).item() == pytest.approx(expected, rel=1e-6)


def test_minimax_generator_loss_hand_computed():
    expected = (math.log(1 - 0.5) + math.log(1 - 0.25)) / 2
    assert minimax_generator_loss(FAKE_LOGITS).item() == pytest.approx(expected, rel=1e-6)


def test_nonsaturating_generator_loss_hand_computed():
    expected = -(math.log(0.5) + math.log(0.25)) / 2
    assert nonsaturating_generator_loss(FAKE_LOGITS).item() == pytest.approx(expected, rel=1e-6)


def test_discriminator_loss_equals_binary_cross_entropy():
    real, fake = torch.randn(16), torch.randn(16)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    expected = bce(real, torch.ones(16)) + bce(fake, torch.zeros(16))
    assert torch.allclose(discriminator_loss(real, fake), expected)


def test_losses_finite_for_extreme_logits():
    extreme = torch.tensor([-200.0, 200.0])
    assert torch.isfinite(discriminator_loss(extreme, extreme))
    assert torch.isfinite(minimax_generator_loss(extreme))
    assert torch.isfinite(nonsaturating_generator_loss(extreme))


def test_discriminator_loss_confident_and_right_is_near_zero():
    assert discriminator_loss(torch.tensor([50.0]), torch.tensor([-50.0])).item() < 1e-12


def test_discriminator_loss_on_patch_maps_averages_patches():
    real, fake = torch.zeros(2, 1, 30, 30), torch.zeros(2, 1, 30, 30)
    assert discriminator_loss(real, fake).item() == pytest.approx(2 * math.log(2), rel=1e-6)


def test_minimax_gradient_vanishes_when_discriminator_rejects_fakes():
    logit = torch.tensor([-10.0], requires_grad=True)  # D(G(z)) ≈ 4.5e-5
    minimax_generator_loss(logit).backward()
    assert logit.grad.item() == pytest.approx(-torch.sigmoid(torch.tensor(-10.0)).item(), rel=1e-5)
    assert abs(logit.grad.item()) < 1e-4


def test_nonsaturating_gradient_stays_large_when_discriminator_rejects_fakes():
    logit = torch.tensor([-10.0], requires_grad=True)
    nonsaturating_generator_loss(logit).backward()
    assert logit.grad.item() == pytest.approx(-1.0, abs=1e-4)


def test_both_generator_losses_push_logits_up():
    for loss in (minimax_generator_loss, nonsaturating_generator_loss):
        logit = torch.tensor([0.3], requires_grad=True)
        loss(logit).backward()
        assert logit.grad.item() < 0, loss.__name__


def test_generator_loss_unknown_kind_rejected():
    with pytest.raises(ValueError, match="non-saturating, minimax; got 'wasserstein'"):
        generator_loss(FAKE_LOGITS, "wasserstein")
