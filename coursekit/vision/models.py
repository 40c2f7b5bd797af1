"""Small networks for the vision notebook, each trained on a CPU in seconds.

- `DigitClassifier`: a 16×16 crop to one of 10 digits or "background" (class 10). Notebook 01
  uses it for image classification and, applied to every window of a canvas, as the region scorer
  of an R-CNN-style detector.
- `Localizer`: a canvas with one digit to its class and its box.
- `SuperResolver`: a bicubic upsampling plus a learned residual correction.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from coursekit.vision.boxes import box_convert, box_iou

BACKGROUND = 10  # class index of "no digit" in DigitClassifier


class DigitClassifier(nn.Module):
    """CNN: (N, 1, 16, 16) crops in [-1, 1] to (N, 11) logits, classes 0–9 and background (10)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 16 × 8 × 8
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 32 × 4 × 4
            nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(),
            nn.Linear(64, BACKGROUND + 1),
        )

    def forward(self, crops: torch.Tensor) -> torch.Tensor:
        return self.net(crops)


class Localizer(nn.Module):
    """CNN: canvases (N, 1, S, S) to class logits (N, 10) and a box (N, 4) as "cxcywh" fractions of S."""

    def __init__(self, canvas_size: int = 48):
        super().__init__()
        if canvas_size % 4:
            raise ValueError(f"canvas_size must be a multiple of 4; got {canvas_size}")
        self.canvas_size = canvas_size
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 16 × S/2 × S/2
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 32 × S/4 × S/4
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),  # 64 × S/4 × S/4
        )
        # The class head max-pools over positions, so a digit is recognised wherever it sits.
        # The box head keeps every position, because the digit's position is what it predicts.
        self.classify = nn.Sequential(nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(64, 10))
        self.locate = nn.Sequential(
            nn.Conv2d(64, 8, 1), nn.ReLU(), nn.Flatten(),
            nn.Linear(8 * (canvas_size // 4) ** 2, 4), nn.Sigmoid(),  # fractions of the canvas side
        )

    def forward(self, canvases: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        features = self.features(canvases)
        return self.classify(features), self.locate(features)

    def predict_boxes(self, canvases: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return the predicted labels (N,) and boxes (N, 4) in "xyxy" pixels."""
        with torch.no_grad():
            logits, fractions = self(canvases)
        return logits.argmax(1), box_convert(fractions * self.canvas_size, "cxcywh", "xyxy")


class SuperResolver(nn.Module):
    """Upsample (N, 1, H, W) images by `factor`: bicubic interpolation plus a learned residual."""

    def __init__(self, factor: int = 2):
        super().__init__()
        self.factor = factor
        self.residual = nn.Sequential(
            nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(),
            nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, 1, 3, padding=1),
        )

    def forward(self, low_resolution: torch.Tensor) -> torch.Tensor:
        upsampled = F.interpolate(low_resolution, scale_factor=self.factor, mode="bicubic", align_corners=False)
        return upsampled + self.residual(upsampled)


def _batches(count: int, batch_size: int, generator: torch.Generator):
    order = torch.randperm(count, generator=generator)
    return [order[start : start + batch_size] for start in range(0, count, batch_size)]


def train_classifier(
    crops: torch.Tensor, labels: torch.Tensor, epochs: int, batch_size: int = 64, seed: int = 0
) -> tuple[DigitClassifier, list[float]]:
    """Train a `DigitClassifier` with Adam (learning rate 1e-3) on crops (N, 1, 16, 16) and labels (N,).

    Returns the network in eval mode and the loss of every step.
    """
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = DigitClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    steps = [batch for _ in range(epochs) for batch in _batches(len(labels), batch_size, generator)]
    for batch in tqdm(steps, desc="classifier", leave=False):
        loss = F.cross_entropy(model(crops[batch]), labels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model.eval(), losses


def train_localizer(
    canvases: torch.Tensor, labels: torch.Tensor, boxes: torch.Tensor, epochs: int, batch_size: int = 64, seed: int = 0
) -> tuple[Localizer, list[float]]:
    """Train a `Localizer` on canvases (N, 1, S, S), labels (N,) and one "xyxy" box per canvas (N, 4).

    The loss is cross-entropy for the class plus 5 × the L1 distance of the box in "cxcywh"
    fractions of the canvas side, so classification and regression train together. The factor 5
    was chosen by hand so that neither term dominates at the start of training.
    """
    size = canvases.shape[-1]
    targets = box_convert(boxes, "xyxy", "cxcywh") / size
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = Localizer(size)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    losses = []
    steps = [batch for _ in range(epochs) for batch in _batches(len(labels), batch_size, generator)]
    for batch in tqdm(steps, desc="localizer", leave=False):
        logits, fractions = model(canvases[batch])
        loss = F.cross_entropy(logits, labels[batch]) + 5 * F.l1_loss(fractions, targets[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model.eval(), losses


def train_super_resolver(
    patches: torch.Tensor, steps: int, factor: int = 2, batch_size: int = 16, seed: int = 0
) -> tuple[SuperResolver, list[float]]:
    """Train a `SuperResolver` on high-resolution patches (N, 1, H, W) in [-1, 1] with an MSE loss.

    Each input is its patch shrunk by `factor` with antialiased bilinear resizing, so the
    network learns to undo exactly that degradation.
    """
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = SuperResolver(factor)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    height, width = patches.shape[-2:]
    losses = []
    for _ in tqdm(range(steps), desc="super-resolution", leave=False):
        batch = patches[torch.randint(len(patches), (batch_size,), generator=generator)]
        small = F.interpolate(batch, size=(height // factor, width // factor), mode="bilinear", antialias=True)
        loss = F.mse_loss(model(small), batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model.eval(), losses


def sliding_windows(canvas_size: int, window: int, stride: int) -> torch.Tensor:
    """Return every square window of side `window` at step `stride` as "xyxy" boxes (L, 4)."""
    starts = torch.arange(0, canvas_size - window + 1, stride, dtype=torch.float32)
    y, x = torch.meshgrid(starts, starts, indexing="ij")
    x, y = x.flatten(), y.flatten()
    return torch.stack([x, y, x + window, y + window], dim=1)


def score_windows(model: DigitClassifier, canvas: torch.Tensor, window: int = 16, stride: int = 2):
    """Score every window of one canvas (1, S, S) with the classifier: the R-CNN idea, without learning proposals.

    Returns:
        boxes (L, 4) "xyxy" pixels, scores (L,) the probability of the most likely digit, and
        labels (L,) that digit. Windows most likely background come back with that digit's
        (low) probability, so a score threshold removes them.
    """
    boxes = sliding_windows(canvas.shape[-1], window, stride)
    crops = canvas.unfold(1, window, stride).unfold(2, window, stride)  # (1, rows, cols, window, window)
    crops = crops.reshape(-1, 1, window, window)
    with torch.no_grad():
        probabilities = F.softmax(model(crops), dim=1)[:, :BACKGROUND]
    scores, labels = probabilities.max(dim=1)
    return boxes, scores, labels


def crops_for_training(canvases, digits, max_background_iou: float = 0.5, seed: int = 0):
    """Build the classifier's training set: real digit crops (N_d, 1, s, s) and background windows.

    Background windows are random canvas windows whose IoU with every digit box is below
    `max_background_iou`. Many contain part of a digit, so the scorer learns to reject misaligned
    windows. As many are drawn as there are digits.

    Returns crops (M, 1, s, s) and labels (M,) with BACKGROUND for the windows.
    """
    generator = torch.Generator().manual_seed(seed)
    size, side = canvases.digit_size, canvases.images.shape[-1]
    background = []
    while len(background) < len(digits):
        index = int(torch.randint(len(canvases), (1,), generator=generator))
        x, y = (int(value) for value in torch.randint(0, side - size + 1, (2,), generator=generator))
        window = torch.tensor([[x, y, x + size, y + size]], dtype=torch.float32)
        if canvases.boxes[index].shape[0] and box_iou(window, canvases.boxes[index]).max() >= max_background_iou:
            continue
        background.append(canvases.images[index, :, y : y + size, x : x + size])
    crops = torch.cat([digits.images, torch.stack(background)])
    labels = torch.cat([digits.labels, torch.full((len(background),), BACKGROUND)])
    return crops, labels
