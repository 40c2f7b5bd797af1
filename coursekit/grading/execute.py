"""nbgrader's Execute step, made to survive a kernel that dies in one cell.

A cell that kills the kernel (os._exit, a segfault, the kernel killed for memory) would make
nbgrader give up on the whole notebook. `ResilientExecute` instead replaces that cell by a
`raise`, restarts the kernel and runs the notebook again, so the dead cell scores 0 and every
other cell is graded as usual. The cell's code is put back afterwards, for the feedback.
"""

from __future__ import annotations

from nbclient.exceptions import DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets import Integer

# The evalue of the error left in a cell that killed the kernel; the report looks for it.
KERNEL_DIED = "the kernel died while this cell ran (os._exit, a crash or too much memory), so the grader skipped it"


class ResilientExecute(Execute):
    """Execute every cell; a cell that kills the kernel is skipped and the notebook run again."""

    max_kernel_deaths = Integer(
        4, help="Kernel deaths tolerated per notebook before grading it fails."
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        self._running_index = index
        return super().preprocess_cell(cell, resources, index)

    def preprocess(self, nb, resources=None, km=None):
        skipped: dict[int, str] = {}
        try:
            for _ in range(self.max_kernel_deaths + 1):
                for cell in nb.cells:
                    if cell.cell_type == "code":
                        cell.outputs, cell.execution_count = [], None
                try:
                    return super().preprocess(nb, resources, km)
                except DeadKernelError:
                    index = self._running_index
                    self.log.warning("kernel died in cell %d; running the notebook again without it", index)
                    skipped.setdefault(index, nb.cells[index].source)
                    nb.cells[index].source = f"raise RuntimeError({KERNEL_DIED!r})"
            raise DeadKernelError(f"the kernel died {self.max_kernel_deaths + 1} times")
        finally:
            for index, source in skipped.items():
                nb.cells[index].source = source
