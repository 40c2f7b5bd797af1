"""The trusted grader: hidden tests judged outside the student's kernel, resumable and parallel.

Why: everything that runs in the student's kernel can be changed by the student's code. A cell
can replace coursekit's reference functions, `numpy.allclose`, `torch.allclose` or builtins, or
add an IPython input transformer that rewrites later cells. So an assert in the kernel cannot
decide a grade.

How a graded test cell is judged:

1. The cell's public asserts stay in the notebook for students. Its hidden part calls
   `records.emit_hidden_results(key, fn)`. That call runs the student's `fn` on the cases of
   `hidden.HIDDEN_TESTS[key]` and displays each raw result (or the error raised) as an output
   with the MIME type `records.MIME_TYPE`. No expected value is computed or stored in the kernel,
   in the notebook or on disk.
2. After nbgrader has run the notebook, the worker process (`worker.grade_task`) reads those
   outputs from that test cell only. `verdict.judge_cell` runs coursekit's reference on the same
   cases in the worker's own process and compares. `judge_cell` gives the cell its points only
   when every case was reported exactly once and matches. This score replaces nbgrader's in the gradebook
   in both directions. A test cell without a hidden test here keeps nbgrader's score, and the
   report names it.
3. Before nbgrader restores the protected cells, `tamper.find_tampering` compares the submission
   with the release and names deleted, edited, re-ordered or re-labelled cells in the feedback
   and the report.

What a forged output can and cannot do: a student who replaces the emitter can report any value.
To earn points that value must equal coursekit's reference output on the hidden inputs. Forged
duplicates or records of other tests are rejected as tampering.

NOTE: the kernel imports the same coursekit, so a solution that calls coursekit's reference
function directly passes. The grader does not detect that.

Robustness: `intake` repairs what is safe (renamed notebook, nbformat 4.4 without cell ids, wrong
or missing kernelspec) and reports it. `execute.ResilientExecute` skips a cell that kills the
kernel and runs the notebook again, and `worker.limit_memory` caps each kernel's memory.
`runner.grade_course` grades from copies in N worker processes. The parent is the only writer of
the gradebook and of `grading-state.json`, so a run stopped by SIGINT or SIGKILL resumes where it
stopped.
"""
