"""`coursekit data`: show which data sets are on disk and, when asked, download one."""

from __future__ import annotations

from coursekit.data.registry import DATASETS, dataset_status, default_root, load_dataset


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "data",
        help="list the data sets and whether their files are on disk; download one with --download",
        description="Without NAME, list every data set and whether it is ready. With NAME, check it "
        "(and fetch it with --download, which needs internet).",
    )
    parser.add_argument("name", nargs="?", choices=list(DATASETS), help="data set to check or download")
    parser.add_argument("--root", default=None, help="folder for downloaded files (default: $COURSEKIT_DATA "
                        "or ~/.cache/coursekit/data)")
    parser.add_argument("--download", action="store_true", help="download the files of NAME when missing")
    parser.set_defaults(run=run, command="data")


def run(args) -> int:
    root = args.root or default_root()
    names = [args.name] if args.name else list(DATASETS)
    for name in names:
        if args.download:
            for split in ("train", "test"):
                load_dataset(name, split=split, root=root, download=True)
        found, folder = dataset_status(name, root)
        where = "bundled with scikit-learn" if folder is None else str(folder)
        print(f"{name:14s} {'ready' if found else 'missing':8s} {where}")
    return 0
