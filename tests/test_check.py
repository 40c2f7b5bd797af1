"""coursekit.check: comparisons, messages, and every registered exercise against its own reference."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from coursekit import check
from coursekit.check import Case, Exercise, compare_values


def reference_normalize(pixels):
    return pixels.to(torch.float32) / 127.5 - 1


def test_compare_equal_tensors():
    assert compare_values(torch.ones(2, 3), torch.ones(2, 3)) is None


def test_compare_reports_shape():
    assert "shape (3, 2)" in compare_values(torch.ones(2, 3), torch.ones(3, 2))


def test_compare_reports_dtype():
    assert "torch.float64" in compare_values(torch.ones(2), torch.ones(2, dtype=torch.float64))


def test_compare_reports_first_differing_index():
    message = compare_values(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 2.5, 3.5]))
    assert "2 of 3 values differ" in message
    assert "index (1,)" in message


def test_compare_within_tolerance():
    assert compare_values(1.0, 1.0 + 1e-9) is None


def test_compare_numbers_differ():
    assert compare_values(14, 15) == "expected 14, got 15"


def test_compare_tensor_against_list():
    assert "expected a Tensor, got list" in compare_values(torch.zeros(2), [0, 0])


def test_compare_nested_tuple():
    assert compare_values((1, np.zeros(2)), (1, np.ones(2))).startswith("item 1:")


def test_compare_bool_is_not_int():
    assert compare_values(True, 1) is not None


def test_exercise_pass_prints_check_mark(capsys):
    assert check.exercise("00.normalize", reference_normalize) is True
    assert capsys.readouterr().out.startswith("✓ 00.normalize: all 3 public cases pass")


def test_exercise_failure_shows_input_expected_got(capsys):
    assert check.exercise("00.normalize", lambda pixels: pixels.float() / 255) is False
    output = capsys.readouterr().out
    assert output.startswith("✗ 00.normalize: case 1 of 3 (tensor(2,) [0, 255])")
    assert "expected -1.0, got 0.0" in output


def test_exercise_not_implemented(capsys):
    def stub(pixels):
        raise NotImplementedError()

    assert check.exercise("00.normalize", stub) is False
    assert "not implemented yet" in capsys.readouterr().out


def test_exercise_reports_student_exception(capsys):
    def broken(pixels):
        return pixels / undefined_name  # noqa: F821 - the error under test

    check.exercise("00.normalize", broken)
    output = capsys.readouterr().out
    assert "raised NameError" in output
    assert "undefined_name" in output


def test_exercise_does_not_let_student_change_inputs(capsys):
    def mutating(pixels):
        pixels.zero_()
        return reference_normalize(pixels)

    # The reference runs on its own copy, so the mutation only spoils the student's result.
    assert check.exercise("00.normalize", mutating) is False


def test_exercise_unknown_name_lists_known():
    with pytest.raises(ValueError, match="00.normalize"):
        check.exercise("99.nothing", reference_normalize)


def test_exercise_not_callable():
    with pytest.raises(TypeError, match="needs your function"):
        check.exercise("00.normalize", 3)


def test_register_twice_rejected():
    duplicate = Exercise(name="00.normalize", reference=reference_normalize, cases=[])
    with pytest.raises(ValueError, match="registered twice"):
        check.register(duplicate)


def test_seeded_exercise_gives_same_random_numbers():
    exercise = Exercise(name="test.seeded", reference=lambda: torch.rand(3), cases=[Case.call()], seed=7)
    assert exercise.check(lambda: torch.rand(3)) == (1, None)


@pytest.mark.parametrize("name", sorted(check.exercises()))
def test_every_reference_passes_its_public_cases(name):
    exercise = check.exercises()[name]
    passed, problem = exercise.check(exercise.reference)
    assert problem is None
    assert passed == len(exercise.cases) > 0
