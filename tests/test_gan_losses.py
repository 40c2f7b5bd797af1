"""Tests of coursekit.gan.losses against hand-computed values, and the saturation of the minimax loss."""

import math

import pytest
import torch

from coursekit.gan.losses import (
    discriminator_loss,
    generator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
    r1_penalty,
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


def test_r1_penalty_linear_logit():
    # a(x) = Σ w·x has gradient w for every image, so R1 = (γ/2)·‖w‖² = (0.5/2)·(1 + 4 + 4) = 2.25
    w = torch.tensor([[1.0, -2.0], [0.0, 2.0]])
    x = torch.randn(5, 1, 2, 2, requires_grad=True)
    logits = (x * w).sum((1, 2, 3))
    assert r1_penalty(logits, x, gamma=0.5).item() == pytest.approx(2.25)


def test_r1_penalty_quadratic_logit():
    # a(x) = ½‖x‖² has gradient x, so R1 = (γ/2)·mean ‖x‖² = (2/2)·(1 + 9)/2 = 5
    x = torch.tensor([[[[1.0, 0.0]]], [[[0.0, 3.0]]]], requires_grad=True)
    logits = 0.5 * x.pow(2).sum((1, 2, 3))
    assert r1_penalty(logits, x, gamma=2.0).item() == pytest.approx(5.0)


def test_r1_penalty_patch_map():
    # each of the 4 patch logits is Σ w·x, so the image's summed logit has gradient 4w: R1 = ½·16·‖w‖²
    w = torch.tensor([1.0, 1.0])
    x = torch.randn(3, 1, 1, 2, requires_grad=True)
    logits = (x * w).sum((1, 2, 3))[:, None, None, None].expand(3, 1, 2, 2)
    assert r1_penalty(logits, x, gamma=1.0).item() == pytest.approx(0.5 * 16 * 2)


def test_r1_penalty_reaches_weights():
    # R1 = (γ/2)·‖w‖² for a linear logit, so dR1/dw = γ·w
    w = torch.tensor([3.0, -1.0], requires_grad=True)
    x = torch.randn(4, 1, 1, 2, requires_grad=True)
    r1_penalty((x * w).sum((1, 2, 3)), x, gamma=0.1).backward()
    assert torch.allclose(w.grad, 0.1 * w.detach())


def test_r1_penalty_needs_image_gradients():
    x = torch.randn(2, 1, 2, 2)
    with pytest.raises(ValueError, match=r"requires_grad_\(True\) before D_φ sees them"):
        r1_penalty(x.sum((1, 2, 3)), x, gamma=1.0)
