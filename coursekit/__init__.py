"""coursekit: reference code, data, checks and grading for a course on GANs and significance testing."""

__version__ = "0.1.0"
