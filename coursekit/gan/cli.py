"""`coursekit train-gan`: train a DCGAN (optionally class-conditional) and write its pictures and metrics."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from coursekit.data.registry import DATASETS

log = logging.getLogger(__name__)

CHECKPOINT = "checkpoint.pt"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "train-gan",
        help="train a DCGAN on a data set; write sample grids, loss curves, metrics and a checkpoint",
        description="Train G_θ and D_φ by alternating minibatch steps (k D steps per G step). OUT receives "
        "samples/epoch_NNN.png (the fixed-noise samples after each epoch), losses.png, metrics.json and "
        f"{CHECKPOINT}. Samples and metrics come from the averaged generator (an exponential moving average of "
        "G_θ's weights) unless --no-ema is given. Metrics from the digits classifier are computed for "
        "--dataset digits only.",
    )
    parser.add_argument("--dataset", default="digits", choices=list(DATASETS), help="training data (default: digits)")
    parser.add_argument("--conditional", action="store_true", help="train a class-conditional GAN G_θ(z, y), D_φ(x, y)")
    parser.add_argument("--epochs", type=int, default=30, help="total epochs, counting resumed ones (default: 30)")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--resume", action="store_true", help=f"continue from OUT/{CHECKPOINT}")
    parser.add_argument("--k", type=int, default=1, help="discriminator steps per generator step (default: 1)")
    parser.add_argument("--batch-size", type=int, default=64, help="minibatch size m (default: 64)")
    parser.add_argument("--optimizer", choices=("adam", "sgd"), default="adam",
                        help="adam: lr 2e-4, betas (0.5, 0.999) as in DCGAN; "
                        "sgd: SGD with momentum 0.5 (default: adam)")
    parser.add_argument("--lr", type=float, default=None, help="learning rate (default: 2e-4 for adam, 0.01 for sgd)")
    parser.add_argument("--generator-loss", choices=("non-saturating", "minimax"), default="non-saturating",
                        help="−log D(G(z)) or log(1 − D(G(z))) (default: non-saturating)")
    parser.add_argument("--ema-decay", type=float, default=0.99,
                        help="decay d in [0, 1) of the averaged generator θ_avg ← d·θ_avg + (1 − d)·θ that samples "
                        "and metrics come from (default: 0.99)")
    parser.add_argument("--no-ema", action="store_true",
                        help="draw samples and metrics from the live G_θ instead of the averaged generator")
    parser.add_argument("--nz", type=int, default=100, help="noise length (default: 100)")
    parser.add_argument("--ngf", type=int, default=32, help="generator base width (default: 32)")
    parser.add_argument("--ndf", type=int, default=32, help="discriminator base width (default: 32)")
    parser.add_argument("--seed", type=int, default=0, help="seed of weights, noise and minibatch order (default: 0)")
    parser.add_argument("--samples", type=int, default=1000, help="samples scored for metrics.json (default: 1000)")
    parser.add_argument("--device", default=None, help="cpu, cuda or cuda:N (default: CUDA when available)")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(run=run, command="train-gan")


def run(args) -> int:
    from coursekit.data import load_dataset
    from coursekit.gan.evaluation import evaluate_generator
    from coursekit.gan.trainer import GANTrainer, build_gan
    from coursekit.plot import save_image_grid, save_losses
    from coursekit.utils import get_device

    if args.epochs < 1:
        raise ValueError(f"--epochs must be at least 1; got {args.epochs}")
    if args.k < 1:
        raise ValueError(f"--k must be at least 1 (discriminator steps per generator step); got {args.k}")
    if not 0 <= args.ema_decay < 1:
        raise ValueError(
            f"--ema-decay must be in [0, 1), or pass --no-ema to switch averaging off; got {args.ema_decay}"
        )
    out = Path(args.out)
    checkpoint = out / CHECKPOINT
    if args.resume and not checkpoint.is_file():
        raise FileNotFoundError(f"--resume needs {checkpoint}; run once without --resume to create it")

    # The DCGAN needs a power-of-two size, so 28×28 MNIST and Fashion-MNIST are resized to 32×32.
    native = DATASETS[args.dataset].size
    size = 1 << (native - 1).bit_length()
    dataset = load_dataset(args.dataset, split="train", size=None if size == native else size)
    image, _ = dataset[0]
    num_classes = 10 if args.conditional else 0  # every registered data set has 10 classes
    generator, discriminator = build_gan(
        channels=image.shape[0], image_size=image.shape[-1], num_classes=num_classes,
        nz=args.nz, ngf=args.ngf, ndf=args.ndf, seed=args.seed,
    )
    trainer = GANTrainer(
        generator, discriminator, dataset, k=args.k, batch_size=args.batch_size, optimizer=args.optimizer,
        lr=args.lr, generator_loss=args.generator_loss, seed=args.seed, device=get_device(args.device),
        num_fixed=100 if args.conditional else 64, ema_decay=None if args.no_ema else args.ema_decay,
        progress=not args.no_progress,
    )
    if args.resume:
        trainer.load_checkpoint(checkpoint)

    rows = 10 if args.conditional else 8

    def save_epoch(trainer: GANTrainer) -> None:
        save_image_grid(trainer.samples[-1], out / "samples" / f"epoch_{trainer.epoch:03d}.png", nrow=rows)
        trainer.save_checkpoint(checkpoint)

    trainer.train(args.epochs, on_epoch_end=save_epoch)
    save_losses({"D": trainer.history["D"], "G": trainer.history["G"]}, out / "losses.png",
                title=f"GAN losses ({args.dataset}, k={args.k})")

    metrics: dict = {"dataset": args.dataset, "conditional": args.conditional, "epochs": trainer.epoch,
                     "final_loss_D": trainer.history["D"][-1], "final_loss_G": trainer.history["G"][-1],
                     "sampled_from": "live generator" if trainer.ema_decay is None else "averaged generator",
                     "ema_decay": trainer.ema_decay}
    if args.dataset == "digits":
        scores = evaluate_generator(trainer.sampling_generator, num_samples=args.samples, seed=args.seed)
        metrics.update(scores.as_dict())
        log.info("sample metrics:\n%s", scores.summary())
    else:
        log.info("no metrics for %s: the scoring classifier is trained on digits only", args.dataset)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    log.info("wrote %s", out)
    return 0
