"""The minimax losses of a GAN, computed from logits with the numerically stable softplus.

D_φ(x) = σ(a) for a logit a, so log D_φ(x) = −softplus(−a) and log(1 − D_φ(x)) = −softplus(a);
neither overflows nor takes log 0 for large |a|.

Reference: I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014 (arXiv:1406.2661),
equation 1 and Algorithm 1 (the minimax game), and section 3 (the non-saturating generator loss).
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
