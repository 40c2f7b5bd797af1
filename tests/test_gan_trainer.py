"""Tests of coursekit.gan.trainer: the k-step schedule, reproducibility, checkpoints and input checks."""

import pytest
import torch

from coursekit.data import load_digits
from coursekit.data.digits import DigitsDataset
from coursekit.gan import GANTrainer, build_gan
from coursekit.gan import trainer as trainer_module
from coursekit.gan.trainer import AVERAGED_BATCHNORM_BATCHES

TINY = {"nz": 8, "ngf": 4, "ndf": 4}


@pytest.fixture(scope="module")
def small_digits():
    digits = load_digits("train")
    return DigitsDataset(digits.images[:96], digits.labels[:96])


def make_trainer(dataset, num_classes=0, **settings):
    generator, discriminator = build_gan(num_classes=num_classes, seed=0, **TINY)
    settings = {"batch_size": 16, "progress": False, "device": "cpu", **settings}
    return GANTrainer(generator, discriminator, dataset, **settings)


def adam_steps(optimizer):
    return int(next(iter(optimizer.state.values()))["step"])


def test_k_steps_one_epoch_history_lengths(small_digits):
    trainer = make_trainer(small_digits, k=3)
    trainer.train(1)  # 96 / 16 = 6 D steps
    assert len(trainer.history["D"]) == 6
    assert len(trainer.history["G"]) == 2


def test_k_steps_optimizer_step_counts(small_digits):
    trainer = make_trainer(small_digits, k=3)
    trainer.train(1)
    assert adam_steps(trainer.optimizer_D) == 6
    assert adam_steps(trainer.optimizer_G) == 2


def test_k_steps_schedule_carries_across_epochs(small_digits):
    trainer = make_trainer(small_digits, k=4)
    trainer.train(2)  # 12 D steps: G steps after D steps 4, 8 and 12
    assert len(trainer.history["G"]) == 3
    assert trainer.d_steps_since_g == 0


def test_k_one_alternates_every_step(small_digits):
    trainer = make_trainer(small_digits, k=1)
    trainer.train(1)
    assert len(trainer.history["G"]) == len(trainer.history["D"]) == 6


@pytest.mark.parametrize("k", [0, -1, 1.5])
def test_non_positive_k_rejected(small_digits, k):
    with pytest.raises(ValueError, match=f"k must be a positive integer .*got {k}"):
        make_trainer(small_digits, k=k)


def test_same_seed_identical_first_20_losses():
    digits = load_digits("train")  # 22 steps of 64
    first = make_trainer(digits, batch_size=64)
    second = make_trainer(digits, batch_size=64)
    first.train(1)
    second.train(1)
    assert first.history["D"][:20] == second.history["D"][:20]
    assert first.history["G"][:20] == second.history["G"][:20]


def test_resume_matches_uninterrupted_run(small_digits, tmp_path):
    straight = make_trainer(small_digits, num_classes=10, k=4)
    straight.train(3)

    first_half = make_trainer(small_digits, num_classes=10, k=4)
    first_half.train(1)
    first_half.save_checkpoint(tmp_path / "gan.pt")
    resumed = make_trainer(small_digits, num_classes=10, k=4)
    resumed.load_checkpoint(tmp_path / "gan.pt")
    resumed.train(3)

    assert resumed.history == straight.history
    for name, value in straight.generator.state_dict().items():
        assert torch.equal(resumed.generator.state_dict()[name], value), name
    for name, value in straight.discriminator.state_dict().items():
        assert torch.equal(resumed.discriminator.state_dict()[name], value), name
    for name, value in straight.averaged_generator.state_dict().items():
        assert torch.equal(resumed.averaged_generator.state_dict()[name], value), name
    assert torch.equal(resumed.samples[-1], straight.samples[-1])


def test_resume_without_averaging_matches_uninterrupted_run(small_digits, tmp_path):
    straight = make_trainer(small_digits, num_classes=10, ema_decay=None)
    straight.train(2)

    first_half = make_trainer(small_digits, num_classes=10, ema_decay=None)
    first_half.train(1)
    first_half.save_checkpoint(tmp_path / "gan.pt")
    resumed = make_trainer(small_digits, num_classes=10, ema_decay=None)
    resumed.load_checkpoint(tmp_path / "gan.pt")
    resumed.train(2)

    assert resumed.history == straight.history
    assert torch.equal(resumed.samples[-1], straight.samples[-1])


def save_format_1_checkpoint(trainer, path):
    """Save `trainer` as coursekit wrote checkpoints before the averaged generator existed."""
    state = trainer.state_dict()
    state["format"] = 1
    del state["averaged_generator"]
    del state["settings"]["ema_decay"]
    torch.save(state, path)


def test_format_1_checkpoint_rejected_when_averaging(small_digits, tmp_path):
    old = make_trainer(small_digits, ema_decay=None)
    old.train(1)
    save_format_1_checkpoint(old, tmp_path / "old.pt")
    with pytest.raises(ValueError, match=r"contains no averaged generator weights.*ema_decay=None to resume"):
        make_trainer(small_digits).load_checkpoint(tmp_path / "old.pt")


def test_format_1_checkpoint_resumes_without_averaging(small_digits, tmp_path):
    straight = make_trainer(small_digits, ema_decay=None)
    straight.train(2)

    old = make_trainer(small_digits, ema_decay=None)
    old.train(1)
    save_format_1_checkpoint(old, tmp_path / "old.pt")
    resumed = make_trainer(small_digits, ema_decay=None)
    resumed.load_checkpoint(tmp_path / "old.pt")
    resumed.train(2)

    assert resumed.history == straight.history
    assert torch.equal(resumed.samples[-1], straight.samples[-1])


def test_averaged_checkpoint_resumed_without_averaging_drops_weights(small_digits, tmp_path):
    trainer = make_trainer(small_digits)
    trainer.train(1)
    trainer.save_checkpoint(tmp_path / "gan.pt")
    resumed = make_trainer(small_digits, ema_decay=None)
    resumed.load_checkpoint(tmp_path / "gan.pt")
    assert resumed.averaged_generator is None
    assert resumed.epoch == 1


def test_checkpoint_of_other_architecture_rejected(small_digits, tmp_path):
    trainer = make_trainer(small_digits)
    trainer.save_checkpoint(tmp_path / "gan.pt")
    generator, discriminator = build_gan(nz=8, ngf=8, ndf=4, seed=0)
    other = GANTrainer(generator, discriminator, small_digits, batch_size=16, progress=False, device="cpu")
    with pytest.raises(ValueError, match=r"contains a generator Generator\(nz=8, ngf=4.*is Generator\(nz=8, ngf=8"):
        other.load_checkpoint(tmp_path / "gan.pt")


@pytest.mark.parametrize("role", ["generator", "discriminator"])
def test_cpu_trainer_stores_weights_channels_last(small_digits, role):
    trainer = make_trainer(small_digits, num_classes=10)
    # A kernel with one input channel or a 1×1 map is contiguous in both layouts, so it proves nothing.
    kernels = [weight for weight in getattr(trainer, role).parameters()
               if weight.ndim == 4 and weight.shape[1] > 1 and weight.shape[2] > 1]
    assert kernels
    assert all(weight.is_contiguous(memory_format=torch.channels_last) for weight in kernels)


def test_missing_checkpoint_rejected(small_digits, tmp_path):
    with pytest.raises(FileNotFoundError, match="train without resuming"):
        make_trainer(small_digits).load_checkpoint(tmp_path / "none.pt")


def test_samples_kept_per_epoch(small_digits):
    trainer = make_trainer(small_digits, num_classes=10, num_fixed=20)
    trainer.train(2)
    assert len(trainer.samples) == 2
    assert trainer.samples[-1].shape == (20, 1, 32, 32)


def test_fixed_labels_conditional_rows():
    digits = load_digits("train")
    trainer = make_trainer(digits, num_classes=10, num_fixed=100)
    assert trainer.fixed_labels[:10].tolist() == [0] * 10
    assert trainer.fixed_labels[-10:].tolist() == [9] * 10


def test_sampling_leaves_generator_unchanged(small_digits):
    trainer = make_trainer(small_digits)
    before = {name: value.clone() for name, value in trainer.generator.state_dict().items()}
    trainer.generate(16)
    for name, value in trainer.generator.state_dict().items():
        assert torch.equal(before[name], value), name
    assert trainer.generator.training


def test_sgd_optimizer_has_momentum(small_digits):
    trainer = make_trainer(small_digits, optimizer="sgd")
    assert isinstance(trainer.optimizer_G, torch.optim.SGD)
    assert trainer.optimizer_G.param_groups[0]["momentum"] == 0.5


def test_adam_optimizer_uses_dcgan_settings(small_digits):
    group = make_trainer(small_digits).optimizer_D.param_groups[0]
    assert group["lr"] == 2e-4
    assert group["betas"] == (0.5, 0.999)


def test_dataset_shape_mismatch_rejected(small_digits):
    generator, discriminator = build_gan(image_size=64, **TINY)
    with pytest.raises(ValueError, match=r"images have shape \(1, 32, 32\) but the generator makes \(1, 64, 64\)"):
        GANTrainer(generator, discriminator, small_digits, progress=False, device="cpu")


def test_conditional_mismatch_rejected(small_digits):
    generator, _ = build_gan(num_classes=10, **TINY)
    _, discriminator = build_gan(**TINY)
    with pytest.raises(ValueError, match="disagree on the classes"):
        GANTrainer(generator, discriminator, small_digits, progress=False, device="cpu")


def test_averaged_generator_one_step_by_hand(small_digits):
    trainer = make_trainer(small_digits, ema_decay=0.9)
    before = [parameter.clone() for parameter in trainer.generator.parameters()]
    trainer.generator_step()
    after = [parameter.clone() for parameter in trainer.generator.parameters()]
    averaged = list(trainer.averaged_generator.parameters())

    assert any(not torch.equal(old, new) for old, new in zip(before, after)), "the generator step changed nothing"
    for old, new, got in zip(before, after, averaged):
        torch.testing.assert_close(got, 0.9 * old + 0.1 * new)


def test_averaged_generator_two_steps_by_hand(small_digits):
    trainer = make_trainer(small_digits, ema_decay=0.5)
    theta_0 = [parameter.clone() for parameter in trainer.generator.parameters()]
    trainer.generator_step()
    theta_1 = [parameter.clone() for parameter in trainer.generator.parameters()]
    trainer.generator_step()
    theta_2 = [parameter.clone() for parameter in trainer.generator.parameters()]

    for t0, t1, t2, got in zip(theta_0, theta_1, theta_2, trainer.averaged_generator.parameters()):
        torch.testing.assert_close(got, 0.25 * t0 + 0.25 * t1 + 0.5 * t2)


def test_averaged_generator_untouched_by_discriminator_steps(small_digits):
    trainer = make_trainer(small_digits, k=3)
    before = [parameter.clone() for parameter in trainer.averaged_generator.parameters()]
    x = small_digits.images[:16]
    trainer.discriminator_step(x)
    for old, new in zip(before, trainer.averaged_generator.parameters()):
        assert torch.equal(old, new)


def test_averaging_leaves_training_unchanged(small_digits):
    averaging = make_trainer(small_digits, num_classes=10, k=2)
    plain = make_trainer(small_digits, num_classes=10, k=2, ema_decay=None)
    averaging.train(2)
    plain.train(2)

    assert averaging.history == plain.history
    for name, value in plain.generator.state_dict().items():
        assert torch.equal(averaging.generator.state_dict()[name], value), name
    for name, value in plain.discriminator.state_dict().items():
        assert torch.equal(averaging.discriminator.state_dict()[name], value), name


def test_ema_decay_none_samples_from_live_generator(small_digits):
    trainer = make_trainer(small_digits, num_classes=10, ema_decay=None)
    trainer.train(1)
    trainer.generator.eval()
    with torch.no_grad():
        expected = trainer.generator(trainer.fixed_noise, trainer.fixed_labels)
    trainer.generator.train()

    assert trainer.averaged_generator is None
    assert trainer.sampling_generator is trainer.generator
    assert torch.equal(trainer.samples[-1], expected)


def test_averaged_samples_come_from_averaged_generator(small_digits):
    trainer = make_trainer(small_digits, num_classes=10)
    trainer.train(1)
    with torch.no_grad():
        expected = trainer.averaged_generator(trainer.fixed_noise, trainer.fixed_labels)
    live = trainer.sample(trainer.fixed_noise, trainer.fixed_labels, averaged=False)

    assert trainer.sampling_generator is trainer.averaged_generator
    assert torch.equal(trainer.samples[-1], expected)
    assert not torch.equal(trainer.samples[-1], live)


def batchnorm_layers(model):
    return [module for module in model.modules() if isinstance(module, torch.nn.BatchNorm2d)]


def test_averaged_batchnorm_statistics_recomputed_not_copied(small_digits):
    trainer = make_trainer(small_digits, ema_decay=0.0)  # d = 0: the averaged weights equal the live ones
    trainer.train(1)
    averaged = trainer.averaged_generator
    for got, live in zip(averaged.parameters(), trainer.generator.parameters()):
        assert torch.equal(got, live)

    pairs = list(zip(batchnorm_layers(averaged), batchnorm_layers(trainer.generator)))
    assert pairs, "the generator has no BatchNorm layers to check"
    for got, live in pairs:
        assert not torch.equal(got.running_mean, live.running_mean)
        assert got.num_batches_tracked.item() == AVERAGED_BATCHNORM_BATCHES
        assert got.momentum == live.momentum


def test_averaged_batchnorm_statistics_by_hand(small_digits):
    trainer = make_trainer(small_digits, ema_decay=0.0)
    trainer.train(1)
    first_layer = batchnorm_layers(trainer.averaged_generator)[0]

    # the inputs of the first BatchNorm layer for the same noise, passed through the layers before it
    rng = torch.Generator().manual_seed(trainer.seed + 2)
    means = []
    with torch.no_grad():
        for _ in range(AVERAGED_BATCHNORM_BATCHES):
            z = torch.randn(trainer.batch_size, trainer.generator.nz, generator=rng)
            activations = []
            hook = batchnorm_layers(trainer.generator)[0].register_forward_hook(
                lambda module, inputs, output: activations.append(inputs[0])
            )
            trainer.generator.eval()
            trainer.generator(z)
            trainer.generator.train()
            hook.remove()
            means.append(activations[0].mean(dim=(0, 2, 3)))

    torch.testing.assert_close(first_layer.running_mean, torch.stack(means).mean(0))


def test_averaged_batchnorm_recomputed_after_generator_step(small_digits):
    trainer = make_trainer(small_digits)
    trainer.train(1)
    before = batchnorm_layers(trainer.averaged_generator)[0].running_mean.clone()
    trainer.generator_step()
    after = batchnorm_layers(trainer.averaged_generator)[0].running_mean
    assert not torch.equal(before, after)


def test_sampling_leaves_averaged_generator_in_eval_mode(small_digits):
    trainer = make_trainer(small_digits)
    trainer.train(1)
    trainer.generate(16)
    assert not trainer.averaged_generator.training


@pytest.mark.parametrize("ema_decay", [1.0, 1.5, -0.1, True, "0.99"])
def test_invalid_ema_decay_rejected(small_digits, ema_decay):
    with pytest.raises(ValueError, match=rf"ema_decay must be a number in \[0, 1\).*got {ema_decay!r}"):
        make_trainer(small_digits, ema_decay=ema_decay)


def test_averaged_sample_without_averaging_rejected(small_digits):
    trainer = make_trainer(small_digits, ema_decay=None)
    with pytest.raises(ValueError, match="averaged=True needs an averaged generator"):
        trainer.generate(4, averaged=True)


def count_r1_penalties(monkeypatch):
    """Wrap the trainer's r1_penalty so that each call records its weight, and return those weights."""
    weights = []
    original = trainer_module.r1_penalty

    def counting(real_logits, real_images, gamma):
        weights.append(gamma)
        return original(real_logits, real_images, gamma)

    monkeypatch.setattr(trainer_module, "r1_penalty", counting)
    return weights


def test_r1_lazy_schedule_across_epochs(small_digits, monkeypatch):
    # 96 images, m = 16: 6 D steps per epoch. Over 2 epochs steps 0, 4 and 8 are penalised, each by 4γ.
    weights = count_r1_penalties(monkeypatch)
    trainer = make_trainer(small_digits, num_classes=10, r1_gamma=0.5, r1_interval=4)
    trainer.train(1)
    assert weights == [2.0, 2.0]
    trainer.train(2)
    assert weights == [2.0, 2.0, 2.0]


def test_r1_interval_one_every_step(small_digits, monkeypatch):
    weights = count_r1_penalties(monkeypatch)
    make_trainer(small_digits, r1_gamma=0.5, r1_interval=1).train(1)
    assert weights == [0.5] * 6


def test_r1_off_by_default(small_digits, monkeypatch):
    weights = count_r1_penalties(monkeypatch)
    make_trainer(small_digits).train(1)
    assert weights == []


def test_r1_changes_discriminator_step(small_digits):
    plain = make_trainer(small_digits, num_classes=10)
    penalised = make_trainer(small_digits, num_classes=10, r1_gamma=10.0, r1_interval=1)
    x, y = small_digits.images[:16], small_digits.labels[:16]
    plain_loss = plain.discriminator_step(x, y)[0]
    penalised_loss = penalised.discriminator_step(x, y, penalise=True)[0]
    # Both record the adversarial loss, so only the weights show the penalty's gradient.
    assert torch.equal(plain_loss, penalised_loss)
    changed = [
        not torch.equal(a, b)
        for a, b in zip(plain.discriminator.parameters(), penalised.discriminator.parameters())
    ]
    assert any(changed)


def test_resume_with_r1_matches_straight_run(small_digits, tmp_path):
    # 6 D steps per epoch and an interval of 4, so a schedule restarted at the checkpoint would differ.
    settings = {"num_classes": 10, "r1_gamma": 0.2, "r1_interval": 4}
    straight = make_trainer(small_digits, **settings)
    straight.train(3)
    first_half = make_trainer(small_digits, **settings)
    first_half.train(1)
    first_half.save_checkpoint(tmp_path / "gan.pt")
    resumed = make_trainer(small_digits, **settings)
    resumed.load_checkpoint(tmp_path / "gan.pt")
    resumed.train(3)
    assert resumed.history == straight.history
    for name, value in straight.discriminator.state_dict().items():
        assert torch.equal(resumed.discriminator.state_dict()[name], value), name


@pytest.mark.parametrize("gamma", [-0.1, float("nan"), float("inf"), True, "0.1"])
def test_bad_r1_gamma_rejected(small_digits, gamma):
    with pytest.raises(ValueError, match=r"r1_gamma must be a finite number ≥ 0 .*got"):
        make_trainer(small_digits, r1_gamma=gamma)


@pytest.mark.parametrize("interval", [0, -4, 1.5, True])
def test_bad_r1_interval_rejected(small_digits, interval):
    with pytest.raises(ValueError, match=r"r1_interval must be a positive integer .*got"):
        make_trainer(small_digits, r1_gamma=0.1, r1_interval=interval)


def test_two_learning_rates(small_digits):
    trainer = make_trainer(small_digits, lr_G=4e-4, lr_D=1e-4)
    assert trainer.optimizer_G.param_groups[0]["lr"] == 4e-4
    assert trainer.optimizer_D.param_groups[0]["lr"] == 1e-4


def test_learning_rates_default_to_lr(small_digits):
    trainer = make_trainer(small_digits, lr=1e-3, lr_G=3e-3)
    assert trainer.optimizer_G.param_groups[0]["lr"] == 3e-3
    assert trainer.optimizer_D.param_groups[0]["lr"] == 1e-3


@pytest.mark.parametrize("name", ["lr", "lr_G", "lr_D"])
def test_non_positive_lr_rejected(small_digits, name):
    with pytest.raises(ValueError, match=rf"{name} must be positive; got 0"):
        make_trainer(small_digits, **{name: 0})


def test_resume_other_lr_warns(small_digits, tmp_path, caplog):
    trainer = make_trainer(small_digits, lr_G=4e-4)
    trainer.train(1)
    trainer.save_checkpoint(tmp_path / "gan.pt")
    resumed = make_trainer(small_digits, lr_G=1e-4)
    resumed.load_checkpoint(tmp_path / "gan.pt")
    assert "trained with lr_G=0.0004; continuing with 0.0001" in caplog.text
    assert resumed.optimizer_G.param_groups[0]["lr"] == 1e-4
