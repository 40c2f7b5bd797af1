"""`coursekit compare` and the label-file reader on files the tests write."""

import json

import numpy as np
import pytest

from coursekit.stats.io import LabelFileError, read_label_files, read_labels


def run_compare(*argv):
    from coursekit.cli import main

    return main(["compare", *map(str, argv)])


@pytest.fixture
def label_files(tmp_path):
    """A test set of 200 examples where A is right on 190 and B on 170."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 200)
    a = y.copy()
    a[:10] = (a[:10] + 1) % 3
    b = y.copy()
    b[100:130] = (b[100:130] + 2) % 3
    paths = {}
    for name, values in (("y", y), ("a", a), ("b", b)):
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text("".join(f"{value}\n" for value in values))
    return paths


def test_compare_prints_delta_p_and_decision(label_files, capsys):
    assert run_compare("--labels", label_files["y"], "--a", label_files["a"], "--b", label_files["b"], "--B", 2000) == 0
    output = capsys.readouterr().out
    assert "δ(D_test)     +0.1000" in output
    assert "significant: p = 0.001 < 0.01" in output
    assert "95% CI of δ" in output


def test_compare_json_has_result_fields(label_files, capsys):
    run_compare("--labels", label_files["y"], "--a", label_files["a"], "--b", label_files["b"],
                "--B", 500, "--seed", 7, "--metric", "f1", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["seed"] == 7
    assert result["B"] == 500
    assert result["metric"] == "f1"
    assert result["significant"] is True


def test_compare_crlf_file_one_line_error_with_fix(label_files, tmp_path, capsys):
    crlf = tmp_path / "a_crlf.csv"
    crlf.write_bytes(b"id,label\n0,1\r\n1,0\n")
    assert run_compare("--labels", label_files["y"], "--a", crlf, "--b", label_files["b"]) == 2
    error = capsys.readouterr().err
    assert "a_crlf.csv line 2: line ends with CR (Windows CRLF line endings)" in error
    assert "sed -i 's/\\r$//'" in error
    assert error.count("\n") == 1


def test_compare_csv_header_and_npy(label_files, tmp_path, capsys):
    y = read_labels(label_files["y"]).values
    csv_path = tmp_path / "y.csv"
    csv_path.write_text("id,label\n" + "".join(f"{i},{value}\n" for i, value in enumerate(y)))
    npy_path = tmp_path / "a.npy"
    np.save(npy_path, read_labels(label_files["a"]).values)
    run_compare("--labels", label_files["y"], "--a", label_files["a"], "--b", label_files["b"], "--json")
    from_text = json.loads(capsys.readouterr().out)
    run_compare("--labels", csv_path, "--a", npy_path, "--b", label_files["b"], "--json")
    assert json.loads(capsys.readouterr().out) == from_text


def test_compare_string_labels(tmp_path, capsys):
    for name, text in (("y", "cat\ndog\ncat\nemu\n"), ("a", "cat\ndog\ncat\nemu\n"), ("b", "cat\ncat\ncat\nemu\n")):
        (tmp_path / f"{name}.txt").write_text(text)
    status = run_compare("--labels", tmp_path / "y.txt", "--a", tmp_path / "a.txt", "--b", tmp_path / "b.txt", "--json")
    assert status == 0
    assert json.loads(capsys.readouterr().out)["delta"] == pytest.approx(0.25)


def write(path, text):
    path.write_text(text)
    return path


@pytest.mark.parametrize("name, a_text, message", [
    ("length", "0\n1\n", "a.txt has 2 labels but"),
    ("empty", "", "a.txt: file is empty"),
    ("blank line", "0\n\n1\n", "a.txt line 2: empty line"),
    ("non-numeric", "0\n1\n1.0\n", "a.txt line 3: label '1.0' is not an integer"),
    ("unknown label", "0\n7\n1\n", "a.txt line 2: unknown label 7"),
    ("CRLF", "0\r\n1\r\n1\r\n", "a.txt line 1: line ends with CR"),
])
def test_compare_bad_prediction_file_one_line_error(tmp_path, capsys, name, a_text, message):
    y = write(tmp_path / "y.txt", "0\n1\n1\n")
    a = write(tmp_path / "a.txt", a_text)
    b = write(tmp_path / "b.txt", "0\n1\n0\n")
    assert run_compare("--labels", y, "--a", a, "--b", b) == 2
    error = capsys.readouterr().err
    assert message in error
    assert error.count("\n") == 1


def test_compare_ragged_csv_names_line(tmp_path, capsys):
    y = write(tmp_path / "y.csv", "id,label\n0,1\n1,0,extra\n2,1\n")
    a = write(tmp_path / "a.txt", "1\n0\n1\n")
    assert run_compare("--labels", y, "--a", a, "--b", a) == 2
    assert "y.csv line 3: ragged CSV, 3 fields where line 1 has 2" in capsys.readouterr().err


def test_compare_missing_file_one_line_error(tmp_path, capsys):
    a = write(tmp_path / "a.txt", "1\n")
    assert run_compare("--labels", tmp_path / "nope.txt", "--a", a, "--b", a) == 2
    assert "nope.txt: file not found" in capsys.readouterr().err


def test_compare_invalid_b_one_line_error(label_files, capsys):
    assert run_compare("--labels", label_files["y"], "--a", label_files["a"], "--b", label_files["b"], "--B", 0) == 2
    assert "B must be an integer of at least 1; got 0" in capsys.readouterr().err


def test_compare_classes_option_accepts_absent_class(tmp_path, capsys):
    y = write(tmp_path / "y.txt", "0\n1\n1\n")
    a = write(tmp_path / "a.txt", "0\n1\n2\n")
    assert run_compare("--labels", y, "--a", a, "--b", y, "--classes", "0,1,2", "--json") == 0
    assert json.loads(capsys.readouterr().out)["delta"] < 0


def test_read_labels_header_word_for_string_labels(tmp_path):
    path = write(tmp_path / "p.csv", "prediction\ncat\ndog\n")
    assert read_labels(path).values.tolist() == ["cat", "dog"]


def test_read_labels_header_detected_above_integers(tmp_path):
    path = write(tmp_path / "p.txt", "digit\n3\n4\n")
    column = read_labels(path)
    assert column.values.tolist() == [3, 4]
    assert column.lines.tolist() == [2, 3]


def test_read_labels_npy_nan_names_index(tmp_path):
    path = tmp_path / "p.npy"
    np.save(path, np.array([1.0, np.nan]))
    with pytest.raises(LabelFileError, match="p.npy index 1: label is NaN"):
        read_labels(path)


def test_read_label_files_integer_truth_string_npy_prediction(tmp_path):
    y = write(tmp_path / "y.txt", "0\n1\n")
    a = tmp_path / "a.npy"
    np.save(a, np.array(["0", "x"]))
    with pytest.raises(LabelFileError, match=r"a.npy index 1: label 'x' is not an integer"):
        read_label_files(y, a, y)
