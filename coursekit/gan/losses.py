"""The minimax losses of a GAN, computed from logits with the numerically stable softplus.

D_φ(x) = σ(a) for a logit a, so log D_φ(x) = −softplus(−a) and log(1 − D_φ(x)) = −softplus(a);
neither overflows nor takes log 0 for large |a|.

Reference: I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014 (arXiv:1406.2661),
equation 1 and Algorithm 1 (the minimax game), and section 3 (the non-saturating generator loss);
L. Mescheder, A. Geiger and S. Nowozin, "Which Training Methods for GANs do actually Converge?",
ICML 2018 (arXiv:1801.04406), section 4.1 (the R1 gradient penalty).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

GENERATOR_LOSSES = ("non-saturating", "minimax")


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """Return the discriminator's loss, a scalar: the negative of the objective D_φ ascends.

    Args:
        real_logits: D_φ's logits for real images x, any shape (N,) or (N, 1, H', W').
        fake_logits: D_φ's logits for generated images G_θ(z), any shape.

    Notes:
        loss = −(1/m) Σ [log D_φ(x^(i)) + log(1 − D_φ(G_θ(z^(i))))]
             = mean softplus(−a_real) + mean softplus(a_fake),
        the binary cross-entropy with labels real = 1, fake = 0 (Goodfellow et al. 2014,
        Algorithm 1). For PatchGAN maps the mean runs over patches too.
    """
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def minimax_generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """Return the generator's minimax (saturating) loss (1/m) Σ log(1 − D_φ(G_θ(z^(i)))), a scalar.

    G_θ descends it. Its gradient with respect to a logit a is −σ(a)/m, which vanishes when D_φ
    confidently rejects the fakes (D_φ(G_θ(z)) ≈ 0), as it does early in training.

    Notes:
        log(1 − σ(a)) = −softplus(a) (Goodfellow et al. 2014, equation 1 and Algorithm 1).
    """
    return -F.softplus(fake_logits).mean()


def nonsaturating_generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """Return the generator's non-saturating loss −(1/m) Σ log D_φ(G_θ(z^(i))), a scalar.

    Same fixed point as the minimax loss, but its gradient with respect to a logit a is
    −(1 − σ(a))/m, close to −1/m exactly when D_φ(G_θ(z)) ≈ 0 and the minimax loss stalls.

    Notes:
        −log σ(a) = softplus(−a) (Goodfellow et al. 2014, section 3: "train G to maximize
        log D(G(z))").
    """
    return F.softplus(-fake_logits).mean()


def generator_loss(fake_logits: torch.Tensor, kind: str = "non-saturating") -> torch.Tensor:
    """Return the generator loss named by `kind`: "non-saturating" (the default) or "minimax"."""
    if kind == "non-saturating":
        return nonsaturating_generator_loss(fake_logits)
    if kind == "minimax":
        return minimax_generator_loss(fake_logits)
    raise ValueError(f"generator loss must be one of {', '.join(GENERATOR_LOSSES)}; got {kind!r}")


def r1_penalty(real_logits: torch.Tensor, real_images: torch.Tensor, gamma: float) -> torch.Tensor:
    """Return the R1 gradient penalty (γ/2) · (1/m) Σ ‖∇_x a(x^(i))‖², a scalar, for D_φ to descend.

    Args:
        real_logits: D_φ's logits a (N,) or (N, 1, H', W') for the real images. A patch map
            counts through each image's summed logit.
        real_images: the real images x (N, C, H, W) the logits were computed from, with
            requires_grad set before D_φ saw them.
        gamma: weight γ ≥ 0 of the penalty.

    The penalty keeps D_φ flat on the real data: where the data lie, its logit may not change
    steeply with the pixels, so D_φ cannot carve a sharp wall around the training images and
    G_θ keeps receiving useful gradients. The gradient is taken with create_graph=True, so the
    penalty itself can be differentiated with respect to φ.

    Notes:
        R1(φ) = (γ/2) E_x ‖∇_x a_φ(x)‖² over real x only, with a_φ the logit (Mescheder et al.
        2018, equation 9). The gradient is that of the summed logits. With BatchNorm in train
        mode the images of a minibatch interact, so those cross terms are penalised too.
    """
    if not real_images.requires_grad:
        raise ValueError(
            "real_images has no gradient to penalise; call real_images.requires_grad_(True) before D_φ sees them"
        )
    (gradient,) = torch.autograd.grad(real_logits.sum(), real_images, create_graph=True)
    return gamma / 2 * gradient.pow(2).flatten(1).sum(1).mean()
