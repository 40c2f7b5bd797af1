"""`coursekit train-gan`: train a DCGAN (optionally class-conditional) and write its pictures and metrics."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from coursekit.data.registry import DATASETS

log = logging.getLogger(__name__)

CHECKPOINT = "checkpoint.pt"
ADAM_LR_G = 4e-4  # G_θ's Adam learning rate in notebook 04's recipe; D_φ keeps DCGAN's 2e-4


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "train-gan",
        help="train a DCGAN on a data set; write sample grids, loss curves, metrics and a checkpoint",
        description="Train G_θ and D_φ by alternating minibatch steps (k D steps per G step). OUT receives "
        "samples/epoch_NNN.png (the fixed-noise samples after each epoch), losses.png, metrics.json and "
        f"{CHECKPOINT}. Samples and metrics come from the averaged generator (an exponential moving average of "
        "G_θ's weights) unless --no-ema is given. Metrics from the digits classifier are computed for "
        "--dataset digits only. The defaults are notebook 04's recipe, tuned on the digits: D_φ of base width 24, "
        "m = 16, Adam with lr 4e-4 for G_θ and 2e-4 for D_φ, an R1 penalty γ = 0.1 on every 4th D step, 25 epochs.",
    )
    parser.add_argument("--dataset", default="digits", choices=list(DATASETS), help="training data (default: digits)")
    parser.add_argument("--conditional", action="store_true", help="train a class-conditional GAN G_θ(z, y), D_φ(x, y)")
    parser.add_argument("--epochs", type=int, default=25, help="total epochs, counting resumed ones (default: 25)")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--resume", action="store_true", help=f"continue from OUT/{CHECKPOINT}")
    parser.add_argument("--k", type=int, default=1, help="discriminator steps per generator step (default: 1)")
    parser.add_argument("--batch-size", type=int, default=16, help="minibatch size m (default: 16)")
    parser.add_argument("--optimizer", choices=("adam", "sgd"), default="adam",
                        help="adam: betas (0.5, 0.999) as in DCGAN; sgd: SGD with momentum 0.5 (default: adam)")
    parser.add_argument("--lr", type=float, default=None,
                        help="learning rate of both players unless --lr-g or --lr-d is given "
                        "(default: 2e-4 for adam, 0.01 for sgd)")
    parser.add_argument("--lr-g", type=float, default=None,
                        help="learning rate of G_θ (default: --lr when given, otherwise 4e-4 for adam and 0.01 "
                        "for sgd)")
    parser.add_argument("--lr-d", type=float, default=None, help="learning rate of D_φ (default: --lr)")
    parser.add_argument("--r1-gamma", type=float, default=0.1,
                        help="weight γ of the R1 penalty (γ/2)·‖∇_x D_φ(x)‖² on real images; 0 switches it off "
                        "(default: 0.1)")
    parser.add_argument("--r1-interval", type=int, default=4,
                        help="add the R1 penalty, weighted by this number, on every this-many-th D step (default: 4)")
    parser.add_argument("--generator-loss", choices=("non-saturating", "minimax"), default="non-saturating",
                        help="−log D(G(z)) or log(1 − D(G(z))) (default: non-saturating)")
    parser.add_argument("--ema-decay", type=float, default=0.99,
                        help="decay d in [0, 1) of the averaged generator θ_avg ← d·θ_avg + (1 − d)·θ that samples "
                        "and metrics come from (default: 0.99)")
    parser.add_argument("--no-ema", action="store_true",
                        help="draw samples and metrics from the live G_θ instead of the averaged generator")
    parser.add_argument("--nz", type=int, default=100, help="noise length (default: 100)")
    parser.add_argument("--ngf", type=int, default=32, help="generator base width (default: 32)")
    parser.add_argument("--ndf", type=int, default=24, help="discriminator base width (default: 24)")
    parser.add_argument("--seed", type=int, default=0, help="seed of weights, noise and minibatch order (default: 0)")
    parser.add_argument("--samples", type=int, default=1000,
                        help="samples N in one draw scored for metrics.json, at most the 1,437 training digits "
                        "(default: 1000)")
    parser.add_argument("--draws", type=int, default=10,
                        help="draws of N samples whose Fréchet distances metrics.json averages (default: 10)")
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
    if args.r1_gamma < 0:
        raise ValueError(f"--r1-gamma must be at least 0 (0 switches the penalty off); got {args.r1_gamma}")
    if args.r1_interval < 1:
        raise ValueError(
            f"--r1-interval must be at least 1 (1 adds the penalty on every D step); got {args.r1_interval}"
        )
    for flag, value in (("--lr", args.lr), ("--lr-g", args.lr_g), ("--lr-d", args.lr_d)):
        if value is not None and not value > 0:
            raise ValueError(f"{flag} must be positive; got {value}")
    lr_G = args.lr_g
    if lr_G is None and args.lr is None and args.optimizer == "adam":
        lr_G = ADAM_LR_G
    if not 0 <= args.ema_decay < 1:
        raise ValueError(
            f"--ema-decay must be in [0, 1), or pass --no-ema to switch averaging off; got {args.ema_decay}"
        )
    if args.draws < 1:
        raise ValueError(f"--draws must be at least 1; got {args.draws}")
    out = Path(args.out)
    checkpoint = out / CHECKPOINT
    if args.resume and not checkpoint.is_file():
        raise FileNotFoundError(f"--resume needs {checkpoint}; run once without --resume to create it")

    # The DCGAN needs a power-of-two size, so 28×28 MNIST and Fashion-MNIST are resized to 32×32.
    native = DATASETS[args.dataset].size
    size = 1 << (native - 1).bit_length()
    dataset = load_dataset(args.dataset, split="train", size=None if size == native else size)
    image, _ = dataset[0]
    # Check --samples before training, so that a bad value does not cost a whole run.
    if args.dataset == "digits" and not 2 <= args.samples <= len(dataset):
        raise ValueError(f"--samples must be between 2 and {len(dataset)} (the training digits); got {args.samples}")
    num_classes = 10 if args.conditional else 0  # every registered data set has 10 classes
    generator, discriminator = build_gan(
        channels=image.shape[0], image_size=image.shape[-1], num_classes=num_classes,
        nz=args.nz, ngf=args.ngf, ndf=args.ndf, seed=args.seed,
    )
    trainer = GANTrainer(
        generator, discriminator, dataset, k=args.k, batch_size=args.batch_size, optimizer=args.optimizer,
        lr=args.lr, lr_G=lr_G, lr_D=args.lr_d, r1_gamma=args.r1_gamma, r1_interval=args.r1_interval,
        generator_loss=args.generator_loss, seed=args.seed, device=get_device(args.device),
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
                     "ema_decay": trainer.ema_decay, "ngf": args.ngf, "ndf": args.ndf,
                     "batch_size": trainer.batch_size, "lr_G": trainer.lr_G,
                     "lr_D": trainer.lr_D, "r1_gamma": trainer.r1_gamma, "r1_interval": trainer.r1_interval}
    if args.dataset == "digits":
        scores = evaluate_generator(trainer.sampling_generator, num_samples=args.samples, seed=args.seed,
                                    draws=args.draws)
        metrics.update(scores.as_dict())
        log.info("sample metrics:\n%s", scores.summary())
    else:
        log.info("no metrics for %s: the scoring classifier is trained on digits only", args.dataset)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    log.info("wrote %s", out)
    return 0
