"""The instructor pipeline: run the source notebooks, build the student release, grade submissions."""

from coursekit.course.layout import CourseLayout, discover_notebooks
from coursekit.course.pipeline import build_release, grade_submissions, run_example_course

__all__ = ["CourseLayout", "build_release", "discover_notebooks", "grade_submissions", "run_example_course"]
