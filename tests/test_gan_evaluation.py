"""Tests of coursekit.gan.evaluation: the metrics on hand-made features and a short conditional training run."""

import json

import pytest
import torch

from coursekit.cli import main
from coursekit.data import load_digits
from coursekit.gan import GANTrainer, build_gan
from coursekit.gan.evaluation import (
    BASELINE_DRAWS,
    CLASSIFIER_RECIPE,
    class_coverage,
    classifier_accuracy,
    classify,
    conditional_accuracy,
    evaluate_generator,
    evaluate_samples,
    frechet_distance,
    load_digits_classifier,
    precision_recall,
    recipe_key,
)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("coursekit-cache")


@pytest.fixture(scope="session")
def classifier(cache_dir):
    return load_digits_classifier(cache_dir, device="cpu")


def test_frechet_distance_hand_computed():
    # means 1 and 2, variances 2 and 2: 1 + 2 + 2 − 2·√(2·2) = 1
    a, b = torch.tensor([[0.0], [2.0]]), torch.tensor([[1.0], [3.0]])
    assert frechet_distance(a, b) == pytest.approx(1.0, abs=1e-9)


def test_frechet_distance_of_set_with_itself_is_zero():
    features = torch.randn(200, 5, generator=torch.Generator().manual_seed(0))
    assert frechet_distance(features, features) == pytest.approx(0.0, abs=1e-8)


def test_frechet_distance_diagonal_gaussians():
    # Σ_a = I, Σ_b = 4I in 3 dimensions: Tr(I + 4I − 2·2I) = 3, plus ‖μ_a − μ_b‖² = 0
    rng = torch.Generator().manual_seed(1)
    a = torch.randn(20000, 3, generator=rng)
    b = 2 * torch.randn(20000, 3, generator=rng)
    assert frechet_distance(a, b) == pytest.approx(3.0, abs=0.15)


def test_precision_recall_hand_computed():
    real = torch.tensor([[0.0], [1.0], [2.0], [3.0]])  # k = 1: every real radius is 1
    fake = torch.tensor([[0.5], [10.0]])  # radii 9.5: the fake balls cover every real point
    assert precision_recall(real, fake, k=1) == (0.5, 1.0)


def test_precision_recall_too_few_points_rejected():
    with pytest.raises(ValueError, match="more than k=3 points"):
        precision_recall(torch.zeros(3, 2), torch.zeros(10, 2))


def test_class_coverage_half_the_digits():
    assert class_coverage(torch.arange(100) % 5) == 0.5


def test_class_coverage_ignores_stray_samples():
    labels = torch.cat([torch.zeros(999, dtype=torch.long), torch.tensor([7])])
    assert class_coverage(labels) == 0.1


def test_conditional_accuracy_counts_matches():
    assert conditional_accuracy(torch.tensor([1, 2, 3, 3]), torch.tensor([1, 2, 3, 4])) == 0.75


def test_classifier_reaches_97_percent(classifier):
    test = load_digits("test")
    assert classifier_accuracy(classifier, test.images, test.labels) >= 0.97


def test_classifier_cache_file_keyed_by_recipe(classifier, cache_dir):
    assert (cache_dir / f"digits_classifier-{recipe_key()}.pt").is_file()


def test_classifier_cache_reload_gives_same_weights(classifier, cache_dir):
    again = load_digits_classifier(cache_dir, device="cpu")
    for name, value in classifier.state_dict().items():
        assert torch.equal(again.state_dict()[name].cpu(), value.cpu()), name


def test_classifier_stale_cache_detected(classifier, cache_dir, caplog):
    path = cache_dir / f"digits_classifier-{recipe_key()}.pt"
    stale = torch.load(path, weights_only=True)
    stale["recipe"] = {**CLASSIFIER_RECIPE, "epochs": 1}
    stale_dir = cache_dir / "stale"
    stale_dir.mkdir()
    torch.save(stale, stale_dir / path.name)
    load_digits_classifier(stale_dir, device="cpu")
    assert "trained by another recipe" in caplog.text


def test_baseline_is_mean_over_draws(classifier):
    train, test = load_digits("train"), load_digits("test")
    train_features, _ = classify(classifier, train.images)
    test_features, _ = classify(classifier, test.images)
    distances = []
    for draw in range(BASELINE_DRAWS):
        subset = torch.randperm(len(train), generator=torch.Generator().manual_seed(7 + draw))[:300]
        distances.append(frechet_distance(train_features[subset], test_features))
    expected = torch.tensor(distances, dtype=torch.float64)

    metrics = evaluate_samples(train.images[:300], classifier=classifier, seed=7)
    assert metrics.frechet_baseline == pytest.approx(float(expected.mean()))
    assert metrics.frechet_baseline_sd == pytest.approx(float(expected.std()))
    assert metrics.frechet_baseline_sd > 0
    assert "± " in metrics.summary()


def test_distance_is_mean_over_sample_draws(classifier):
    train, test = load_digits("train"), load_digits("test")
    images, labels = train.images[:600], train.labels[:600]
    test_features, _ = classify(classifier, test.images)
    features, _ = classify(classifier, images)
    per_draw = torch.tensor([frechet_distance(features[i : i + 200], test_features) for i in (0, 200, 400)],
                            dtype=torch.float64)

    metrics = evaluate_samples(images, labels, classifier=classifier, num_samples=200)
    assert metrics.num_samples == 200
    assert metrics.draws == 3
    assert metrics.frechet_distance == pytest.approx(float(per_draw.mean()))
    assert metrics.frechet_distance_sd == pytest.approx(float(per_draw.std()))
    assert metrics.conditional_accuracy == pytest.approx(classifier_accuracy(classifier, images, labels))
    # the baseline is drawn at N = 200, not at the 600 images passed in
    one_draw = evaluate_samples(images[:200], classifier=classifier)
    assert metrics.frechet_baseline == pytest.approx(one_draw.frechet_baseline)
    assert "200 × 3 draws" in metrics.summary()


def test_one_draw_has_no_spread(classifier):
    metrics = evaluate_samples(load_digits("train").images[:100], classifier=classifier)
    assert metrics.draws == 1
    assert metrics.frechet_distance_sd is None
    assert "draws" not in metrics.summary()
    assert json.loads(json.dumps(metrics.as_dict()))["frechet_distance_sd"] is None


def test_generator_draws_fresh_noise_per_draw(classifier):
    generator, _ = build_gan(num_classes=10, seed=0)
    generator.eval()
    rng = torch.Generator().manual_seed(5)
    requested = torch.arange(100) % 10
    with torch.no_grad():
        images = torch.cat([generator(torch.randn(100, generator.nz, generator=rng), requested) for _ in range(3)])
    expected = evaluate_samples(images, requested.repeat(3), classifier, seed=5, num_samples=100)

    metrics = evaluate_generator(generator, num_samples=100, seed=5, classifier=classifier, draws=3)
    assert metrics == expected
    assert metrics.frechet_distance_sd > 0


@pytest.mark.parametrize(
    ("num_samples", "draws", "message"),
    [(0, 2, "num_samples must be an integer between 2 and 1437"), (5000, 2, "got 5000"),
     (100, 0, "draws must be a positive integer; got 0"), (100, 2.5, "got 2.5")],
)
def test_bad_draw_sizes_rejected(classifier, num_samples, draws, message):
    generator, _ = build_gan(seed=0)
    with pytest.raises(ValueError, match=message):
        evaluate_generator(generator, num_samples=num_samples, classifier=classifier, draws=draws)


def test_partial_draw_rejected(classifier):
    with pytest.raises(ValueError, match="whole draws of num_samples=200 images; got 450 images"):
        evaluate_samples(load_digits("train").images[:450], classifier=classifier, num_samples=200)


def test_conditional_gan_short_run_draws_requested_digits(classifier):
    generator, discriminator = build_gan(num_classes=10, seed=0)
    trainer = GANTrainer(generator, discriminator, load_digits(), progress=False, device="cpu")
    trainer.train(10)
    metrics = evaluate_generator(trainer.generator, num_samples=500, classifier=classifier)
    assert metrics.conditional_accuracy >= 0.85
    assert metrics.coverage == 1.0


def test_train_gan_command_writes_outputs(tmp_path, cache_dir, classifier, monkeypatch):
    monkeypatch.setenv("COURSEKIT_CACHE", str(cache_dir))
    out = tmp_path / "run"
    assert main(["train-gan", "--dataset", "digits", "--conditional", "--epochs", "1", "--out", str(out),
                 "--ngf", "8", "--ndf", "8", "--samples", "100", "--no-progress", "--device", "cpu"]) == 0
    assert (out / "samples" / "epoch_001.png").is_file()
    assert (out / "losses.png").is_file()
    assert (out / "checkpoint.pt").is_file()
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["epochs"] == 1
    assert 0 <= metrics["conditional_accuracy"] <= 1
    assert metrics["sampled_from"] == "averaged generator"
    assert metrics["ema_decay"] == 0.99
    recipe = {key: metrics[key] for key in ("batch_size", "lr_G", "lr_D", "r1_gamma", "r1_interval")}
    assert recipe == {"batch_size": 16, "lr_G": 4e-4, "lr_D": 2e-4, "r1_gamma": 0.1, "r1_interval": 4}
    assert metrics["ndf"] == 8
    assert metrics["num_samples"] == 100
    assert metrics["draws"] == 10
    assert metrics["frechet_distance_sd"] > 0


def test_train_gan_command_no_ema_uses_live_generator(tmp_path, cache_dir, classifier, monkeypatch):
    monkeypatch.setenv("COURSEKIT_CACHE", str(cache_dir))
    out = tmp_path / "run"
    assert main(["train-gan", "--epochs", "1", "--out", str(out), "--ngf", "8", "--ndf", "8", "--samples", "100",
                 "--no-ema", "--no-progress", "--device", "cpu"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["sampled_from"] == "live generator"
    assert metrics["ema_decay"] is None


def test_train_gan_invalid_ema_decay_error(tmp_path, capsys):
    assert main(["train-gan", "--epochs", "1", "--out", str(tmp_path), "--ema-decay", "1"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("coursekit train-gan: error: --ema-decay must be in [0, 1)")
    assert "got 1.0" in error


def test_train_gan_command_resumes(tmp_path, cache_dir, classifier, monkeypatch):
    monkeypatch.setenv("COURSEKIT_CACHE", str(cache_dir))
    out = tmp_path / "run"
    arguments = ["train-gan", "--epochs", "1", "--out", str(out), "--ngf", "8", "--ndf", "8", "--samples", "100",
                 "--no-progress", "--device", "cpu"]
    assert main(arguments) == 0
    arguments[2] = "2"
    assert main(arguments + ["--resume"]) == 0
    assert json.loads((out / "metrics.json").read_text())["epochs"] == 2
    assert (out / "samples" / "epoch_002.png").is_file()


def test_train_gan_resume_without_checkpoint_error(tmp_path, capsys):
    assert main(["train-gan", "--epochs", "1", "--out", str(tmp_path), "--resume"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("coursekit train-gan: error: --resume needs")
    assert error.count("\n") == 1


def test_train_gan_sgd_lr_for_both(tmp_path, cache_dir, classifier, monkeypatch):
    monkeypatch.setenv("COURSEKIT_CACHE", str(cache_dir))
    out = tmp_path / "run"
    assert main(["train-gan", "--epochs", "1", "--out", str(out), "--ngf", "8", "--ndf", "8", "--samples", "100",
                 "--optimizer", "sgd", "--lr", "0.02", "--r1-gamma", "0", "--no-progress", "--device", "cpu"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert (metrics["lr_G"], metrics["lr_D"], metrics["r1_gamma"]) == (0.02, 0.02, 0.0)


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--r1-gamma", "-1", "--r1-gamma must be at least 0 (0 switches the penalty off); got -1.0"),
        ("--r1-interval", "0", "--r1-interval must be at least 1 (1 adds the penalty on every D step); got 0"),
        ("--lr-g", "0", "--lr-g must be positive; got 0.0"),
        ("--draws", "0", "--draws must be at least 1; got 0"),
        ("--samples", "2000", "--samples must be between 2 and 1437 (the training digits); got 2000"),
    ],
)
def test_train_gan_invalid_recipe_error(tmp_path, capsys, flag, value, message):
    assert main(["train-gan", "--epochs", "1", "--out", str(tmp_path), flag, value]) == 2
    assert capsys.readouterr().err == f"coursekit train-gan: error: {message}\n"
