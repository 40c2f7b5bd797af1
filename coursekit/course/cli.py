"""`coursekit course`, `coursekit release` and `coursekit grade`."""

from __future__ import annotations

from pathlib import Path

DEFAULT_CONFIG = Path("autograder/nbgrader_config.py")


def _add_common(parser) -> None:
    parser.add_argument("--notebooks", type=Path, default=Path("notebooks"),
                        help="folder of the source notebooks NN_name.ipynb (default: notebooks)")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                        help=f"nbgrader configuration file (default: {DEFAULT_CONFIG})")
    parser.add_argument("--only", nargs="+", metavar="NN_name", default=None,
                        help="work on these notebooks only, by file stem")


def register(subparsers) -> None:
    course = subparsers.add_parser(
        "course",
        help="run the whole instructor pipeline on the bundled notebooks and example submissions",
        description="Run every source notebook with its solutions, build the student release, grade the "
        "example submissions, write feedback and grades.csv, and print the grades table.",
    )
    _add_common(course)
    course.add_argument("--examples", type=Path, default=Path("autograder/examples"),
                        help="example submissions, one folder per student (default: autograder/examples)")
    course.add_argument("--out", type=Path, default=Path("build/example-course"),
                        help="output folder, rebuilt on every run (default: build/example-course)")
    course.add_argument("--skip-execute", action="store_true",
                        help="do not run the source notebooks first (faster; grading still runs them)")
    course.set_defaults(run=run_course, command="course")

    release = subparsers.add_parser(
        "release",
        help="build the student release (solutions and hidden tests removed) into COURSE/release",
    )
    _add_common(release)
    release.add_argument("--course", type=Path, default=Path("build/course"),
                         help="nbgrader course folder (default: build/course)")
    release.set_defaults(run=run_release, command="release")

    grade = subparsers.add_parser(
        "grade",
        help="autograde the submissions in COURSE/submitted/<student>/<assignment>/ and write grades.csv",
    )
    grade.add_argument("--course", type=Path, default=Path("build/course"),
                       help="nbgrader course folder made by `coursekit release` (default: build/course)")
    grade.add_argument("--submitted", type=Path, default=None,
                       help="copy submissions from this folder (DIR/<student>/<assignment>/*.ipynb) into the "
                       "course first; an existing different submission is never overwritten")
    grade.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                       help=f"nbgrader configuration file (default: {DEFAULT_CONFIG})")
    grade.add_argument("--regrade", action="store_true",
                       help="grade again submissions that were graded before and have not changed")
    grade.add_argument("-j", "--jobs", type=int, default=1,
                       help="grade this many submissions at once, each in its own worker process (default: 1)")
    grade.add_argument("--cell-timeout", type=int, default=None, metavar="SECONDS",
                       help="seconds one cell may run before it is stopped and scores 0 "
                       "(default: Execute.timeout of the configuration)")
    grade.add_argument("--memory-limit", type=int, default=4096, metavar="MiB",
                       help="memory cap of each grading kernel in MiB; 0 for none (default: 4096)")
    grade.set_defaults(run=run_grade, command="grade")


def run_course(args) -> int:
    from coursekit.course.layout import discover_notebooks
    from coursekit.course.pipeline import run_example_course

    notebooks = discover_notebooks(args.notebooks, args.only)
    run_example_course(notebooks, args.examples, args.config, args.out, execute=not args.skip_execute,
                       course_notebooks=discover_notebooks(args.notebooks))
    return 0


def run_release(args) -> int:
    from coursekit.course.layout import CourseLayout, discover_notebooks
    from coursekit.course.pipeline import build_release

    notebooks = discover_notebooks(args.notebooks, args.only)
    build_release(CourseLayout(args.course), notebooks, args.config)
    print(f"student release: {CourseLayout(args.course).release}")
    return 0


def run_grade(args) -> int:
    from coursekit.cli import CommandError
    from coursekit.course.layout import CourseLayout
    from coursekit.course.pipeline import grade_submissions

    if args.jobs < 1:
        raise CommandError(f"--jobs must be at least 1; got {args.jobs}")
    if args.cell_timeout is not None and args.cell_timeout < 1:
        raise CommandError(f"--cell-timeout must be at least 1 second; got {args.cell_timeout}")
    if args.memory_limit < 0:
        raise CommandError(f"--memory-limit must be 0 (no limit) or a number of MiB; got {args.memory_limit}")
    grade_submissions(CourseLayout(args.course), args.config, incoming=args.submitted, regrade=args.regrade,
                      jobs=args.jobs, cell_timeout=args.cell_timeout, memory_mb=args.memory_limit or None)
    return 0
