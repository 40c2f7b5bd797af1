"""One `load_dataset` for the bundled digits and the torchvision image data sets."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from torch.utils.data import Dataset

from coursekit.data.digits import load_digits

DATA_ENV = "COURSEKIT_DATA"


class DatasetNotFoundError(FileNotFoundError):
    """Raised when a data set's files are missing and downloading was not requested or failed."""


@dataclass(frozen=True)
class DatasetInfo:
    """Description of one data set for `load_dataset`.

    `files` are the names torchvision looks for inside `folder` (relative to the root).
    """

    name: str
    channels: int
    size: int
    torchvision_class: str | None
    folder: str | None
    files: tuple[str, ...] = ()


_MNIST_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)

DATASETS: dict[str, DatasetInfo] = {
    "digits": DatasetInfo("digits", 1, 32, None, None),
    "mnist": DatasetInfo("mnist", 1, 28, "MNIST", "MNIST/raw", _MNIST_FILES),
    "fashion-mnist": DatasetInfo("fashion-mnist", 1, 28, "FashionMNIST", "FashionMNIST/raw", _MNIST_FILES),
    "cifar10": DatasetInfo(
        "cifar10",
        3,
        32,
        "CIFAR10",
        "cifar-10-batches-py",
        tuple(f"data_batch_{i}" for i in range(1, 6)) + ("test_batch", "batches.meta"),
    ),
}


def default_root() -> Path:
    """Return the folder that contains downloaded data sets: $COURSEKIT_DATA or ~/.cache/coursekit/data."""
    return Path(os.environ.get(DATA_ENV) or Path.home() / ".cache" / "coursekit" / "data")


def _info(name: str) -> DatasetInfo:
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    return DATASETS[name]


def dataset_status(name: str, root: str | os.PathLike | None = None) -> tuple[bool, Path | None]:
    """Return (found, folder): whether the files of data set `name` are on disk, and where they go."""
    info = _info(name)
    if info.folder is None:
        return True, None
    folder = Path(root or default_root()) / info.folder
    return all((folder / file).is_file() for file in info.files), folder


def _missing_message(info: DatasetInfo, folder: Path, root: Path) -> str:
    files = ", ".join(info.files)
    return (
        f"{info.name} files not found in {folder} (expected {files}). On a machine with internet, run "
        f"`coursekit data {info.name} --root {root} --download`, or call load_dataset({info.name!r}, "
        f"root={str(root)!r}, download=True); offline, copy those files into {folder}."
    )


def load_dataset(
    name: str,
    split: str = "train",
    root: str | os.PathLike | None = None,
    download: bool = False,
    size: int | None = None,
) -> Dataset:
    """Load a data set whose items are (image (C, size, size) in [-1, 1], integer label).

    Args:
        name: "digits" (bundled, no files needed), "mnist", "fashion-mnist" or "cifar10".
        split: "train" or "test".
        root: folder that contains the torchvision files; defaults to $COURSEKIT_DATA or
            ~/.cache/coursekit/data. Ignored for "digits".
        download: passed to torchvision. Nothing is downloaded unless this is True.
        size: output height and width; defaults to 32 for digits and to the data set's own size.

    Raises:
        DatasetNotFoundError: the files are missing and `download` is False, or the download
            failed (for example offline). The message names the folder and how to get the files.
    """
    info = _info(name)
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test'; got {split!r}")
    if size is not None and (not isinstance(size, int) or size < 8):
        raise ValueError(f"size must be an integer of at least 8 pixels; got {size!r}")

    if info.torchvision_class is None:
        return load_digits(split=split, size=size or info.size)

    import torchvision
    from torchvision import transforms

    root = Path(root or default_root())
    folder = root / info.folder
    found, _ = dataset_status(name, root)
    if not found and not download:
        raise DatasetNotFoundError(_missing_message(info, folder, root))

    steps = [transforms.ToTensor()]
    if size is not None and size != info.size:
        steps.append(transforms.Resize(size, antialias=True))
    steps.append(transforms.Normalize([0.5] * info.channels, [0.5] * info.channels))

    dataset_class = getattr(torchvision.datasets, info.torchvision_class)
    try:
        return dataset_class(
            str(root), train=split == "train", download=download, transform=transforms.Compose(steps)
        )
    except (OSError, RuntimeError) as error:
        # torchvision raises URLError (an OSError) offline and RuntimeError for missing or corrupt files
        raise DatasetNotFoundError(f"{_missing_message(info, folder, root)} Cause: {error}") from error
