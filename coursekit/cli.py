"""The `coursekit` command line: one subcommand per job, each registered by its own module."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

# Each module defines `register(subparsers)`, which adds its subcommands with a `run(args)`
# default. Heavy imports (torch, nbgrader) happen inside `run`, so `--help` stays fast.
COMMAND_MODULES = (
    "coursekit.course.cli",
    "coursekit.data.cli",
    "coursekit.gan.cli",
    "coursekit.stats.cli",
)


class CommandError(Exception):
    """An error the user can fix; the CLI prints its message on one line and exits with status 2."""


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors fit on one line and point to --help."""

    def error(self, message: str) -> None:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="coursekit",
        description="Run the course pipeline, train GANs and compare classifiers.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress at DEBUG level")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=OneLineParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2

    # Commands print what a user should read; logging shows warnings, or everything with --verbose.
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        return int(args.run(args) or 0)
    except (CommandError, ValueError, FileNotFoundError) as error:
        print(f"coursekit {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"coursekit {args.command}: interrupted", file=sys.stderr)
        return 130
