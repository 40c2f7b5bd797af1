"""coursekit.data: the bundled digits and photos, and the torchvision data sets on small files."""

from __future__ import annotations

import pickle
import struct
import urllib.error

import numpy as np
import pytest
import torch
import torchvision

from coursekit.data import DatasetNotFoundError, dataset_status, load_dataset, load_digits, load_photo
from coursekit.data.photos import PHOTO_NAMES


def test_digits_train_split_shape_and_size():
    train = load_digits("train")
    assert train.images.shape == (1437, 1, 32, 32)
    assert train.labels.shape == (1437,)


def test_digits_test_split_size():
    assert len(load_digits("test")) == 360


def test_digits_splits_partition_all_images():
    assert len(load_digits("train")) + len(load_digits("test")) == len(load_digits("all")) == 1797


def test_digits_values_in_gan_range():
    images = load_digits("train").images
    assert images.dtype == torch.float32
    assert images.min().item() == -1.0
    assert images.max().item() == 1.0


def test_digits_split_is_deterministic():
    first, second = load_digits("test"), load_digits("test")
    assert torch.equal(first.images, second.images)
    assert torch.equal(first.labels, second.labels)


def test_digits_split_depends_on_seed():
    assert not torch.equal(load_digits("test", seed=0).labels, load_digits("test", seed=1).labels)


def test_digits_split_is_stratified():
    counts = torch.bincount(load_digits("test").labels, minlength=10)
    assert counts.min() >= 35, f"every digit should have about 36 test images; got {counts.tolist()}"


def test_digits_native_size_keeps_original_pixels():
    images = load_digits("all", size=8).images
    from sklearn.datasets import load_digits as sklearn_digits

    expected = torch.from_numpy(sklearn_digits().images[0].astype(np.float32)) / 16 * 2 - 1
    assert torch.allclose(images[0, 0], expected)


def test_digits_item_is_image_and_int_label():
    image, label = load_digits("test")[3]
    assert image.shape == (1, 32, 32)
    assert isinstance(label, int)


@pytest.mark.parametrize("bad", [{"split": "validation"}, {"size": 4}, {"test_fraction": 1.5}])
def test_digits_bad_argument_names_value(bad):
    with pytest.raises(ValueError, match=repr(next(iter(bad.values())))):
        load_digits(**bad)


@pytest.mark.parametrize("name", PHOTO_NAMES)
def test_photo_in_gan_range(name):
    photo = load_photo(name, size=64)
    assert photo.ndim == 3
    assert photo.shape[0] in (1, 3)
    assert min(photo.shape[1:]) == 64
    assert photo.min() >= -1
    assert photo.max() <= 1


def test_photo_channel_conversion():
    assert load_photo("camera", size=32, channels=3).shape[0] == 3
    assert load_photo("astronaut", size=32, channels=1).shape[0] == 1


def test_photo_unknown_name_lists_choices():
    with pytest.raises(ValueError, match="astronaut"):
        load_photo("lena")


def test_load_dataset_digits_matches_load_digits():
    assert torch.equal(load_dataset("digits", "test").images, load_digits("test").images)


def test_load_dataset_unknown_name():
    with pytest.raises(ValueError, match="'imagenet'"):
        load_dataset("imagenet")


@pytest.mark.parametrize("name, folder", [("mnist", "MNIST/raw"), ("fashion-mnist", "FashionMNIST/raw"),
                                          ("cifar10", "cifar-10-batches-py")])
def test_missing_files_error_names_folder_and_fix(tmp_path, name, folder):
    with pytest.raises(DatasetNotFoundError) as error:
        load_dataset(name, root=tmp_path)
    message = str(error.value)
    assert str(tmp_path / folder) in message
    assert "--download" in message


def _write_idx(path, array: np.ndarray) -> None:
    # IDX format: two zero bytes, a type code (0x08 = unsigned byte), the rank, then big-endian sizes.
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def _write_mnist(root, folder: str, count: int = 6) -> None:
    raw = root / folder / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix in ("train", "t10k"):
        _write_idx(raw / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (count, 28, 28)))
        _write_idx(raw / f"{prefix}-labels-idx1-ubyte", np.arange(count) % 10)


@pytest.mark.parametrize("name, folder", [("mnist", "MNIST"), ("fashion-mnist", "FashionMNIST")])
def test_mnist_family_loads_written_files(tmp_path, name, folder):
    _write_mnist(tmp_path, folder)
    dataset = load_dataset(name, split="test", root=tmp_path)
    image, label = dataset[2]
    assert len(dataset) == 6
    assert image.shape == (1, 28, 28)
    assert image.min() >= -1
    assert image.max() <= 1
    assert label == 2


def test_mnist_resize(tmp_path):
    _write_mnist(tmp_path, "MNIST")
    image, _ = load_dataset("mnist", root=tmp_path, size=32)[0]
    assert image.shape == (1, 32, 32)


def test_cifar10_loads_written_files(tmp_path, monkeypatch):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch = {"data": rng.integers(0, 256, (4, 3072), dtype=np.uint8), "labels": [0, 1, 2, 3]}
        (folder / name).write_bytes(pickle.dumps(batch))
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": [f"class{i}" for i in range(10)]}))
    # The real files carry fixed MD5 sums; these small stand-ins cannot, so only that check is skipped.
    monkeypatch.setattr(torchvision.datasets.cifar, "check_integrity", lambda path, md5=None: True)

    dataset = load_dataset("cifar10", split="train", root=tmp_path)
    image, label = dataset[5]
    assert len(dataset) == 20
    assert image.shape == (3, 32, 32)
    assert image.min() >= -1
    assert image.max() <= 1
    assert label == 1


def test_dataset_status_reports_written_files(tmp_path):
    assert dataset_status("mnist", tmp_path)[0] is False
    _write_mnist(tmp_path, "MNIST")
    assert dataset_status("mnist", tmp_path) == (True, tmp_path / "MNIST" / "raw")


def test_failed_download_gives_clear_error(tmp_path, monkeypatch):
    def offline(self):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(torchvision.datasets.MNIST, "download", offline)
    with pytest.raises(DatasetNotFoundError, match="no network"):
        load_dataset("mnist", root=tmp_path, download=True)


def test_default_root_never_downloads(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSEKIT_DATA", str(tmp_path))
    with pytest.raises(DatasetNotFoundError, match=str(tmp_path)):
        load_dataset("mnist")
