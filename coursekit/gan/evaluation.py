"""Score GAN samples of digits with a small digits classifier trained by coursekit.

The classifier labels each sample and embeds it in a 64-dimensional feature space. From these
come class coverage (a mode-collapse alarm), conditional accuracy, the Fréchet distance to real
test images beside the real-versus-real baseline, and improved precision and recall.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from coursekit.data import load_digits
from coursekit.utils import get_device, seed_everything

log = logging.getLogger(__name__)

CACHE_ENV = "COURSEKIT_CACHE"
NUM_DIGITS = 10
FEATURES = 64
# Everything that determines the classifier's weights; a cached file made with other settings is stale.
CLASSIFIER_RECIPE = {
    "version": 1,
    "architecture": "conv32-conv64-conv64-fc64",
    "image_size": 32,
    "epochs": 12,
    "batch_size": 64,
    "lr": 1e-3,
    "max_shift": 2,
    "seed": 0,
}
MIN_TEST_ACCURACY = 0.97
# One draw of N = 1,000 images moves the Fréchet distance by 5% to 19% of its mean (standard deviation
# over draws), too much to compare with a target, so the baseline and the samples are both averaged over draws.
BASELINE_DRAWS = 10
SAMPLE_DRAWS = 10


class DigitsClassifier(nn.Module):
    """A small CNN: digits (N, 1, 32, 32) in [-1, 1] → logits (N, 10), with 64 features per image."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (32, 16, 16)
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (64, 8, 8)
            nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (64, 4, 4)
            nn.Flatten(),
            nn.Linear(64 * 4 * 4, FEATURES), nn.ReLU(),  # the feature space of the metrics
        )
        self.head = nn.Linear(FEATURES, NUM_DIGITS)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Map images (N, 1, 32, 32) to features (N, 64)."""
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map images (N, 1, 32, 32) to logits (N, 10)."""
        return self.head(self.body(x))


def _random_shift(images: torch.Tensor, max_shift: int, rng: torch.Generator) -> torch.Tensor:
    """Shift a minibatch by up to max_shift pixels along each axis, filling with background (-1)."""
    dy, dx = (int(v) for v in torch.randint(-max_shift, max_shift + 1, (2,), generator=rng))
    padded = F.pad(images, (max_shift,) * 4, value=-1.0)
    top, left = max_shift + dy, max_shift + dx
    return padded[:, :, top : top + images.shape[2], left : left + images.shape[3]]


@torch.no_grad()
def classifier_accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    """Return the share of `images` (N, 1, 32, 32) that `model` labels correctly, in [0, 1]."""
    model.eval()
    device = next(model.parameters()).device
    predictions = model(images.to(device)).argmax(1).cpu()
    return float((predictions == labels.cpu()).float().mean())


def train_digits_classifier(device: torch.device | str | None = None) -> tuple[DigitsClassifier, float]:
    """Train the classifier on the digits train split; return it and its test accuracy in [0, 1]."""
    recipe = CLASSIFIER_RECIPE
    device = torch.device(device) if device is not None else get_device()
    train, test = load_digits("train", size=recipe["image_size"]), load_digits("test", size=recipe["image_size"])
    seed_everything(recipe["seed"])
    rng = torch.Generator().manual_seed(recipe["seed"])
    model = DigitsClassifier().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=recipe["lr"])
    images, labels = train.images.to(device), train.labels.to(device)

    model.train()
    for _ in range(recipe["epochs"]):
        order = torch.randperm(len(images), generator=rng).to(device)
        for start in range(0, len(images), recipe["batch_size"]):
            index = order[start : start + recipe["batch_size"]]
            x = _random_shift(images[index], recipe["max_shift"], rng)
            loss = F.cross_entropy(model(x), labels[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()

    accuracy = classifier_accuracy(model, test.images, test.labels)
    log.info("digits classifier: test accuracy %.1f%% on %d images", 100 * accuracy, len(test))
    return model.eval(), accuracy


def default_cache_dir() -> Path:
    """Return the cache folder: $COURSEKIT_CACHE or ~/.cache/coursekit."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "coursekit")


def recipe_key() -> str:
    """Return a short hash of CLASSIFIER_RECIPE; it names the cache file."""
    return hashlib.sha256(json.dumps(CLASSIFIER_RECIPE, sort_keys=True).encode()).hexdigest()[:12]


def load_digits_classifier(
    cache_dir: str | os.PathLike | None = None, device: torch.device | str | None = None
) -> DigitsClassifier:
    """Return the digits classifier in eval mode, trained once and then read from the cache.

    The file `digits_classifier-<key>.pt` in `cache_dir` (default: $COURSEKIT_CACHE or
    ~/.cache/coursekit) stores the weights with the recipe they were trained by. A file that
    cannot be read or whose recipe differs from CLASSIFIER_RECIPE is stale: the classifier is
    trained again (a few seconds on a CPU) and the file replaced. The model's `test_accuracy`
    attribute is its accuracy on the digits test split.

    Raises:
        RuntimeError: the trained classifier reaches less than 97% test accuracy.
    """
    device = torch.device(device) if device is not None else get_device()
    path = Path(cache_dir or default_cache_dir()) / f"digits_classifier-{recipe_key()}.pt"
    model = DigitsClassifier()
    if path.is_file():
        try:
            saved = torch.load(path, map_location="cpu", weights_only=True)
            if saved.get("recipe") == CLASSIFIER_RECIPE:
                model.load_state_dict(saved["state"])
                model.test_accuracy = saved["test_accuracy"]
                return model.to(device).eval()
            log.warning("cached classifier %s was trained by another recipe; training it again", path)
        except (OSError, RuntimeError, KeyError, ValueError) as error:
            log.warning("cached classifier %s cannot be read (%s); training it again", path, error)

    model, accuracy = train_digits_classifier(device)
    if accuracy < MIN_TEST_ACCURACY:
        raise RuntimeError(
            f"the digits classifier reached {accuracy:.1%} test accuracy, below the {MIN_TEST_ACCURACY:.0%} "
            "the metrics need; check CLASSIFIER_RECIPE"
        )
    model.test_accuracy = accuracy
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {key: value.cpu() for key, value in model.state_dict().items()}
    torch.save({"recipe": CLASSIFIER_RECIPE, "state": state, "test_accuracy": accuracy}, path)
    log.info("cached the digits classifier in %s", path)
    return model


@torch.no_grad()
def classify(model: nn.Module, images: torch.Tensor, batch_size: int = 512) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (features (N, 64), predicted labels (N,)) of images (N, 1, 32, 32), both on the CPU."""
    if images.ndim != 4 or tuple(images.shape[1:]) != (1, 32, 32):
        raise ValueError(f"images must have shape (N, 1, 32, 32) like the digits; got {tuple(images.shape)}")
    device = next(model.parameters()).device
    features, labels = [], []
    for batch in images.split(batch_size):
        batch_features = model.features(batch.to(device).float())
        features.append(batch_features.cpu())
        labels.append(model.head(batch_features).argmax(1).cpu())
    return torch.cat(features), torch.cat(labels)


def class_coverage(labels: torch.Tensor, num_classes: int = NUM_DIGITS, min_fraction: float = 0.01) -> float:
    """Return the share of the classes that appear among predicted `labels` (N,), in [0, 1].

    A class appears when at least `min_fraction` of the samples get it, so a few stray samples
    do not hide a collapse. A value below 1 is the mode-collapse alarm: the generator never
    draws some digits.
    """
    counts = torch.bincount(labels.flatten().long(), minlength=num_classes)[:num_classes]
    return int((counts >= max(1, min_fraction * labels.numel())).sum()) / num_classes


def conditional_accuracy(labels: torch.Tensor, requested: torch.Tensor) -> float:
    """Return the share of samples whose predicted label (N,) equals the requested class (N,)."""
    if labels.shape != requested.shape:
        raise ValueError(f"labels {tuple(labels.shape)} and requested {tuple(requested.shape)} must have one shape")
    return float((labels.cpu() == requested.cpu()).float().mean())


def frechet_distance(features_a: torch.Tensor, features_b: torch.Tensor) -> float:
    """Return the Fréchet distance between Gaussians fitted to two feature sets (N_a, F) and (N_b, F).

    Notes:
        d² = ‖μ_a − μ_b‖² + Tr(Σ_a + Σ_b − 2 (Σ_a Σ_b)^{1/2}) (Dowson and Landau 1982; used as
        the FID by Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a
        Local Nash Equilibrium", NeurIPS 2017). Tr (Σ_a Σ_b)^{1/2} is computed as the sum of the
        square roots of the eigenvalues of the symmetric Σ_a^{1/2} Σ_b Σ_a^{1/2}. The estimate
        is biased upwards for small N, so compare values at the same sample sizes only.
    """
    a = features_a.double().cpu().numpy()
    b = features_b.double().cpu().numpy()
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(len(a), len(b)) < 2:
        raise ValueError(f"features must be (N, F) arrays with one F and N ≥ 2; got {a.shape} and {b.shape}")
    mu_a, mu_b = a.mean(0), b.mean(0)
    # atleast_2d: for F = 1 np.cov returns a scalar
    sigma_a, sigma_b = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))

    values, vectors = np.linalg.eigh(sigma_a)
    sqrt_a = (vectors * np.sqrt(values.clip(min=0))) @ vectors.T
    middle = np.linalg.eigvalsh(sqrt_a @ sigma_b @ sqrt_a)
    trace_sqrt = np.sqrt(middle.clip(min=0)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(sigma_a) + np.trace(sigma_b) - 2 * trace_sqrt)


def precision_recall(real_features: torch.Tensor, fake_features: torch.Tensor, k: int = 3) -> tuple[float, float]:
    """Return improved (precision, recall) of fake features (M, F) against real features (N, F).

    Notes:
        Each set's manifold is the union of balls around its points, of radius the distance to
        the k-th nearest neighbour within the set. Precision is the share of fake points inside
        the real manifold (are the samples realistic?), recall the share of real points inside
        the fake manifold (do the samples cover the data?). Kynkäänniemi et al., "Improved
        Precision and Recall Metric for Assessing Generative Models", NeurIPS 2019, section 2.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer; got {k!r}")
    if min(len(real_features), len(fake_features)) <= k:
        raise ValueError(
            f"each feature set needs more than k={k} points; got {len(real_features)} and {len(fake_features)}"
        )
    real, fake = real_features.double().cpu(), fake_features.double().cpu()

    def radii(points: torch.Tensor) -> torch.Tensor:
        # the k-th smallest distance after the point's zero distance to itself
        return torch.cdist(points, points).kthvalue(k + 1, dim=1).values

    def share_inside(queries: torch.Tensor, centres: torch.Tensor, radius: torch.Tensor) -> float:
        return float((torch.cdist(queries, centres) <= radius[None, :]).any(dim=1).double().mean())

    return share_inside(fake, real, radii(real)), share_inside(real, fake, radii(fake))


@dataclass
class SampleMetrics:
    """Scores of generated digits, from the classifier's point of view.

    Attributes:
        num_samples: N, the images in one draw.
        draws: how many draws of N generated images the Fréchet distance averages.
        coverage: share of the 10 digits that appear among all samples (1.0 = all).
        conditional_accuracy: share of all samples labelled as the requested digit; None for an
            unconditional GAN.
        frechet_distance: between a draw of N samples and the 360 test images, the mean over
            the draws.
        frechet_distance_sd: the standard deviation of that distance over the draws; None for
            one draw.
        frechet_baseline: between N real training images and the same test images, the mean
            over BASELINE_DRAWS random draws of the N images.
        frechet_baseline_sd: the standard deviation of that distance over the draws.
        precision, recall: improved precision and recall (k = 3) of the first draw against N
            training images.
    """

    num_samples: int
    draws: int
    coverage: float
    conditional_accuracy: float | None
    frechet_distance: float
    frechet_distance_sd: float | None
    frechet_baseline: float
    frechet_baseline_sd: float
    precision: float
    recall: float

    @property
    def frechet_ratio(self) -> float:
        """frechet_distance / frechet_baseline: 1.0 means as close to the test images as real training images."""
        return self.frechet_distance / self.frechet_baseline

    def as_dict(self) -> dict:
        """Return the metrics and the Fréchet ratio as a JSON-ready dict."""
        return {**asdict(self), "frechet_ratio": self.frechet_ratio}

    def summary(self) -> str:
        """Return a few aligned lines for a notebook or a log."""
        draws = f" × {self.draws} draws" if self.draws > 1 else ""
        lines = [
            f"samples                 {self.num_samples}{draws}",
            f"class coverage          {self.coverage:.0%}",
        ]
        if self.conditional_accuracy is not None:
            lines.append(f"conditional accuracy    {self.conditional_accuracy:.1%}")
        spread = "" if self.frechet_distance_sd is None else f" ± {self.frechet_distance_sd:.2f}"
        lines += [
            f"Fréchet distance        {self.frechet_distance:.2f}{spread}  (real vs real: {self.frechet_baseline:.2f} "
            f"± {self.frechet_baseline_sd:.2f}, ratio {self.frechet_ratio:.2f})",
            f"precision / recall      {self.precision:.2f} / {self.recall:.2f}",
        ]
        return "\n".join(lines)


def _check_num_samples(num_samples: int, num_train: int) -> None:
    """Raise ValueError unless N fits a draw of training images for the baseline."""
    if isinstance(num_samples, bool) or not isinstance(num_samples, int) or not 2 <= num_samples <= num_train:
        raise ValueError(
            f"num_samples must be an integer between 2 and {num_train} (the training images); got {num_samples!r}. "
            f"Pass at most {num_train} images per draw"
        )


def evaluate_samples(
    images: torch.Tensor,
    requested: torch.Tensor | None = None,
    classifier: nn.Module | None = None,
    seed: int = 0,
    num_samples: int | None = None,
) -> SampleMetrics:
    """Score generated digits (D·N, 1, 32, 32) in [-1, 1]; `requested` (D·N,) gives each image's requested class.

    The images are D consecutive draws of N = `num_samples` images each (by default one draw of
    all of them). The Fréchet distance is the mean over the draws of each draw's distance to
    the 360 test images. The real-versus-real baseline is the mean distance of BASELINE_DRAWS
    draws of N training images, seeded with seed, seed + 1 and so on, so N may be at most
    1,437. Coverage and conditional accuracy count all images; precision and recall compare
    the first draw with the first draw of training images.
    """
    classifier = classifier or load_digits_classifier()
    train, test = load_digits("train"), load_digits("test")
    num_samples = len(images) if num_samples is None else num_samples
    _check_num_samples(num_samples, len(train))
    if len(images) == 0 or len(images) % num_samples:
        raise ValueError(
            f"images must contain whole draws of num_samples={num_samples} images; got {len(images)} images. "
            f"Pass a multiple of {num_samples} images or change num_samples"
        )
    baseline_draws = [
        torch.randperm(len(train), generator=torch.Generator().manual_seed(seed + draw))[:num_samples]
        for draw in range(BASELINE_DRAWS)
    ]

    fake_features, fake_labels = classify(classifier, images)
    train_features, _ = classify(classifier, train.images)
    test_features, _ = classify(classifier, test.images)
    baselines = np.array([frechet_distance(train_features[draw], test_features) for draw in baseline_draws])
    sample_draws = fake_features.split(num_samples)
    distances = np.array([frechet_distance(draw, test_features) for draw in sample_draws])
    precision, recall = precision_recall(train_features[baseline_draws[0]], sample_draws[0])
    return SampleMetrics(
        num_samples=num_samples,
        draws=len(sample_draws),
        coverage=class_coverage(fake_labels),
        conditional_accuracy=None if requested is None else conditional_accuracy(fake_labels, requested),
        frechet_distance=float(distances.mean()),
        frechet_distance_sd=float(distances.std(ddof=1)) if len(distances) > 1 else None,
        frechet_baseline=float(baselines.mean()),
        frechet_baseline_sd=float(baselines.std(ddof=1)),
        precision=precision,
        recall=recall,
    )


@torch.no_grad()
def evaluate_generator(
    generator: nn.Module,
    num_samples: int = 1000,
    seed: int = 0,
    classifier: nn.Module | None = None,
    draws: int = SAMPLE_DRAWS,
) -> SampleMetrics:
    """Draw `draws` sets of `num_samples` digits from G_θ (BatchNorm in eval mode) and score them.

    Each draw has fresh noise, and all draws come from one random generator seeded with `seed`.
    A conditional generator receives the labels 0..9 in turn, the same number of each.
    """
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise ValueError(f"draws must be a positive integer; got {draws!r}")
    _check_num_samples(num_samples, len(load_digits("train")))
    device = next(generator.parameters()).device
    rng = torch.Generator(device=device).manual_seed(seed)
    num_classes = getattr(generator, "num_classes", 0)
    requested = torch.arange(num_samples, device=device) % num_classes if num_classes else None

    was_training = generator.training
    generator.eval()
    images = []
    try:
        for _ in range(draws):
            z = torch.randn(num_samples, generator.nz, device=device, generator=rng)
            images.append((generator(z) if requested is None else generator(z, requested)).cpu())
    finally:
        generator.train(was_training)
    requested_all = None if requested is None else requested.cpu().repeat(draws)
    return evaluate_samples(torch.cat(images), requested_all, classifier, seed, num_samples)
