"""nbgrader configuration of the course kit.

`coursekit course`, `coursekit release` and `coursekit grade` load this file and set
CourseDirectory.root to the course folder they build. In an existing nbgrader course, copy the
settings below into that course's own nbgrader_config.py and copy each notebook
`notebooks/NN_name.ipynb` to `source/NN_name/NN_name.ipynb`.
"""

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "coursekit"

# The hidden tests only record results; `coursekit grade` judges them outside the kernel and sets
# the scores. Plain `nbgrader autograde` with this file scores the public asserts alone.

# One notebook per assignment; the assignment id is the notebook's file stem.
c.CourseDirectory.notebook_id = "*"

# Seconds one cell may run while autograding before nbgrader stops it and the cell scores 0.
# Under COURSEKIT_BUDGET=grading every cell of the bundled notebooks finishes far sooner on two
# CPU cores, so this only stops a student's runaway loop from stalling the whole grading run.
c.Execute.timeout = 120

# Students see this in place of each solution block.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Students may not edit the checks or tests: nbgrader restores locked cells from the source.
c.ClearSolutions.enforce_metadata = True
