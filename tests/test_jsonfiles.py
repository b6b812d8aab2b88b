"""Our JSON files (results, gaps) are read back by one reader, with one error style."""

import pytest

from cxassess.errors import FileNotFound, InputError
from cxassess.gap.model import read_gap
from cxassess.results import read_results


@pytest.mark.parametrize(
    ("reader", "what"), [(read_results, "results file"), (read_gap, "gap file")]
)
def test_every_kind_of_our_files_fails_the_same_way(tmp_path, reader, what):
    with pytest.raises(FileNotFound, match=f"{what} not found"):
        reader(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": ', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.json: not JSON \(line 1"):
        reader(broken)
    other = tmp_path / "other.json"
    other.write_text('{"schema": "cxassess.comparison/1"}', encoding="utf-8")
    with pytest.raises(
        InputError, match=f"other.json: not a cxassess {what} \\(schema 'cxassess.comparison/1'\\)"
    ):
        reader(other)


def test_a_results_file_missing_its_fields_names_the_first_one(tmp_path):
    thin = tmp_path / "thin.json"
    thin.write_text('{"schema": "cxassess.results/1"}', encoding="utf-8")
    with pytest.raises(InputError, match=r"thin\.json: not a cxassess results file \(") as caught:
        read_results(thin)
    assert "give a file written by `cxassess score -o results.json`" in caught.value.hint


def test_number_of_thousands_of_digits_is_bad_input_not_a_crash(tmp_path) -> None:
    from cxassess.jsonfiles import loads_json

    text = '{"schema": "cxassess.results/1", "n": ' + "9" * 100_000 + "}"
    with pytest.raises(InputError, match="cannot be read"):
        loads_json(text, tmp_path / "big.json")
