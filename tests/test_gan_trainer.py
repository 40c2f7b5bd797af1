"""Tests of coursekit.gan.trainer: the k-step schedule, reproducibility, checkpoints and input checks."""

import pytest
import torch

from coursekit.data import load_digits
from coursekit.data.digits import DigitsDataset
from coursekit.gan import GANTrainer, build_gan

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
    assert torch.equal(resumed.samples[-1], straight.samples[-1])


def test_checkpoint_of_other_architecture_rejected(small_digits, tmp_path):
    trainer = make_trainer(small_digits)
    trainer.save_checkpoint(tmp_path / "gan.pt")
    generator, discriminator = build_gan(nz=8, ngf=8, ndf=4, seed=0)
    other = GANTrainer(generator, discriminator, small_digits, batch_size=16, progress=False, device="cpu")
    with pytest.raises(ValueError, match=r"contains a generator Generator\(nz=8, ngf=4.*is Generator\(nz=8, ngf=8"):
        other.load_checkpoint(tmp_path / "gan.pt")


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
