"""Data sets and images for the course, all scaled to [-1, 1] like a GAN generator's Tanh output.

The defaults ship with the installed packages and never touch the network:
scikit-learn's handwritten digits and scikit-image's sample photos. MNIST, Fashion-MNIST and
CIFAR-10 come through torchvision behind the same interface and download only when asked.
"""

from coursekit.data.digits import DigitsDataset, load_digits
from coursekit.data.photos import PHOTO_NAMES, load_photo
from coursekit.data.registry import DATASETS, DatasetNotFoundError, dataset_status, load_dataset

__all__ = [
    "DATASETS",
    "DatasetNotFoundError",
    "DigitsDataset",
    "PHOTO_NAMES",
    "dataset_status",
    "load_dataset",
    "load_digits",
    "load_photo",
]
