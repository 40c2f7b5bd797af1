"""Benchmark the GAN trainer on the 32×32 digits: quality against wall-clock time, throughput, repeatability.

usage: python benchmarks/bench_gan.py [--epochs 30] [--every 5] [--seeds 0 1 2] [--device cpu] [--quick]

1. Time to quality: conditional DCGANs with ngf = 32 and k = 1 train in chunks of `--every`
   epochs, once per seed in `--seeds` with notebook 04's recipe (D_φ of base width ndf = 24,
   m = 16, Adam lr 4e-4 for G_θ and 2e-4 for D_φ, an R1 penalty γ = 0.1 on every 4th D step) and
   once with plain DCGAN settings (ndf = 32, m = 64, Adam 2e-4 for both, no penalty) for
   comparison. An unconditional DCGAN (m = 32, DCGAN settings, as in notebook 04's part 4)
   follows. After each chunk the table prints the training seconds so far (wall clock,
   evaluation excluded), class coverage, conditional accuracy, the Fréchet distance (the mean over
   10 draws of 1,000 samples, ± its standard deviation over the draws) and its ratio to the
   real-versus-real baseline at the same sample size (the mean over 10 draws of 1,000 training
   images), and improved precision and recall, once for the live G_θ and once for
   the averaged generator (exponential moving average of G_θ's weights, decay 0.99, BatchNorm
   statistics recomputed). The course targets ≥ 95% conditional accuracy, 100% coverage and a
   ratio ≤ 1.5 within 60 s on two CPU cores.
2. Throughput: images per second of `GANTrainer` without averaging and of a minimal plain-PyTorch
   loop that makes the same steps with the same models, alternated over `--repeats` rounds of one
   epoch each; the ratio of the medians should be at least 0.95. It is measured twice: with DCGAN
   settings, and with the recipe's models, m = 16 and lazy R1 penalty (the plain loop then adds
   the same penalty on the same steps). On a CPU both store the weights channels-last, as
   `GANTrainer` does. A third contender, `GANTrainer` with the default averaging, shows
   what the averaged generator costs.
3. Repeatability: whether two runs with one seed give identical losses over their first 20 steps.

Wall-clock numbers depend on the machine and on other processes sharing its cores; the header
prints the CPU count, torch's thread count and the load average so the numbers can be judged.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch

from coursekit.data import load_digits
from coursekit.gan import GANTrainer, build_gan
from coursekit.gan.evaluation import evaluate_generator, load_digits_classifier
from coursekit.gan.losses import discriminator_loss, nonsaturating_generator_loss, r1_penalty

# notebook 04's default conditional run; DCGAN's settings are the comparison
RECIPE = {"ndf": 24, "batch_size": 16, "lr_G": 4e-4, "lr_D": 2e-4, "r1_gamma": 0.1, "r1_interval": 4}
DCGAN = {"ndf": 32, "batch_size": 64, "lr_G": 2e-4, "lr_D": 2e-4, "r1_gamma": 0.0, "r1_interval": 4}
# Settings passed to build_gan. The other settings go to GANTrainer.
MODEL_KEYS = ("ndf",)


def describe(settings: dict) -> str:
    """Return settings as "key value" pairs."""
    return ", ".join(f"{key} {value:g}" for key, value in settings.items())


def split_settings(settings: dict) -> tuple[dict, dict]:
    """Return (build_gan keyword arguments, GANTrainer keyword arguments) of a settings dict."""
    model = {key: value for key, value in settings.items() if key in MODEL_KEYS}
    return model, {key: value for key, value in settings.items() if key not in MODEL_KEYS}


def time_to_quality(
    conditional: bool, settings: dict, epochs: int, every: int, device: torch.device, classifier, seed: int = 0
) -> None:
    train = load_digits("train")
    model_settings, trainer_settings = split_settings(settings)
    generator, discriminator = build_gan(num_classes=10 if conditional else 0, seed=seed, **model_settings)
    trainer = GANTrainer(generator, discriminator, train, progress=False, device=device, seed=seed,
                         **trainer_settings)
    name = "conditional" if conditional else "unconditional"
    described = describe(settings)
    print(f"\n{name} DCGAN, seed {seed}, {described}: quality against training time")
    print("epochs  seconds  generator  coverage  cond.acc  Fréchet ± sd   baseline  ratio  precision  recall")
    seconds = 0.0
    for target in range(every, epochs + 1, every):
        start = time.perf_counter()
        trainer.train(target)
        seconds += time.perf_counter() - start
        for label, model in (("live", trainer.generator), ("averaged", trainer.averaged_generator)):
            scores = evaluate_generator(model, num_samples=1000, classifier=classifier)
            accuracy = "-" if scores.conditional_accuracy is None else f"{scores.conditional_accuracy:.1%}"
            print(
                f"{target:6d}  {seconds:7.1f}  {label:>9s}  {scores.coverage:8.0%}  {accuracy:>8s}  "
                f"{scores.frechet_distance:7.1f} ± {scores.frechet_distance_sd:4.1f}  "
                f"{scores.frechet_baseline:8.1f}  {scores.frechet_ratio:5.2f}  "
                f"{scores.precision:9.2f}  {scores.recall:6.2f}",
                flush=True,
            )


def plain_epoch(generator, discriminator, optimizer_G, optimizer_D, images, labels, settings, first_step, device):
    """Run one epoch of the trainer's conditional steps, written as a minimal PyTorch loop.

    Returns the number of D steps made, so the lazy R1 schedule can continue in the next epoch.
    """
    m, gamma, interval = settings["batch_size"], settings["r1_gamma"], settings["r1_interval"]
    order = torch.randperm(len(images), device=device)
    steps = 0
    for start in range(0, len(images) - m + 1, m):
        index = order[start : start + m]
        x, y = images[index], labels[index]

        z = torch.randn(m, 100, device=device)
        y_fake = torch.randint(0, 10, (m,), device=device)
        with torch.no_grad():
            fake = generator(z, y_fake)
        penalise = gamma > 0 and (first_step + steps) % interval == 0
        if penalise:
            x = x.detach().requires_grad_(True)
        real_logits = discriminator(x, y)
        loss_D = discriminator_loss(real_logits, discriminator(fake, y_fake))
        if penalise:
            loss_D = loss_D + r1_penalty(real_logits, x, interval * gamma)
        optimizer_D.zero_grad()
        loss_D.backward()
        optimizer_D.step()
        steps += 1

        z = torch.randn(m, 100, device=device)
        y_fake = torch.randint(0, 10, (m,), device=device)
        loss_G = nonsaturating_generator_loss(discriminator(generator(z, y_fake), y_fake))
        optimizer_G.zero_grad()
        loss_G.backward()
        optimizer_G.step()
    return steps


def throughput(repeats: int, device: torch.device, settings: dict) -> None:
    train = load_digits("train")
    m = settings["batch_size"]
    images_per_epoch = (len(train) // m) * m

    model_settings, trainer_settings = split_settings(settings)
    generator, discriminator = build_gan(num_classes=10, seed=0, **model_settings)
    trainer = GANTrainer(generator, discriminator, train, progress=False, device=device, seed=0, ema_decay=None,
                         **trainer_settings)
    generator, discriminator = build_gan(num_classes=10, seed=0, **model_settings)
    averaging = GANTrainer(generator, discriminator, train, progress=False, device=device, seed=0,
                           **trainer_settings)
    # The plain loop gets the memory format that GANTrainer picks, so both run the same convolutions.
    memory_format = torch.channels_last if device.type == "cpu" else torch.preserve_format
    plain_G, plain_D = build_gan(num_classes=10, seed=0, **model_settings)
    plain_G = plain_G.to(device, memory_format=memory_format)
    plain_D = plain_D.to(device, memory_format=memory_format)
    optimizer_G = torch.optim.Adam(plain_G.parameters(), lr=settings["lr_G"], betas=(0.5, 0.999))
    optimizer_D = torch.optim.Adam(plain_D.parameters(), lr=settings["lr_D"], betas=(0.5, 0.999))
    images, labels = train.images.to(device), train.labels.to(device)

    trainer.train(1)  # warm-up of all three, untimed
    averaging.train(1)
    plain_steps = plain_epoch(plain_G, plain_D, optimizer_G, optimizer_D, images, labels, settings, 0, device)
    trainer_rates, plain_rates, averaging_rates = [], [], []
    for _ in range(repeats):
        _sync(device)
        start = time.perf_counter()
        plain_steps += plain_epoch(plain_G, plain_D, optimizer_G, optimizer_D, images, labels, settings,
                                   plain_steps, device)
        _sync(device)
        plain_rates.append(images_per_epoch / (time.perf_counter() - start))

        start = time.perf_counter()
        trainer.train(trainer.epoch + 1)
        _sync(device)
        trainer_rates.append(images_per_epoch / (time.perf_counter() - start))

        start = time.perf_counter()
        averaging.train(averaging.epoch + 1)
        _sync(device)
        averaging_rates.append(images_per_epoch / (time.perf_counter() - start))

    trainer_rate, plain_rate = statistics.median(trainer_rates), statistics.median(plain_rates)
    averaging_rate = statistics.median(averaging_rates)
    described = describe(settings)
    print(f"\nthroughput over {repeats} alternating epochs (median, real images per second, conditional DCGAN, "
          f"{described})")
    print(f"GANTrainer        {trainer_rate:8.0f}  (all: {', '.join(f'{r:.0f}' for r in trainer_rates)})")
    print(f"plain PyTorch     {plain_rate:8.0f}  (all: {', '.join(f'{r:.0f}' for r in plain_rates)})")
    print(f"ratio             {trainer_rate / plain_rate:8.3f}  (target ≥ 0.95)")
    averaging_all = ", ".join(f"{r:.0f}" for r in averaging_rates)
    print(f"GANTrainer, averaged generator  {averaging_rate:8.0f}  (all: {averaging_all}); "
          f"{averaging_rate / trainer_rate:.3f} of the rate without averaging")


def repeatability(device: torch.device) -> None:
    train = load_digits("train")
    losses = []
    for _ in range(2):
        generator, discriminator = build_gan(seed=0)
        trainer = GANTrainer(generator, discriminator, train, progress=False, device=device, seed=0)
        trainer.train(1)
        losses.append((trainer.history["D"][:20], trainer.history["G"][:20]))
    print(f"\nsame seed, identical losses over the first 20 steps on {device}: {losses[0] == losses[1]}")


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30, help="epochs of each time-to-quality run (default: 30)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0],
                        help="seeds of the recipe's time-to-quality runs (default: 0, notebook 04's seed)")
    parser.add_argument("--every", type=int, default=5, help="epochs between evaluations (default: 5)")
    parser.add_argument("--repeats", type=int, default=5, help="alternating epochs of the throughput test (default: 5)")
    parser.add_argument("--device", default=None, help="cpu or cuda (default: CUDA when available)")
    parser.add_argument("--quick", action="store_true", help="10 epochs, 3 throughput repeats: a smoke test")
    args = parser.parse_args()
    if args.quick:
        args.epochs, args.repeats = 10, 3

    from coursekit.utils import get_device

    device = get_device(args.device)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"device {device}; {os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}; load average {load}")
    classifier = load_digits_classifier(device=device)
    print(f"digits classifier: {classifier.test_accuracy:.1%} test accuracy")

    for seed in args.seeds:
        time_to_quality(True, RECIPE, args.epochs, args.every, device, classifier, seed)
    time_to_quality(True, DCGAN, args.epochs, args.every, device, classifier)
    time_to_quality(False, {**DCGAN, "batch_size": 32}, args.epochs, args.every, device, classifier)
    throughput(args.repeats, device, DCGAN)
    throughput(args.repeats, device, RECIPE)
    repeatability(device)


if __name__ == "__main__":
    main()
