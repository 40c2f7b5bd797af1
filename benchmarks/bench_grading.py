"""Benchmark `coursekit grade` sequentially and with -j N against plain `nbgrader autograde`.

usage: python benchmarks/bench_grading.py [--students 40] [--jobs 2] [--assignment 00_welcome]

Builds a course in a temporary folder, releases one assignment and writes STUDENTS synthetic
submissions by cycling through the example students of autograder/examples (complete, partial,
untouched). The same submissions are then graded three times, each in a fresh copy of the course:

1. `nbgrader autograde ASSIGNMENT --force`, nbgrader's own sequential run, which does not do
   coursekit's out-of-kernel verdict, tampering checks or feedback;
2. `coursekit grade -j 1`;
3. `coursekit grade -j JOBS`.

Each row prints the wall-clock time of the whole command, the time per student, and the speedup
over row 2. Times include starting the command, one kernel per student and (for coursekit)
writing feedback HTML. Run it on an otherwise idle machine; other load inflates every row.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "autograder" / "nbgrader_config.py"
EXAMPLES = REPO / "autograder" / "examples"


def run(command: list[str], cwd: Path = REPO, env: dict | None = None) -> float:
    """Run `command` in `cwd` (default: the repository root); return its wall-clock seconds, exit on failure."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {result.returncode}:\n{result.stderr[-3000:]}")
    return seconds


def build_course(root: Path, assignment: str, students: int) -> None:
    """Release `assignment` into `root` and write the synthetic submissions under submitted/."""
    import nbformat

    from coursekit.course.examples import fill_release, read_answers

    coursekit = [sys.executable, "-m", "coursekit"]
    run([*coursekit, "release", "--only", assignment, "--course", str(root), "--config", str(CONFIG)])
    release = root / "release" / assignment / f"{assignment}.ipynb"
    examples = sorted(path for path in EXAMPLES.iterdir() if path.is_dir())
    for number in range(students):
        example = examples[number % len(examples)]
        answer_file = example / f"{assignment}.py"
        answers = read_answers(answer_file) if answer_file.exists() else {}
        target = root / "submitted" / f"student-{number:03d}" / assignment / f"{assignment}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(fill_release(release, answers, answer_file), target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40, help="number of synthetic students (default: 40)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of the parallel run (default: 2)")
    parser.add_argument("--assignment", default="00_welcome", help="assignment to grade (default: 00_welcome)")
    args = parser.parse_args()
    if args.students < 1 or args.jobs < 1:
        parser.error(f"--students and --jobs must be at least 1; got {args.students} and {args.jobs}")

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as folder:
        base = Path(folder) / "base"
        build_course(base, args.assignment, args.students)
        env = {**os.environ, "COURSEKIT_BUDGET": "grading"}
        scripts = str(Path(sys.executable).parent)
        env["PATH"] = scripts + os.pathsep + env.get("PATH", "")

        rows = []
        nbgrader_root = Path(folder) / "nbgrader"
        shutil.copytree(base, nbgrader_root)
        shutil.copy(CONFIG, nbgrader_root / "nbgrader_config.py")
        with (nbgrader_root / "nbgrader_config.py").open("a") as config:
            config.write(f"\nc.CourseDirectory.root = {str(nbgrader_root)!r}\n")
        seconds = run([str(Path(scripts) / "nbgrader"), "autograde", args.assignment, "--force", "--create"],
                      cwd=nbgrader_root, env=env)
        rows.append(("nbgrader autograde (sequential)", seconds))

        for jobs in (1, args.jobs):
            root = Path(folder) / f"coursekit-j{jobs}"
            shutil.copytree(base, root)
            seconds = run([sys.executable, "-m", "coursekit", "grade", "--course", str(root), "--config", str(CONFIG),
                           "-j", str(jobs)], env=env)
            rows.append((f"coursekit grade -j {jobs}", seconds))

    sequential = rows[1][1]
    print(f"{args.students} students, assignment {args.assignment}, {os.cpu_count()} CPU cores")
    print(f"{'command':<34} {'wall s':>8} {'s/student':>10} {'speedup':>8}")
    for name, seconds in rows:
        print(f"{name:<34} {seconds:>8.1f} {seconds / args.students:>10.2f} {sequential / seconds:>7.2f}x")


if __name__ == "__main__":
    main()
