"""Student-facing checks: `check.exercise("00.normalize", normalize)` before you submit.

A check runs your code on a few public cases, compares it with coursekit's reference
implementation and prints one line: a pass, or the first case that differs with what was
expected and what your code returned. The autograder's hidden tests use other cases.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from coursekit.check.core import Case, Exercise, compare_values

# Modules that register the exercises of one notebook each.
EXERCISE_MODULES = (
    "coursekit.check.welcome",
    "coursekit.check.vision",
    "coursekit.check.gan",
    "coursekit.check.stats",
)

_REGISTRY: dict[str, Exercise] = {}
_loaded = False


def register(exercise: Exercise) -> Exercise:
    """Add an exercise to the registry; a second exercise with the same name is an error."""
    if exercise.name in _REGISTRY:
        raise ValueError(f"exercise {exercise.name!r} is registered twice; give each exercise its own name")
    _REGISTRY[exercise.name] = exercise
    return exercise


def exercises() -> dict[str, Exercise]:
    """Return every registered exercise by name."""
    global _loaded
    if not _loaded:
        for module in EXERCISE_MODULES:
            importlib.import_module(module)
        _loaded = True
    return dict(_REGISTRY)


def exercise(name: str, fn: Callable, quiet: bool = False) -> bool:
    """Check `fn` against the reference of exercise `name` on its public cases.

    Prints one line ("✓ 00.normalize: all 4 public cases pass" or the first mismatch) unless
    `quiet`, and returns True when every case passes. It never raises for a wrong answer, so a
    notebook keeps running; the graded test cell below it is what counts.
    """
    known = exercises()
    if name not in known:
        raise ValueError(f"unknown exercise {name!r}; known exercises: {', '.join(sorted(known))}")
    if not callable(fn):
        raise TypeError(f"check.exercise({name!r}, ...) needs your function or class, got {type(fn).__name__}")

    target = known[name]
    passed, problem = target.check(fn)
    if not quiet:
        if problem is None:
            print(f"✓ {name}: all {passed} public cases pass")
        else:
            print(f"✗ {name}: {problem}")
    return problem is None


__all__ = ["Case", "Exercise", "compare_values", "exercise", "exercises", "register"]
