"""`coursekit compare`: the paired bootstrap test on prediction files of two classifiers."""

from __future__ import annotations

import json

import numpy as np

from coursekit.stats.metrics import METRICS


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="test whether classifier A is better than classifier B on a test set (paired bootstrap)",
        description="Read the test labels and the predictions of A and B (one label per line: TXT, CSV "
        "with an optional header, or NPY), run the paired bootstrap test and print δ(D_test), p, the "
        "decision and a percentile confidence interval of δ. Labels are integers when every entry is "
        "an integer, else strings.",
    )
    parser.add_argument("--labels", required=True, metavar="FILE", help="true labels of the test set")
    parser.add_argument("--a", required=True, metavar="FILE", help="predictions of classifier A (h_A)")
    parser.add_argument("--b", required=True, metavar="FILE", help="predictions of classifier B (h_B)")
    parser.add_argument("--metric", default="accuracy", choices=METRICS,
                        help="metric behind δ; precision, recall and f1 are macro averages (default: accuracy)")
    parser.add_argument("--B", type=int, default=10_000, help="number of bootstrap samples (default: 10000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the resampling (default: 0)")
    parser.add_argument("--alpha", type=float, default=0.01, help="reject H0 when p < alpha (default: 0.01)")
    parser.add_argument("--confidence", type=float, default=0.95,
                        help="level of the percentile interval of δ (default: 0.95)")
    parser.add_argument("--correction", action="store_true", help="report p = (v + 1)/(B + 1) instead of v/B")
    parser.add_argument("--classes", default=None, metavar="LIST",
                        help="comma-separated label set (default: the labels in --labels)")
    parser.add_argument("--header", choices=("auto", "yes", "no"), default="auto",
                        help="whether TXT/CSV files start with a header row (default: auto)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.set_defaults(run=run, command="compare")


def run(args) -> int:
    from coursekit.stats.bootstrap import paired_bootstrap_test
    from coursekit.stats.io import read_label_files

    header = {"auto": None, "yes": True, "no": False}[args.header]
    classes = None if args.classes is None else [c for c in args.classes.split(",") if c.strip()]
    truth, pred_a, pred_b = read_label_files(args.labels, args.a, args.b, classes=classes, header=header)
    result = paired_bootstrap_test(
        truth.values, pred_a.values, pred_b.values, args.metric, B=args.B, seed=args.seed, alpha=args.alpha,
        correction=args.correction, confidence=args.confidence,
        labels=None if classes is None
        else np.unique(np.array([c.strip() for c in classes]).astype(truth.values.dtype)),
    )
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        print(result.summary())
    return 0
