"""The hidden cases of every graded test cell, keyed by "<assignment>/<test cell grade id>".

Each case builds its own inputs, so the kernel (through `records.emit_hidden_results`) and the
grader (through `verdict`) run exactly the same inputs: the kernel on the student's code, the
grader on coursekit's reference. Inputs are not secret; expected values are never stored. They
are computed by the grader in its own process.

A case's `kind` describes to the student, in the feedback, the sort of input that failed. It
gives away neither the input nor the expected value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from coursekit import vision
from coursekit.check import vision as vision_checks
from coursekit.check.gan import generator64
from coursekit.check.stats import delta, example_predictions, mcnemar_p, monte_carlo_close, paired_bootstrap
from coursekit.check.welcome import normalize
from coursekit.gan import arithmetic, losses
from coursekit.gan.dcgan import Discriminator, Generator
from coursekit.gan.patchgan import PatchDiscriminator
from coursekit.gan.trainer import gan_iteration

# compare(expected, got) returns None on a match, else a message that names no expected value.
Comparison = Callable[[Any, Any], "str | None"]


@dataclass(frozen=True)
class HiddenCase:
    """One hidden input: `run(fn)` applies a candidate (student code or reference) to it."""

    kind: str
    run: Callable[[Callable], Any]
    seed: int | None = None
    rtol: float = 1e-5
    atol: float = 1e-6
    compare: Comparison | None = None


@dataclass(frozen=True)
class HiddenTest:
    """The hidden part of one graded test cell: what it checks, the reference and the cases."""

    key: str
    checked: str
    reference: Callable
    cases: tuple[HiddenCase, ...]
    hint: str = ""


def _call(*args: Any, **kwargs: Any) -> Callable[[Callable], Any]:
    return lambda fn: fn(*args, **kwargs)


def _item(*args: Any) -> Callable[[Callable], Any]:
    """Call the candidate and return the loss as a Python float, as `loss.item()` does."""
    return lambda fn: fn(*args).item()


def _parameter_count(module: nn.Module) -> int:
    return sum(parameter.numel() for parameter in module.parameters())


def _describe_generator(nz: int, ngf: int, channels: int) -> Callable[[Callable], dict]:
    def run(cls):
        generator = cls(nz, ngf, channels)
        images = generator(torch.randn(3, nz))
        return {
            "output shape": tuple(images.shape),
            "parameters": _parameter_count(generator),
            "output within [-1, 1]": bool(images.abs().max() <= 1),
            "strides of the transposed convolutions": [
                module.stride[0] for module in generator.modules() if isinstance(module, nn.ConvTranspose2d)
            ],
        }

    return run


def _describe_patchgan(in_channels: int, ndf: int, n_layers: int, size: int) -> Callable[[Callable], dict]:
    def run(cls):
        discriminator = cls(in_channels, ndf, n_layers)
        logits = discriminator(torch.randn(2, in_channels, size, size))
        return {"output shape": tuple(logits.shape), "parameters": _parameter_count(discriminator)}

    return run


def _weight_sum(model: nn.Module) -> float:
    return sum(float(parameter.detach().double().abs().sum()) for parameter in model.parameters())


def _gan_iteration_case(fn) -> dict:
    """Run one iteration on 8×8 models with k = 2 real minibatches of 5 images and nz = 6."""
    generator = Generator(nz=6, ngf=4, channels=1, image_size=8)
    discriminator = Discriminator(ndf=4, channels=1, image_size=8)
    optimizer_G = torch.optim.SGD(generator.parameters(), lr=0.5)
    optimizer_D = torch.optim.SGD(discriminator.parameters(), lr=0.5)
    real_batches = [torch.rand(5, 1, 8, 8) * 2 - 1 for _ in range(2)]
    d_losses, g_loss = fn(generator, discriminator, optimizer_G, optimizer_D, real_batches, 6)
    return {
        "D losses": [float(value) for value in d_losses],
        "G loss": float(g_loss),
        "sum |w| of G_θ after the step": _weight_sum(generator),
        "sum |w| of D_φ after the step": _weight_sum(discriminator),
    }


def _same_shape_float32_in_range(expected: Any, got: Any) -> str | None:
    """Accept any float32 result of the reference's shape whose values lie in [-1, 1]."""
    if not isinstance(got, np.ndarray):
        return f"returned {type(got).__name__}, not a tensor"
    if got.shape != expected.shape:
        return f"returned shape {tuple(got.shape)}, which is not the input's shape"
    if got.dtype != np.float32:
        return f"returned dtype {got.dtype}; the result must be float32"
    if np.isnan(got).any() or (got.size and (got.min() < -1 or got.max() > 1)):
        return "returned values outside [-1, 1]"
    return None


def _monte_carlo_close(B: int) -> Comparison:
    """Compare p-values as `monte_carlo_close` does, in a message that leaves the reference p out."""
    compare = monte_carlo_close(B)

    def redacted(expected, got):
        if compare(expected, got) is None:
            return None
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            return f"returned {type(got).__name__}, not a p-value"
        return f"p = {float(got):.4f} lies outside the Monte-Carlo tolerance of B = {B} around coursekit's p-value"

    return redacted


def _uint8(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.uint8)


HIDDEN_TESTS: dict[str, HiddenTest] = {}


def _register(test: HiddenTest) -> None:
    if test.key in HIDDEN_TESTS:
        raise ValueError(f"hidden test {test.key!r} is defined twice")
    HIDDEN_TESTS[test.key] = test


_register(HiddenTest(
    key="00_welcome/test_normalize_values",
    checked="the values, shape and dtype of normalize(pixels) against coursekit's reference",
    reference=normalize,
    cases=(
        HiddenCase("a uint8 vector of six evenly spaced values from 0 to 255",
                   _call(_uint8([0, 51, 102, 153, 204, 255]))),
        HiddenCase("a 2×2 uint8 matrix with values next to 0, 127.5 and 255",
                   _call(_uint8([[1, 254], [127, 128]]))),
    ),
    hint="0 must map to -1 and 255 to 1",
))

_register(HiddenTest(
    key="00_welcome/test_normalize_shape_dtype",
    checked="that normalize keeps the batch's shape, returns float32 and stays within [-1, 1]",
    reference=normalize,
    cases=(
        HiddenCase("a random uint8 batch of shape (N, C, H, W) with H ≠ W",
                   lambda fn: fn(torch.randint(0, 256, (4, 3, 8, 5), dtype=torch.uint8)),
                   seed=6, compare=_same_shape_float32_in_range),
    ),
))

_register(HiddenTest(
    key="02_dcgan_generator/test_output_size",
    checked="output_size(size, kernel, stride, padding) against the transposed-convolution formula",
    reference=arithmetic.conv_transpose_output_size,
    cases=(
        HiddenCase("an odd kernel with stride 2 and padding 1", _call(7, 3, 2, 1)),
        HiddenCase("kernel 5, stride 3 and no padding", _call(2, 5, 3, 0)),
        HiddenCase("the DCGAN layer on an odd size", _call(9, 4, 2, 1)),
        HiddenCase("kernel equal to the stride, no padding", _call(3, 2, 2, 0)),
        HiddenCase("a 1×1 input with stride 1", _call(1, 7, 1, 0)),
        HiddenCase("stride 3 with padding 1", _call(12, 3, 3, 1)),
    ),
    hint="(size − 1)·stride − 2·padding + kernel",
))

_register(HiddenTest(
    key="02_dcgan_generator/test_generator",
    checked="the output shape, parameter count, Tanh range and strides of DCGAN64(nz, ngf, channels)",
    reference=generator64,
    cases=tuple(
        HiddenCase(f"DCGAN64 with {kind}", _describe_generator(*arguments), seed=0)
        for kind, arguments in [
            ("a small nz and ngf and one channel", (16, 8, 1)),
            ("nz = 64, ngf = 32 and three channels", (64, 32, 3)),
            ("the standard nz and ngf and one channel", (100, 64, 1)),
            ("a tiny ngf and three channels", (10, 4, 3)),
        ]
    ),
    hint="four stride-2 layers follow a stride-1 projection; bias=False before every BatchNorm",
))

_register(HiddenTest(
    key="03_patchgan_discriminator/test_receptive_field",
    checked="receptive_field(layers) against the backward recursion rf ← (rf − 1)·stride + kernel",
    reference=arithmetic.receptive_field,
    cases=(
        HiddenCase("three stride-1 layers", _call([(5, 1), (5, 1), (5, 1)])),
        HiddenCase("three stride-2 layers with kernel 3", _call([(3, 2), (3, 2), (3, 2)])),
        HiddenCase("mixed kernels and strides", _call([(7, 2), (3, 2), (3, 1)])),
        HiddenCase("four layers with kernel equal to the stride", _call([(2, 2)] * 4)),
        HiddenCase("a shorter PatchGAN stack", _call([(4, 2), (4, 2), (4, 1), (4, 1)])),
        HiddenCase("a single layer", _call([(9, 4)])),
    ),
))

_register(HiddenTest(
    key="03_patchgan_discriminator/test_patchgan",
    checked="the patch-map shape and parameter count of PatchGAN(in_channels, ndf, n_layers)",
    reference=PatchDiscriminator,
    cases=tuple(
        HiddenCase(f"PatchGAN with {kind}", _describe_patchgan(*arguments), seed=0)
        for kind, arguments in [
            ("one channel and n_layers = 2 on a small image", (1, 8, 2, 64)),
            ("three channels and n_layers = 3", (3, 16, 3, 128)),
            ("six channels and n_layers = 4", (6, 32, 4, 256)),
            ("two channels and n_layers = 1", (2, 4, 1, 32)),
        ]
    ),
    hint="kernel 4 and padding 1 everywhere; no bias before BatchNorm",
))

_LN3 = math.log(3)

_register(HiddenTest(
    key="04_minimax_training/test_discriminator_loss",
    checked="discriminator_loss(real_logits, fake_logits).item() against coursekit's reference",
    reference=losses.discriminator_loss,
    cases=(
        HiddenCase("moderate logits of different lengths",
                   _item(torch.tensor([2.0, -1.0, 0.5]), torch.tensor([-3.0, 1.5])),
                   atol=1e-5),
        HiddenCase("extreme logits of ±150", _item(torch.tensor([150.0, -150.0]), torch.tensor([-150.0])), atol=1e-3),
        HiddenCase("patch maps of shape (2, 1, 3, 3)",
                   _item(torch.zeros(2, 1, 3, 3), torch.full((2, 1, 3, 3), _LN3)), atol=1e-5),
    ),
    hint="use F.softplus or F.logsigmoid so that extreme logits stay finite",
))

_register(HiddenTest(
    key="04_minimax_training/test_minimax_generator_loss",
    checked="minimax_generator_loss(fake_logits).item() against coursekit's reference",
    reference=losses.minimax_generator_loss,
    cases=(
        HiddenCase("moderate logits", _item(torch.tensor([-3.0, 1.5, 0.25])), atol=1e-5),
        HiddenCase("extreme logits of −200 and 100", _item(torch.tensor([-200.0, 100.0])), atol=1e-3),
    ),
))

_register(HiddenTest(
    key="04_minimax_training/test_nonsaturating_generator_loss",
    checked="nonsaturating_generator_loss(fake_logits).item() against coursekit's reference",
    reference=losses.nonsaturating_generator_loss,
    cases=(
        HiddenCase("moderate logits", _item(torch.tensor([-3.0, 1.5, 0.25])), atol=1e-5),
        HiddenCase("extreme logits of −200 and 100", _item(torch.tensor([-200.0, 100.0])), atol=1e-3),
    ),
))

_register(HiddenTest(
    key="04_minimax_training/test_gan_iteration",
    checked="the D losses, the G loss and the weights of G_θ and D_φ after one gan_iteration",
    reference=gan_iteration,
    cases=(HiddenCase("k = 2 real minibatches on seeded 8×8 models", _gan_iteration_case,
                      seed=3, rtol=1e-4, atol=1e-6),),
    hint="per real minibatch draw z, make fakes without gradients and take one D step; then draw a fresh z "
    "for the G step with the non-saturating loss",
))

_register(HiddenTest(
    key="05_significance_testing/test_delta",
    checked="delta(y_true, pred_a, pred_b) = accuracy(h_A) − accuracy(h_B)",
    reference=delta,
    cases=(
        HiddenCase("five examples where h_B is better",
                   _call(np.array([0, 1, 2, 3, 4]), np.array([0, 1, 0, 0, 0]), np.array([0, 1, 2, 3, 0])), atol=1e-12),
        HiddenCase("identical systems", _call(np.array([3] * 8), np.array([3] * 8), np.array([3] * 8)), atol=1e-12),
        HiddenCase("Python lists instead of arrays", _call([0, 1], [0, 1], [0, 0]), atol=1e-12),
    ),
))


def _bootstrap_case(n: int, accuracy_a: float, accuracy_b: float, seed: int) -> Callable[[Callable], Any]:
    return lambda fn: fn(*example_predictions(n, accuracy_a, accuracy_b, seed), B=2000, seed=7)


def _identical_systems(fn):
    y, a, _ = example_predictions(80, 0.8, 0.8, seed=33)
    return fn(y, a, a.copy(), B=300, seed=1)


def _b_better(fn):
    return fn(*example_predictions(200, 0.6, 0.9, seed=34), B=300, seed=1)


_register(HiddenTest(
    key="05_significance_testing/test_paired_bootstrap",
    checked="the p-value of paired_bootstrap against coursekit's, within the Monte-Carlo error of B samples",
    reference=paired_bootstrap,
    cases=(
        HiddenCase("a clear improvement of h_A on 300 examples", _bootstrap_case(300, 0.85, 0.78, 30),
                   compare=_monte_carlo_close(2000)),
        HiddenCase("a borderline improvement on 120 examples", _bootstrap_case(120, 0.80, 0.72, 35),
                   compare=_monte_carlo_close(2000)),
        HiddenCase("a small improvement on 500 examples", _bootstrap_case(500, 0.70, 0.66, 32),
                   compare=_monte_carlo_close(2000)),
        HiddenCase("identical systems (δ(D_test) = 0)", _identical_systems),
        HiddenCase("h_B better than h_A (δ(D_test) < 0)", _b_better),
    ),
    hint="δ(D_test) ≤ 0 gives no evidence for h_A, so p = 1.0",
))


def _mcnemar_case(right_a: np.ndarray, right_b: np.ndarray) -> Callable[[Callable], Any]:
    return lambda fn: fn(np.ones(30, dtype=int), right_a.copy(), right_b.copy())


_register(HiddenTest(
    key="05_significance_testing/test_mcnemar",
    checked="mcnemar_p(y_true, pred_a, pred_b) against the exact binomial test",
    reference=mcnemar_p,
    cases=(
        HiddenCase("identical systems (b = c = 0)", lambda fn: fn(np.ones(30, dtype=int), np.ones(30, dtype=int),
                                                                   np.ones(30, dtype=int)), rtol=1e-9, atol=1e-9),
        HiddenCase("b = 20 and c = 10",
                   _mcnemar_case(np.r_[np.ones(20), np.zeros(10)], np.r_[np.zeros(20), np.ones(10)]),
                   rtol=1e-9, atol=1e-9),
        HiddenCase("b = 21 and c = 7 with two ties", _mcnemar_case(np.r_[np.zeros(7), np.ones(23)],
                                                                   np.r_[np.ones(9), np.zeros(21)]),
                   rtol=1e-9, atol=1e-9),
    ),
))


# ---------------------------------------------------------------- 01 vision tasks

def _boxes(*rows) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32).reshape(-1, 4)


def _first(*args: Any) -> Callable[[tuple], Any]:
    """Call the first of the candidate functions that a two-function test cell passes in."""
    return lambda functions: functions[0](*args)


def _second(*args: Any) -> Callable[[tuple], Any]:
    return lambda functions: functions[1](*args)


_register(HiddenTest(
    key="01_vision_tasks/test_box_formats",
    checked="xywh_to_xyxy(boxes) and xyxy_to_cxcywh(boxes) against coursekit's box_convert",
    reference=(vision_checks.xywh_to_xyxy, vision_checks.xyxy_to_cxcywh),
    cases=(
        HiddenCase("xywh_to_xyxy on one box", _first(_boxes((7, 3, 2, 9))), atol=1e-5),
        HiddenCase("xywh_to_xyxy on boxes of zero size, fractional sizes and negative corners",
                   _first(_boxes((0.5, 0.5, 0, 0), (20, 30, 5.5, 1.25), (-4, -4, 8, 8))), atol=1e-5),
        HiddenCase("xywh_to_xyxy on no boxes, shape (0, 4)", _first(_boxes()), atol=1e-5),
        HiddenCase("xyxy_to_cxcywh on one box", _second(_boxes((2, 4, 6, 10))), atol=1e-5),
        HiddenCase("xyxy_to_cxcywh on a point, negative corners and fractional corners",
                   _second(_boxes((0, 0, 0, 0), (-3, 1, 5, 2), (10.5, 20, 30.5, 21))), atol=1e-5),
        HiddenCase("xyxy_to_cxcywh on no boxes, shape (0, 4)", _second(_boxes()), atol=1e-5),
    ),
))

_register(HiddenTest(
    key="01_vision_tasks/test_box_iou",
    checked="the (N, M) IoU matrix of box_iou(boxes_a, boxes_b) against coursekit's",
    reference=vision.box_iou,
    cases=(
        HiddenCase("one box against partly, corner-touching and fully nested boxes",
                   _call(_boxes((0, 0, 4, 4)), _boxes((2, 0, 6, 4), (4, 4, 8, 8), (1, 1, 3, 3))), atol=1e-5),
        HiddenCase("two boxes against two, with thin boxes",
                   _call(_boxes((10, 10, 20, 20), (0, 0, 1, 100)), _boxes((0, 50, 100, 51), (12, 12, 18, 30))),
                   atol=1e-5),
        HiddenCase("boxes of zero area, where IoU must be 0 and never NaN",
                   _call(_boxes((5, 5, 5, 9), (0, 0, 0, 0)), _boxes((5, 5, 5, 9), (0, 0, 0, 0), (0, 0, 10, 10))),
                   atol=1e-5),
        HiddenCase("an empty second set, shape (1, 0)", _call(_boxes((0, 0, 3, 3)), _boxes()), atol=1e-5),
        HiddenCase("negative coordinates and identical boxes",
                   _call(_boxes((-5, -5, 5, 5), (1, 2, 3, 4)), _boxes((0, 0, 5, 5), (1, 2, 3, 4))), atol=1e-5),
    ),
))

_register(HiddenTest(
    key="01_vision_tasks/test_mean_iou",
    checked="mean_iou(confusion), a float, against coursekit's mean over the classes present",
    reference=vision_checks.mean_iou,
    cases=tuple(
        HiddenCase(kind, _call(torch.tensor(matrix)), rtol=0.0, atol=1e-7)
        for kind, matrix in [
            ("a perfect two-class confusion matrix", [[10, 0], [0, 5]]),
            ("three classes with confusions", [[50, 10, 0], [5, 20, 5], [0, 0, 10]]),
            ("four classes, two of them absent", [[0, 0, 0, 0], [0, 4, 1, 0], [0, 2, 6, 0], [0, 0, 0, 0]]),
            ("two classes always confused", [[0, 7], [3, 0]]),
            ("one very large class", [[1000, 1], [1, 1]]),
        ]
    ),
))

_register(HiddenTest(
    key="01_vision_tasks/test_class_aware_nms",
    checked="the kept indices (int64, by decreasing score) of class_aware_nms against coursekit's batched NMS",
    reference=vision_checks.class_aware_nms,
    cases=(
        HiddenCase("identical boxes of two classes",
                   _call(_boxes((0, 0, 10, 10), (0, 0, 10, 10), (0, 0, 10, 10)), torch.tensor([0.3, 0.9, 0.6]),
                         torch.tensor([2, 2, 7]), 0.5)),
        HiddenCase("a chain of overlapping boxes with a low threshold",
                   _call(_boxes((0, 0, 10, 10), (6, 0, 16, 10), (12, 0, 22, 10)), torch.tensor([0.9, 0.8, 0.7]),
                         torch.tensor([0, 0, 0]), 0.2)),
        HiddenCase("the same chain with a higher threshold",
                   _call(_boxes((0, 0, 10, 10), (6, 0, 16, 10), (12, 0, 22, 10)), torch.tensor([0.9, 0.8, 0.7]),
                         torch.tensor([0, 0, 0]), 0.3)),
        HiddenCase("nested boxes of two classes and a distant box",
                   _call(_boxes((0, 0, 10, 10), (1, 1, 11, 11), (2, 2, 12, 12), (30, 30, 40, 40)),
                         torch.tensor([0.1, 0.4, 0.3, 0.2]), torch.tensor([4, 4, 5, 4]), 0.5)),
        HiddenCase("two boxes with IoU just above the threshold",
                   _call(_boxes((0, 0, 10, 10), (5, 0, 15, 10)), torch.tensor([0.8, 0.9]), torch.tensor([0, 0]), 0.25)),
        HiddenCase("two boxes with IoU just below the threshold",
                   _call(_boxes((0, 0, 10, 10), (5, 0, 15, 10)), torch.tensor([0.8, 0.9]), torch.tensor([0, 0]), 0.4)),
        HiddenCase("no boxes", _call(_boxes(), torch.zeros(0), torch.zeros(0, dtype=torch.int64), 0.5)),
    ),
))

_register(HiddenTest(
    key="01_vision_tasks/test_match_detections",
    checked="the true-positive flags (bool) of match_detections against coursekit's greedy matching",
    reference=vision.match_detections,
    cases=(
        HiddenCase("three detections of one object",
                   _call(_boxes((0, 0, 10, 10), (0, 0, 10, 10), (0, 0, 10, 10)), torch.tensor([0.2, 0.9, 0.5]),
                         _boxes((0, 0, 10, 10)), 0.5)),
        HiddenCase("a detection that overlaps an object already taken",
                   _call(_boxes((0, 0, 10, 10), (2, 0, 12, 10)), torch.tensor([0.9, 0.8]),
                         _boxes((0, 0, 10, 10), (30, 30, 40, 40)), 0.5)),
        HiddenCase("two detections and two objects",
                   _call(_boxes((0, 0, 10, 10), (4, 0, 14, 10)), torch.tensor([0.6, 0.7]),
                         _boxes((0, 0, 10, 10), (5, 0, 15, 10)), 0.5)),
        HiddenCase("IoU exactly at the threshold",
                   _call(_boxes((0, 0, 10, 10)), torch.tensor([0.9]), _boxes((0, 0, 20, 10)), 0.5)),
        HiddenCase("IoU just below the threshold",
                   _call(_boxes((0, 0, 10, 10)), torch.tensor([0.9]), _boxes((0, 0, 21, 10)), 0.5)),
        HiddenCase("no objects", _call(_boxes((1, 1, 5, 5)), torch.tensor([0.3]), _boxes(), 0.5)),
        HiddenCase("no detections", _call(_boxes(), torch.zeros(0), _boxes((0, 0, 1, 1)), 0.5)),
    ),
))

_register(HiddenTest(
    key="01_vision_tasks/test_average_precision",
    checked="average_precision(scores, is_true_positive, n_objects), a float, against coursekit's",
    reference=vision.average_precision,
    cases=tuple(
        HiddenCase(kind, _call(*arguments), rtol=0.0, atol=1e-7)
        for kind, arguments in [
            ("five detections with hits after a miss",
             (torch.tensor([0.9, 0.8, 0.7, 0.6, 0.5]), torch.tensor([False, True, False, True, True]), 3)),
            ("scores in increasing order", (torch.tensor([0.1, 0.2, 0.3]), torch.tensor([True, False, False]), 1)),
            ("objects that were never found", (torch.tensor([0.95, 0.9, 0.3]), torch.tensor([True, True, False]), 5)),
            ("unsorted scores", (torch.tensor([0.5, 0.6, 0.7, 0.8]), torch.tensor([True, True, False, True]), 4)),
            ("no true positives", (torch.tensor([0.4, 0.3]), torch.tensor([False, False]), 2)),
            ("no detections", (torch.zeros(0), torch.zeros(0, dtype=torch.bool), 1)),
        ]
    ),
))

_register(HiddenTest(
    key="01_vision_tasks/test_bleu",
    checked="bleu(candidate, references, n), a float, against coursekit's sentence BLEU",
    reference=vision_checks.bleu,
    cases=tuple(
        HiddenCase(kind, _call(candidate.split(), [reference.split() for reference in references], n),
                   rtol=0.0, atol=1e-7)
        for kind, candidate, references, n in [
            ("a repeated word pair, where counts must be clipped", "a cat a cat a cat", ["a cat on a mat"], 1),
            ("two references", "a cat on the mat", ["the cat is on the mat", "a cat lies on a mat"], 2),
            ("BLEU-3 on one reference", "two dogs play in the snow together", ["two dogs are playing in the snow"], 3),
            ("a short caption, where the brevity penalty applies", "a dog", ["a dog runs", "a brown dog runs fast"], 2),
            ("BLEU-4 on a longer caption", "the man rides a horse on the beach", ["a man rides a horse on a beach"], 4),
            ("no common word", "red bus", ["a green tree"], 1),
            ("an empty caption", "", ["a tree"], 1),
        ]
    ),
))

_register(HiddenTest(
    key="01_vision_tasks/test_gram_matrix",
    checked="the (C, C) Gram matrix of gram_matrix(features) against coursekit's, divided by H·W",
    reference=vision_checks.gram_matrix,
    cases=(
        HiddenCase("two orthogonal 2×2 feature maps",
                   _call(torch.tensor([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])), atol=1e-5),
        HiddenCase("one channel with negative values", _call(torch.tensor([[[2.0, -1.0, 0.5]]])), atol=1e-5),
        HiddenCase("four channels of 3×2",
                   _call(torch.arange(24, dtype=torch.float32).reshape(4, 3, 2) / 10), atol=1e-5),
    ),
))


def hidden_test(key: str) -> HiddenTest:
    """Return the hidden test registered as "<assignment>/<grade id>"; raise KeyError naming the known keys."""
    if key not in HIDDEN_TESTS:
        raise KeyError(f"no hidden test {key!r}; known: {', '.join(sorted(HIDDEN_TESTS))}")
    return HIDDEN_TESTS[key]
