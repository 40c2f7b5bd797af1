"""Parts of the trusted grader that need no kernel: the codec, the verdict, tampering, intake."""

from __future__ import annotations

import copy
import json
import re

import nbformat
import numpy as np
import pytest
import torch

from coursekit.grading.hidden import HIDDEN_TESTS
from coursekit.grading.intake import read_submission
from coursekit.grading.records import MIME_TYPE, DecodeError, decode, encode, run_case
from coursekit.grading.tamper import find_tampering
from coursekit.grading.verdict import describe_mismatch, expected_values, judge_cell
from tests.conftest import REPO

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def result_cell(key: str, records: list[dict]) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={MIME_TYPE: record}) for record in records]
    return cell


def student_records(key: str, fn) -> list[dict]:
    test = HIDDEN_TESTS[key]
    return [{"key": key, "case": number, **run_case(case, fn)} for number, case in enumerate(test.cases, start=1)]


def test_codec_round_trip_tensor():
    value = decode(json.loads(json.dumps(encode(torch.tensor([[1.5, float("nan")]], dtype=torch.float32)))))
    assert value.dtype == np.float32
    assert value.shape == (1, 2)
    assert np.isnan(value[0, 1])


def test_codec_round_trip_nested():
    encoded = json.loads(json.dumps(encode({"shape": (2, 3), "ok": True, "p": float("inf")})))
    assert decode(encoded) == {"shape": [2, 3], "ok": True, "p": float("inf")}


def test_codec_rejects_unknown_tag():
    with pytest.raises(DecodeError, match="unknown tag"):
        decode({"$pickle": "gASV"})


def test_codec_rejects_inconsistent_array():
    with pytest.raises(DecodeError):
        decode({"$array": {"kind": "tensor", "dtype": "float32", "shape": [3], "data": [1.0]}})


def test_codec_large_result_is_opaque():
    assert "too large" in repr(decode(encode(np.zeros(200_001))))


def test_mismatch_message_hides_expected_values():
    expected = np.array([-1.0, -0.6, -0.2], dtype=np.float32)
    message = describe_mismatch(expected, np.array([0.0, 0.2, 0.4], dtype=np.float32), 1e-5, 1e-6)
    assert "3 of 3 values differ" in message
    assert "-0.6" not in message
    assert "-1.0" not in message


def test_mismatch_message_number_hides_expected():
    message = describe_mismatch(59_760, 60_000, 1e-5, 1e-6)
    assert "60000" in message
    assert "59760" not in message


def test_mismatch_dtype_named():
    message = describe_mismatch(np.zeros(2, np.float32), np.zeros(2, np.float64), 1e-5, 1e-6)
    assert message == "returned dtype float64, which is not the reference's dtype"


def test_mismatch_none_when_close():
    assert describe_mismatch({"a": [1.0, 2]}, {"a": [1.0 + 1e-9, 2]}, 1e-5, 1e-6) is None


@pytest.mark.parametrize("key", sorted(HIDDEN_TESTS))
def test_reference_passes_its_own_hidden_test(key):
    test = HIDDEN_TESTS[key]
    verdict = judge_cell(test, result_cell(key, student_records(key, test.reference)), points=2)
    assert verdict.score == 2, verdict.lines


def test_wrong_normalize_scores_zero():
    key = "00_welcome/test_normalize_values"
    verdict = judge_cell(HIDDEN_TESTS[key], result_cell(key, student_records(key, lambda x: x.float() / 255)), 2)
    assert verdict.score == 0
    assert verdict.lines[0].startswith("✗ hidden case 1 of 2")


def test_duplicate_case_is_tampering():
    key = "00_welcome/test_normalize_values"
    records = student_records(key, HIDDEN_TESTS[key].reference)
    verdict = judge_cell(HIDDEN_TESTS[key], result_cell(key, records + records[:1]), 2)
    assert verdict.score == 0
    assert verdict.tampering == ["hidden case 1 was reported more than once"]


def test_record_of_another_test_is_tampering():
    key = "00_welcome/test_normalize_values"
    records = student_records(key, HIDDEN_TESTS[key].reference)
    forged = {**records[0], "key": "00_welcome/test_normalize_shape_dtype"}
    verdict = judge_cell(HIDDEN_TESTS[key], result_cell(key, [forged, *records[1:]]), 2)
    assert verdict.score == 0


def test_missing_case_scores_zero():
    key = "02_dcgan_generator/test_output_size"
    records = student_records(key, HIDDEN_TESTS[key].reference)[:-1]
    verdict = judge_cell(HIDDEN_TESTS[key], result_cell(key, records), 2)
    assert verdict.score == 0
    assert "not run" in verdict.lines[-1]


def test_student_error_is_reported():
    key = "02_dcgan_generator/test_output_size"

    def broken(*args):
        raise ValueError("boom")

    verdict = judge_cell(HIDDEN_TESTS[key], result_cell(key, student_records(key, broken)), 2)
    assert "your code raised ValueError: boom" in verdict.lines[0]


def test_expected_values_match_former_constants():
    # The values the notebooks' hidden asserts compared against before they moved out of the kernel.
    assert expected_values("02_dcgan_generator/test_generator")[0]["parameters"] == 59_760
    assert expected_values("03_patchgan_discriminator/test_patchgan")[2]["parameters"] == 1_745_313
    assert abs(expected_values("04_minimax_training/test_discriminator_loss")[0] - 1.5130891799926758) < 1e-6


def test_every_hidden_test_has_its_cell():
    """Each registered hidden test is called, with its own key, from the hidden part of its cell."""
    found = set()
    for path in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            key = f"{path.stem}/{grade_id}"
            if key in HIDDEN_TESTS:
                hidden = re.search(r"### BEGIN HIDDEN TESTS\n(.*)### END HIDDEN TESTS", cell.source, re.S).group(1)
                assert f'emit_hidden_results("{key}",' in hidden, key
                found.add(key)
    assert found == set(HIDDEN_TESTS)


def release_notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    solution = nbformat.v4.new_code_cell("def f():\n    raise NotImplementedError()")
    solution.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False, "grade_id": "f",
                                     "schema_version": 3, "task": False}
    test = nbformat.v4.new_code_cell("assert f() == 1")
    test.metadata["nbgrader"] = {"solution": False, "grade": True, "locked": True, "grade_id": "test_f",
                                 "points": 1, "schema_version": 3, "task": False}
    notebook.cells = [solution, test]
    return notebook


def test_tampering_none_for_honest_submission():
    submission = release_notebook()
    submission.cells[0].source = "def f():\n    return 1"
    assert find_tampering(release_notebook(), submission) == []


def test_tampering_edit_and_points():
    submission = release_notebook()
    submission.cells[1].source = "pass"
    submission.cells[1].metadata["nbgrader"]["points"] = 5
    assert find_tampering(release_notebook(), submission) == [
        "changed the nbgrader metadata (points) of cell 'test_f'", "edited locked cell 'test_f'"]


def test_tampering_reorder():
    submission = release_notebook()
    submission.cells.reverse()
    assert find_tampering(release_notebook(), submission) == ["re-ordered the exercise and test cells"]


def test_tampering_metadata_removed():
    release = release_notebook()
    submission = copy.deepcopy(release)
    del submission.cells[1].metadata["nbgrader"]
    assert find_tampering(release, submission) == ["removed the nbgrader metadata of cell 'test_f'"]


def test_intake_renamed_notebook_without_ids(tmp_path):
    raw = json.loads(nbformat.writes(release_notebook()))
    raw["nbformat_minor"] = 4
    for cell in raw["cells"]:
        del cell["id"]
    (tmp_path / "mine.ipynb").write_text(json.dumps(raw))
    intake = read_submission(tmp_path, "01_x", KERNELSPEC)
    assert intake.error is None
    assert intake.notes == ["notebook renamed to 'mine.ipynb'; graded it as 01_x.ipynb",
                            "nbformat 4.4 notebook; upgraded to 4.5 with cell ids",
                            "missing kernelspec; graded with 'python3'"]
    assert all(cell.get("id") for cell in intake.notebook.cells)


def test_intake_two_notebooks_none_named(tmp_path):
    for name in ("a.ipynb", "b.ipynb"):
        (tmp_path / name).write_text(nbformat.writes(release_notebook()))
    intake = read_submission(tmp_path, "01_x", KERNELSPEC)
    assert intake.error == "2 notebooks (a.ipynb, b.ipynb) and none named 01_x.ipynb; rename the one to grade"


def test_intake_not_a_notebook(tmp_path):
    (tmp_path / "01_x.ipynb").write_text('{"hello": 1}')
    intake = read_submission(tmp_path, "01_x", KERNELSPEC)
    assert "is not an nbformat 4 notebook" in intake.error
