"""Alternating minibatch training of a GAN, after Goodfellow et al. (2014), Algorithm 1.

Each training iteration makes k discriminator steps, each on a fresh noise minibatch and a fresh
minibatch of real images, then one generator step on another fresh noise minibatch. An epoch is
one pass over the real images in minibatches, so it contains ⌊N / m⌋ discriminator steps and about
1/k as many generator steps.

Reference: I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Algorithm 1;
A. Radford et al., "Unsupervised Representation Learning with Deep Convolutional Generative
Adversarial Networks", ICLR 2016, section 4 (Adam with lr 2e-4 and β1 = 0.5);
Y. Yazıcı et al., "The Unusual Effectiveness of Averaging in GAN Training", ICLR 2019 (the
exponential moving average of the generator's weights that the trainer samples from);
L. Mescheder et al., "Which Training Methods for GANs do actually Converge?", ICML 2018 (the R1
gradient penalty); T. Karras et al., "Analyzing and Improving the Image Quality of StyleGAN",
CVPR 2020, section 3.1 (applying the penalty lazily, every few discriminator steps).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from tqdm.auto import tqdm

from coursekit.gan.conditional import ConditionalDiscriminator, ConditionalGenerator
from coursekit.gan.dcgan import Discriminator, Generator
from coursekit.gan.losses import GENERATOR_LOSSES, discriminator_loss, generator_loss, r1_penalty
from coursekit.utils import get_device, seed_everything

log = logging.getLogger(__name__)

OPTIMIZERS = ("adam", "sgd")
DEFAULT_LR = {"adam": 2e-4, "sgd": 0.01}
ADAM_BETAS = (0.5, 0.999)  # DCGAN, section 4: β1 = 0.5 instead of 0.9 steadies training
# Format 2 adds the averaged generator. Format 1 checkpoints still resume into a trainer with ema_decay=None.
CHECKPOINT_FORMAT = 2
LOADABLE_CHECKPOINT_FORMATS = (1, 2)
DEFAULT_EMA_DECAY = 0.99
DEFAULT_R1_INTERVAL = 4
# The averaged generator's BatchNorm statistics are recomputed from this many minibatches of m samples.
AVERAGED_BATCHNORM_BATCHES = 16
BATCHNORM_TYPES = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)
HISTORY_KEYS = ("D", "G", "D(x)", "D(G(z))")


def build_gan(
    channels: int = 1,
    image_size: int = 32,
    num_classes: int = 0,
    nz: int = 100,
    ngf: int = 32,
    ndf: int = 32,
    seed: int = 0,
) -> tuple[nn.Module, nn.Module]:
    """Build a DCGAN pair (G_θ, D_φ) with weights drawn from `seed`.

    Args:
        channels: image channels C (1 for digits).
        image_size: height and width in pixels, a power of two.
        num_classes: 0 for an unconditional GAN; otherwise the number of classes of the
            class-conditional pair `ConditionalGenerator` and `ConditionalDiscriminator`.
        nz, ngf, ndf: noise length and base widths, as in `Generator` and `Discriminator`.
            The defaults 32 (not DCGAN's 64) keep a 32×32 GAN fast on a CPU.
        seed: seed of the initial weights.
    """
    seed_everything(seed)
    if num_classes:
        return (
            ConditionalGenerator(num_classes, nz, ngf, channels, image_size),
            ConditionalDiscriminator(num_classes, ndf, channels, image_size),
        )
    return Generator(nz, ngf, channels, image_size), Discriminator(ndf, channels, image_size)


def gan_iteration(
    generator: nn.Module,
    discriminator: nn.Module,
    optimizer_G: torch.optim.Optimizer,
    optimizer_D: torch.optim.Optimizer,
    real_batches: list[torch.Tensor],
    nz: int,
    generator_loss_kind: str = "non-saturating",
) -> tuple[list[float], float]:
    """Run one training iteration of Algorithm 1 with k = len(real_batches); the teaching version.

    For each real minibatch x (m, C, H, W): draw z = torch.randn(m, nz) from torch's global
    generator, compute G_θ(z) without gradients, and make one step of optimizer_D on
    discriminator_loss(D(x), D(G(z))). Then draw a fresh z = torch.randn(m, nz) and make one
    step of optimizer_G on the generator loss of D(G(z)), gradients flowing through D_φ.
    `GANTrainer` makes the same steps with its own random generators.

    Returns:
        The k discriminator losses and the generator loss, as floats.

    Notes:
        Goodfellow et al. 2014, Algorithm 1: ascend the discriminator objective k times, then
        descend the generator loss once.
    """
    if not real_batches:
        raise ValueError("real_batches is empty; pass k ≥ 1 minibatches of real images")
    device = real_batches[0].device
    d_losses = []
    for x in real_batches:
        z = torch.randn(x.shape[0], nz, device=device)
        with torch.no_grad():
            fake = generator(z)
        loss_D = discriminator_loss(discriminator(x), discriminator(fake))
        optimizer_D.zero_grad()
        loss_D.backward()
        optimizer_D.step()
        d_losses.append(loss_D.item())

    z = torch.randn(real_batches[-1].shape[0], nz, device=device)
    loss_G = generator_loss(discriminator(generator(z)), generator_loss_kind)
    optimizer_G.zero_grad()
    loss_G.backward()
    optimizer_G.step()
    return d_losses, loss_G.item()


def _dataset_tensors(dataset: Dataset) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (images (N, C, H, W), labels (N,)) of a dataset of (image, label) items."""
    if hasattr(dataset, "images") and hasattr(dataset, "labels"):
        return dataset.images, dataset.labels
    # NOTE: this keeps the whole data set in memory (about 600 MB for CIFAR-10 as float32).
    images, labels = [], []
    for batch_images, batch_labels in DataLoader(dataset, batch_size=1024):
        images.append(batch_images)
        labels.append(torch.as_tensor(batch_labels))
    return torch.cat(images), torch.cat(labels)


def _describe(module: nn.Module) -> str:
    config = getattr(module, "config", {})
    return f"{type(module).__name__}({', '.join(f'{key}={value}' for key, value in config.items())})"


class GANTrainer:
    """Train G_θ and D_φ by alternating minibatch steps (Goodfellow et al. 2014, Algorithm 1).

    Args:
        generator: G_θ, called as G(z) or, when it has `num_classes`, as G(z, y).
        discriminator: D_φ returning logits, called as D(x) or D(x, y) to match the generator.
        dataset: (image (C, H, W) in [-1, 1], label) items, for example `load_digits()`.
            It is copied to the device whole.
        k: discriminator steps per generator step (the paper used k = 1).
        batch_size: minibatch size m of each step; the last incomplete minibatch of an epoch
            is dropped, so BatchNorm always sees m images.
        optimizer: "adam" (DCGAN: lr 2e-4, betas (0.5, 0.999)) or "sgd" (the paper: SGD with
            momentum).
        lr: learning rate of both optimizers; defaults to 2e-4 for Adam and 0.01 for SGD.
        lr_G, lr_D: learning rates of G_θ's and of D_φ's optimizer when they should differ
            (a two-time-scale update); each defaults to `lr`.
        momentum: momentum of SGD; ignored by Adam.
        generator_loss: "non-saturating" (−log D(G(z)), the default) or "minimax"
            (log(1 − D(G(z))) as in Algorithm 1).
        seed: seed of the noise and of the minibatch order. The weights are drawn earlier,
            when the models are built (see `build_gan`).
        device: where to train; defaults to `coursekit.utils.get_device()`. On a CPU the models'
            weights are converted to channels-last (NHWC) memory format, which oneDNN convolves faster.
        num_fixed: number of fixed noise vectors whose samples are kept after every epoch.
            A conditional GAN draws them for the labels 0, 1, 2, ... in turn, so a grid with
            one row per class shows each requested class row by row.
        ema_decay: decay d in [0, 1) of the exponential moving average of G_θ's weights that
            samples are drawn from (see Notes); None switches averaging off, so samples come
            from the live G_θ. The default 0.99 averages over roughly the last 100 generator steps.
        r1_gamma: weight γ ≥ 0 of the R1 gradient penalty on D_φ's real images (see
            `coursekit.gan.losses.r1_penalty`). The default 0 trains by Algorithm 1 alone.
        r1_interval: the penalty is added on every r1_interval-th discriminator step only,
            weighted by r1_interval·γ, so on average it weighs γ per step at a fraction of the
            cost (lazy regularisation). 1 adds it on every step.
        progress: show a tqdm progress bar per epoch.

    Attributes:
        generator: the live G_θ that Algorithm 1 trains.
        averaged_generator: the averaged generator (property; None when ema_decay is None).
        sampling_generator: the generator that `sample`, `generate` and the per-epoch samples
            use: the averaged one when averaging is on, otherwise the live G_θ (property).
        history: per-step series "D" and "G" (the losses), "D(x)" and "D(G(z))" (the mean
            probabilities D_φ assigns to the real and fake minibatches of each D step).
        samples: after each epoch, the samples (num_fixed, C, H, W) on the CPU of the fixed noise,
            drawn from `sampling_generator`.
        epoch: completed epochs.

    Notes:
        After every generator step the averaged weights follow θ_avg ← d·θ_avg + (1 − d)·θ,
        starting from θ_avg = θ at construction (Yazıcı et al., "The Unusual Effectiveness of
        Averaging in GAN Training", ICLR 2019). Only weights are averaged. The BatchNorm running
        statistics of the live G_θ fit its own weights, not the averaged ones, so before the
        averaged generator is used after a generator step its statistics are recomputed: the
        running averages are reset, and AVERAGED_BATCHNORM_BATCHES (16) minibatches of m fresh
        noise vectors (and uniform labels for a conditional GAN, from a random generator seeded
        with seed + 2) pass through it in train mode without gradients. The running averages are then the plain
        mean over those minibatches. The recomputation never touches the training's random
        generators, so averaging leaves Algorithm 1 unchanged.

        Samples are drawn in eval mode, so BatchNorm uses its running statistics: a sample does
        not depend on the other samples in the batch, and drawing one does not change the live
        G_θ. The averaged generator stays in eval mode between recomputations.
    """

    def __init__(
        self,
        generator: nn.Module,
        discriminator: nn.Module,
        dataset: Dataset,
        *,
        k: int = 1,
        batch_size: int = 64,
        optimizer: str = "adam",
        lr: float | None = None,
        lr_G: float | None = None,
        lr_D: float | None = None,
        momentum: float = 0.5,
        generator_loss: str = "non-saturating",
        seed: int = 0,
        device: torch.device | str | None = None,
        num_fixed: int = 64,
        ema_decay: float | None = DEFAULT_EMA_DECAY,
        r1_gamma: float = 0.0,
        r1_interval: int = DEFAULT_R1_INTERVAL,
        progress: bool = True,
    ):
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be a positive integer (discriminator steps per generator step); got {k!r}")
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}; got {optimizer!r}")
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(f"generator_loss must be one of {', '.join(GENERATOR_LOSSES)}; got {generator_loss!r}")
        for name, value in (("lr", lr), ("lr_G", lr_G), ("lr_D", lr_D)):
            if value is not None and not value > 0:
                raise ValueError(f"{name} must be positive; got {value!r}")
        if isinstance(num_fixed, bool) or not isinstance(num_fixed, int) or num_fixed < 1:
            raise ValueError(f"num_fixed must be a positive integer; got {num_fixed!r}")
        if ema_decay is not None and (isinstance(ema_decay, bool) or not isinstance(ema_decay, (int, float))
                                      or not 0 <= ema_decay < 1):
            raise ValueError(
                f"ema_decay must be a number in [0, 1), or None to switch averaging off; got {ema_decay!r}"
            )
        number = isinstance(r1_gamma, (int, float)) and not isinstance(r1_gamma, bool)
        if not number or not 0 <= r1_gamma < float("inf"):
            raise ValueError(f"r1_gamma must be a finite number ≥ 0 (0 switches the penalty off); got {r1_gamma!r}")
        if isinstance(r1_interval, bool) or not isinstance(r1_interval, int) or r1_interval < 1:
            raise ValueError(
                f"r1_interval must be a positive integer (1 adds the R1 penalty on every D step); got {r1_interval!r}"
            )
        self.num_classes = getattr(generator, "num_classes", 0)
        if getattr(discriminator, "num_classes", 0) != self.num_classes:
            raise ValueError(
                f"generator and discriminator disagree on the classes: {_describe(generator)} and "
                f"{_describe(discriminator)}; build both with the same num_classes"
            )
        images, labels = _dataset_tensors(dataset)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= len(images):
            raise ValueError(
                f"batch_size must be an integer from 1 to the {len(images)} training images; got {batch_size!r}"
            )
        expected = (generator.channels, generator.image_size, generator.image_size)
        if tuple(images.shape[1:]) != expected:
            raise ValueError(
                f"the dataset's images have shape {tuple(images.shape[1:])} but the generator makes {expected}; "
                "build the models with the dataset's channels and image size"
            )

        self.device = torch.device(device) if device is not None else get_device()
        # oneDNN convolves channels-last (NHWC) weights faster on a CPU: the digits GAN's epochs took
        # about 5% less time in our measurement. CUDA keeps the layout it has.
        memory_format = torch.channels_last if self.device.type == "cpu" else torch.preserve_format
        self.generator = generator.to(self.device, memory_format=memory_format)
        self.discriminator = discriminator.to(self.device, memory_format=memory_format)
        self.images = images.to(self.device)
        self.labels = labels.to(self.device)
        self.k, self.batch_size, self.optimizer_name = k, batch_size, optimizer
        self.lr = DEFAULT_LR[optimizer] if lr is None else lr
        self.lr_G = self.lr if lr_G is None else lr_G
        self.lr_D = self.lr if lr_D is None else lr_D
        self.momentum, self.generator_loss, self.seed, self.progress = momentum, generator_loss, seed, progress
        self.r1_gamma, self.r1_interval = float(r1_gamma), r1_interval
        self.optimizer_G = self._make_optimizer(self.generator, self.lr_G)
        self.optimizer_D = self._make_optimizer(self.discriminator, self.lr_D)

        self.ema_decay = None if ema_decay is None else float(ema_decay)
        self._averaged_generator = None
        if self.ema_decay is not None:
            self._averaged_generator = copy.deepcopy(self.generator).requires_grad_(False).eval()
        self._averaged_batchnorm_stale = True  # True from a G step until the statistics are recomputed

        self.noise_rng = torch.Generator(device=self.device).manual_seed(seed)
        self.data_rng = torch.Generator().manual_seed(seed)
        fixed_rng = torch.Generator(device=self.device).manual_seed(seed + 1)
        self.fixed_noise = torch.randn(num_fixed, generator.nz, device=self.device, generator=fixed_rng)
        self.fixed_labels = (
            torch.arange(num_fixed, device=self.device) * self.num_classes // num_fixed if self.num_classes else None
        )

        self.epoch = 0
        self.d_steps_since_g = 0  # D steps since the last G step; carries over epoch boundaries
        self.history: dict[str, list[float]] = {key: [] for key in HISTORY_KEYS}
        self.samples: list[torch.Tensor] = []

    def _make_optimizer(self, model: nn.Module, lr: float) -> torch.optim.Optimizer:
        if self.optimizer_name == "adam":
            return torch.optim.Adam(model.parameters(), lr=lr, betas=ADAM_BETAS)
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=self.momentum)

    @property
    def conditional(self) -> bool:
        """Whether G_θ and D_φ take class labels."""
        return self.num_classes > 0

    @property
    def averaged_generator(self) -> nn.Module | None:
        """The averaged generator, in eval mode, with BatchNorm statistics for its current weights.

        None when ema_decay is None. Reading it after a generator step recomputes the BatchNorm
        statistics first (see the class Notes), so pass this property, not a stored reference,
        to `evaluate_generator` and similar helpers.
        """
        if self._averaged_generator is None:
            return None
        if self._averaged_batchnorm_stale:
            self._recompute_averaged_batchnorm()
        return self._averaged_generator

    @property
    def sampling_generator(self) -> nn.Module:
        """The generator that samples come from: the averaged one when enabled, else the live G_θ."""
        averaged = self.averaged_generator
        return self.generator if averaged is None else averaged

    @property
    def steps_per_epoch(self) -> int:
        """Discriminator steps per epoch: ⌊N / m⌋."""
        return len(self.images) // self.batch_size

    # ------------------------------------------------------------------ one step of each player

    def _sample_noise(self, m: int) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Draw z (m, nz) ~ N(0, I) and, for a conditional GAN, uniform labels y (m,)."""
        z = torch.randn(m, self.generator.nz, device=self.device, generator=self.noise_rng)
        if not self.conditional:
            return z, None
        y = torch.randint(0, self.num_classes, (m,), device=self.device, generator=self.noise_rng)
        return z, y

    def _G(self, z: torch.Tensor, y: torch.Tensor | None) -> torch.Tensor:
        return self.generator(z) if y is None else self.generator(z, y)

    def _D(self, x: torch.Tensor, y: torch.Tensor | None) -> torch.Tensor:
        return self.discriminator(x) if y is None else self.discriminator(x, y)

    def discriminator_step(
        self, x: torch.Tensor, y: torch.Tensor | None = None, penalise: bool = False
    ) -> tuple[torch.Tensor, ...]:
        """Make one ascent step of D_φ on real images x (m, C, H, W) and a fresh noise minibatch.

        G_θ is held fixed. With `penalise`, r1_interval · R1 (weight r1_gamma) is added to the
        loss. Returns the detached adversarial loss, mean D_φ(x) and mean D_φ(G_θ(z)).
        """
        z, y_fake = self._sample_noise(x.shape[0])
        with torch.no_grad():
            fake = self._G(z, y_fake)

        if penalise:
            x = x.detach().requires_grad_(True)
        real_logits = self._D(x, y if self.conditional else None)
        fake_logits = self._D(fake, y_fake)
        loss = discriminator_loss(real_logits, fake_logits)
        total = loss
        if penalise:
            total = loss + r1_penalty(real_logits, x, self.r1_interval * self.r1_gamma)

        self.optimizer_D.zero_grad(set_to_none=True)
        total.backward()
        self.optimizer_D.step()
        return loss.detach(), torch.sigmoid(real_logits.detach()).mean(), torch.sigmoid(fake_logits.detach()).mean()

    def generator_step(self) -> torch.Tensor:
        """Make one descent step of G_θ on a fresh noise minibatch of size m, D_φ held fixed.

        Returns the detached generator loss.
        """
        z, y = self._sample_noise(self.batch_size)

        self.discriminator.requires_grad_(False)  # gradients flow through D_φ into G_θ only
        try:
            loss = generator_loss(self._D(self._G(z, y), y), self.generator_loss)
            self.optimizer_G.zero_grad(set_to_none=True)
            loss.backward()
        finally:
            self.discriminator.requires_grad_(True)
        self.optimizer_G.step()
        self._update_averaged_generator()
        return loss.detach()

    # ------------------------------------------------------------------ the averaged generator

    @torch.no_grad()
    def _update_averaged_generator(self) -> None:
        """Move θ_avg towards θ: θ_avg ← d·θ_avg + (1 − d)·θ, for every parameter."""
        if self._averaged_generator is None:
            return
        weight = 1.0 - self.ema_decay
        for averaged, live in zip(self._averaged_generator.parameters(), self.generator.parameters()):
            averaged.lerp_(live, weight)
        self._averaged_batchnorm_stale = True

    @torch.no_grad()
    def _recompute_averaged_batchnorm(self) -> None:
        """Recompute the averaged generator's BatchNorm running statistics from fresh noise."""
        model = self._averaged_generator
        batchnorms = [module for module in model.modules() if isinstance(module, BATCHNORM_TYPES)]
        momenta = [module.momentum for module in batchnorms]
        for module in batchnorms:
            module.reset_running_stats()
            module.momentum = None  # None: a cumulative mean over the minibatches, not an exponential one

        rng = torch.Generator(device=self.device).manual_seed(self.seed + 2)
        model.train()
        try:
            for _ in range(AVERAGED_BATCHNORM_BATCHES):
                z = torch.randn(self.batch_size, model.nz, device=self.device, generator=rng)
                if self.conditional:
                    y = torch.randint(0, self.num_classes, (self.batch_size,), device=self.device, generator=rng)
                    model(z, y)
                else:
                    model(z)
        finally:
            model.eval()
            for module, momentum in zip(batchnorms, momenta):
                module.momentum = momentum
        self._averaged_batchnorm_stale = False

    # ------------------------------------------------------------------ epochs

    def train(self, epochs: int, on_epoch_end: Callable[["GANTrainer"], None] | None = None) -> dict[str, list[float]]:
        """Train until `epochs` epochs are complete in total and return the loss history.

        A trainer restored from a checkpoint after e epochs continues with epoch e + 1, so
        `train(epochs)` after resuming ends where an uninterrupted run would. `on_epoch_end` is
        called with the trainer after every epoch (for example to save a sample grid).
        """
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
            raise ValueError(f"epochs must be a non-negative integer; got {epochs!r}")
        if epochs < self.epoch:
            log.warning("nothing to train: %d epochs requested, %d already complete", epochs, self.epoch)

        m, steps = self.batch_size, self.steps_per_epoch
        while self.epoch < epochs:
            first_d_step = len(self.history["D"])  # the R1 schedule counts D steps over the whole run
            order = torch.randperm(len(self.images), generator=self.data_rng)[: steps * m].view(steps, m)
            order = order.to(self.device)
            recorded: dict[str, list[torch.Tensor]] = {key: [] for key in HISTORY_KEYS}
            bar = tqdm(range(steps), desc=f"epoch {self.epoch + 1}/{epochs}", disable=not self.progress, leave=False)
            for step in bar:
                index = order[step]
                x = self.images[index]
                y = self.labels[index] if self.conditional else None

                penalise = self.r1_gamma > 0 and (first_d_step + step) % self.r1_interval == 0
                d_loss, d_real, d_fake = self.discriminator_step(x, y, penalise)
                for key, value in zip(("D", "D(x)", "D(G(z))"), (d_loss, d_real, d_fake)):
                    recorded[key].append(value)
                self.d_steps_since_g += 1

                if self.d_steps_since_g == self.k:
                    recorded["G"].append(self.generator_step())
                    self.d_steps_since_g = 0

            # one transfer per epoch instead of a device synchronisation per step
            epoch_history = {key: torch.stack(values).tolist() if values else [] for key, values in recorded.items()}
            for key, values in epoch_history.items():
                self.history[key].extend(values)
            self.samples.append(self.sample(self.fixed_noise, self.fixed_labels).cpu())
            self.epoch += 1
            means = {key: _mean(values) for key, values in epoch_history.items()}
            log.info(
                "epoch %d/%d: loss D %.3f, loss G %.3f, D(x) %.2f, D(G(z)) %.2f",
                self.epoch, epochs, means["D"], means["G"], means["D(x)"], means["D(G(z))"],
            )
            if on_epoch_end is not None:
                on_epoch_end(self)
        return self.history

    # ------------------------------------------------------------------ sampling

    @torch.no_grad()
    def sample(self, z: torch.Tensor, y: torch.Tensor | None = None, averaged: bool | None = None) -> torch.Tensor:
        """Return G(z) (or G(z, y)) as images (N, C, H, W) in [-1, 1], with BatchNorm in eval mode.

        G is the averaged generator when `averaged` is True, the live G_θ when it is False, and
        `sampling_generator` when it is None.
        """
        if averaged is None:
            averaged = self.ema_decay is not None
        if averaged and self.ema_decay is None:
            raise ValueError("averaged=True needs an averaged generator; build the trainer with an ema_decay in [0, 1)")
        model = self.averaged_generator if averaged else self.generator
        z = z.to(self.device)
        y = None if y is None else y.to(self.device)

        was_training = model.training
        model.eval()
        try:
            return model(z) if y is None else model(z, y)
        finally:
            model.train(was_training)

    def generate(
        self, num_samples: int, labels: torch.Tensor | None = None, seed: int = 0, averaged: bool | None = None
    ) -> torch.Tensor:
        """Draw `num_samples` images (N, C, H, W) from fresh noise seeded by `seed`, as `sample` does.

        The noise comes from its own generator, so generating never changes the training run.
        A conditional GAN needs `labels` (num_samples,), the requested classes.
        """
        if self.conditional and labels is None:
            raise ValueError("this GAN is conditional: pass labels, a tensor of num_samples class indices")
        rng = torch.Generator(device=self.device).manual_seed(seed)
        z = torch.randn(num_samples, self.generator.nz, device=self.device, generator=rng)
        return self.sample(z, labels if self.conditional else None, averaged)

    # ------------------------------------------------------------------ checkpoints

    def state_dict(self) -> dict:
        """Return everything needed to resume exactly: weights, optimizers, random states, history."""
        return {
            "format": CHECKPOINT_FORMAT,
            "generator": {"class": type(self.generator).__name__, "config": self.generator.config,
                          "state": self.generator.state_dict()},
            "discriminator": {"class": type(self.discriminator).__name__, "config": self.discriminator.config,
                              "state": self.discriminator.state_dict()},
            "averaged_generator": None if self._averaged_generator is None else self._averaged_generator.state_dict(),
            "optimizer_G": self.optimizer_G.state_dict(),
            "optimizer_D": self.optimizer_D.state_dict(),
            "settings": {"k": self.k, "batch_size": self.batch_size, "optimizer": self.optimizer_name,
                         "lr": self.lr, "lr_G": self.lr_G, "lr_D": self.lr_D, "momentum": self.momentum,
                         "generator_loss": self.generator_loss, "seed": self.seed, "ema_decay": self.ema_decay,
                         "r1_gamma": self.r1_gamma, "r1_interval": self.r1_interval},
            "epoch": self.epoch,
            "d_steps_since_g": self.d_steps_since_g,
            "noise_rng": self.noise_rng.get_state(),
            "data_rng": self.data_rng.get_state(),
            "fixed_noise": self.fixed_noise.cpu(),
            "fixed_labels": None if self.fixed_labels is None else self.fixed_labels.cpu(),
            "history": self.history,
            "samples": self.samples,
        }

    def save_checkpoint(self, path: str | Path) -> Path:
        """Write the trainer's state to `path` (a .pt file) and return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(self.state_dict(), path)
        log.info("saved checkpoint after epoch %d to %s", self.epoch, path)
        return path

    def load_checkpoint(self, path: str | Path) -> None:
        """Restore a checkpoint written by `save_checkpoint`, so training resumes exactly.

        A checkpoint without averaged weights (format 1, or saved with ema_decay=None) resumes
        only into a trainer with ema_decay=None, because the averaged weights of the run so far
        cannot be rebuilt from it. A checkpoint with averaged weights resumed with
        ema_decay=None drops them, with a warning.

        Raises:
            ValueError: the checkpoint was saved for other models (another class or other
                settings), and the message names both architectures. Also raised when the
                checkpoint contains no averaged weights but this trainer averages.
            FileNotFoundError: there is no file at `path`.
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"checkpoint {path} not found; train without resuming to create it")
        state = torch.load(path, map_location="cpu", weights_only=True)
        if state.get("format") not in LOADABLE_CHECKPOINT_FORMATS:
            formats = " or ".join(str(number) for number in LOADABLE_CHECKPOINT_FORMATS)
            raise ValueError(f"{path} is not a coursekit GAN checkpoint of format {formats}")
        for role, model in (("generator", self.generator), ("discriminator", self.discriminator)):
            saved = state[role]
            current = {"class": type(model).__name__, "config": getattr(model, "config", {})}
            if saved["class"] != current["class"] or saved["config"] != current["config"]:
                saved_text = f"{saved['class']}({', '.join(f'{k}={v}' for k, v in saved['config'].items())})"
                raise ValueError(
                    f"checkpoint {path} contains a {role} {saved_text}, but this trainer's {role} is "
                    f"{_describe(model)}; build the models with the checkpoint's settings or train without resuming"
                )
        averaged_state = state.get("averaged_generator")
        if averaged_state is None and self._averaged_generator is not None:
            raise ValueError(
                f"checkpoint {path} contains no averaged generator weights (it was saved by an older coursekit or "
                f"with ema_decay=None), but this trainer averages with ema_decay={self.ema_decay}; build the trainer "
                "with ema_decay=None to resume it, or train without resuming"
            )
        if averaged_state is not None and self._averaged_generator is None:
            log.warning("checkpoint %s contains averaged generator weights; ema_decay is None, so they are dropped",
                        path)

        settings = state["settings"]
        averaging_both = averaged_state is not None and self._averaged_generator is not None
        if averaging_both and settings["ema_decay"] != self.ema_decay:
            log.warning("checkpoint %s was trained with ema_decay=%r; continuing with %r",
                        path, settings["ema_decay"], self.ema_decay)
        # Checkpoints written before these settings existed trained without the R1 penalty and
        # with one learning rate for both players.
        settings = {"r1_gamma": 0.0, "r1_interval": DEFAULT_R1_INTERVAL, "lr_G": settings["lr"],
                    "lr_D": settings["lr"], **settings}
        names = ["k", "batch_size", "optimizer", "generator_loss", "lr_G", "lr_D", "r1_gamma"]
        if settings["r1_gamma"] or self.r1_gamma:
            names.append("r1_interval")
        for name in names:
            mine = self.optimizer_name if name == "optimizer" else getattr(self, name)
            if settings[name] != mine:
                log.warning("checkpoint %s was trained with %s=%r; continuing with %r",
                            path, name, settings[name], mine)

        self.generator.load_state_dict(state["generator"]["state"])
        self.discriminator.load_state_dict(state["discriminator"]["state"])
        if self._averaged_generator is not None:
            self._averaged_generator.load_state_dict(averaged_state)
            self._averaged_batchnorm_stale = True  # recomputed from the weights and seed alone, as in the run saved
        self.optimizer_G.load_state_dict(state["optimizer_G"])
        self.optimizer_D.load_state_dict(state["optimizer_D"])
        # The saved optimizer states carry the saved learning rates, so set this trainer's, as warned above.
        for optimizer, lr in ((self.optimizer_G, self.lr_G), (self.optimizer_D, self.lr_D)):
            for group in optimizer.param_groups:
                group["lr"] = lr
        self.noise_rng.set_state(state["noise_rng"])
        self.data_rng.set_state(state["data_rng"])
        self.fixed_noise = state["fixed_noise"].to(self.device)
        self.fixed_labels = None if state["fixed_labels"] is None else state["fixed_labels"].to(self.device)
        self.epoch = state["epoch"]
        self.d_steps_since_g = state["d_steps_since_g"]
        self.history = {key: list(values) for key, values in state["history"].items()}
        self.samples = list(state["samples"])
        log.info("resumed from %s after epoch %d", path, self.epoch)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")
