"""Exact CSV text in and out: files on disk read as typed, problems by file, row, column."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from helpers import csvio
from helpers.errors import WorkspaceError


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _problems(path):
    with pytest.raises(WorkspaceError) as caught:
        csvio.read_table(path)
    return [(p.file, p.row, p.column) for p in caught.value.problems], str(caught.value)


def test_cells_are_read_as_typed_and_rows_counted_as_a_spreadsheet_does(tmp_path):
    path = _write(
        tmp_path,
        "contacts.csv",
        b'\xef\xbb\xbfzip,name,note\r\n02139,,"two\r\nlines"\r\n\r\n007,Lee,\'=1+1\r\n',
    )
    df, rows = csvio.read_table(path)
    assert list(df.columns) == ["zip", "name", "note"]
    assert df.to_dict("records") == [
        {"zip": "02139", "name": "", "note": "two\r\nlines"},
        {"zip": "007", "name": "Lee", "note": "=1+1"},
    ]
    assert rows == [2, 4]  # a record is one row, however many lines; a blank one counts
    assert all(pd.api.types.is_string_dtype(df[c]) for c in df.columns)


def test_what_is_written_reads_back_the_same(tmp_path):
    df = pd.DataFrame(
        {
            "company": ['=HYPERLINK("x")', "'plain", "a,b", 'say "hi"', "cr\ronly"],
            "amount": ["-5", "+1", "@sum", "\tx", "0042"],
        },
        dtype="str",
    )
    path = tmp_path / "applications.csv"
    csvio.atomic_write(path, csvio.to_csv_bytes(df))
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith("\"'=HYPERLINK")  # a spreadsheet shows it as text
    back, rows = csvio.read_table(path)
    pd.testing.assert_frame_equal(back, df)
    assert rows == [2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("=1+1", "'=1+1"), ("'=x", "''=x"), ("'plain", "'plain"), ("-3", "'-3"), ("a=b", "a=b")],
)
def test_formulas_are_neutralised_and_restored_exactly(typed, stored):
    s = pd.Series([typed], dtype="str")
    assert csvio.neutralise(s).tolist() == [stored]
    assert csvio.restore(csvio.neutralise(s)).tolist() == [typed]


@pytest.mark.parametrize(
    ("data", "sep"),
    [
        ("a;b;c\n1;2;3\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a,b\n1;2,3\n", ","),
        ("only\n1\n", ","),
        ("note;x\n", ";"),
    ],
)
def test_the_delimiter_is_what_splits_the_header(data, sep):
    assert csvio.delimiter(data) == sep


def test_excel_semicolon_and_unicode_text_files_are_read(tmp_path):
    semi = _write(tmp_path, "a.csv", "name;city\nZoë;Köln\n".encode())
    utf16 = _write(tmp_path, "b.csv", "name\tcity\r\nZoë\tKöln\r\n".encode("utf-16"))
    for path in (semi, utf16):
        df, rows = csvio.read_table(path)
        assert df.to_dict("records") == [{"name": "Zoë", "city": "Köln"}] and rows == [2]


def test_an_empty_file_is_an_empty_table(tmp_path):
    df, rows = csvio.read_table(_write(tmp_path, "x.csv", b""))
    assert df.empty and rows == []
    df, rows = csvio.read_table(_write(tmp_path, "y.csv", b"a,b\n"))
    assert list(df.columns) == ["a", "b"] and df.empty and rows == []


def test_a_header_without_a_name_or_twice_the_same_name(tmp_path):
    found, message = _problems(_write(tmp_path, "apps.csv", b"id,,id\n1,2,3\n"))
    assert found == [("apps.csv", 1, "#2"), ("apps.csv", 1, "id")]
    assert "no name in the header" in message and "appears twice" in message


def test_every_ragged_row_is_listed_with_what_is_wrong(tmp_path):
    path = _write(tmp_path, "apps.csv", b"id,company,role\n1,Acme,Analyst\n2,Acme\n3,A,B,C\n")
    found, message = _problems(path)
    assert found == [("apps.csv", 3, "role"), ("apps.csv", 4, None)]
    assert "row 3, column 'role': this row has 2 cells but the header has 3 columns" in message
    assert "the extra cells are ['C'] (a comma inside a value needs quotes)" in message


def test_broken_quoting_names_the_row(tmp_path):
    found, message = _problems(_write(tmp_path, "notes.csv", b'id,note\n1,ok\n2,"bad"x\n'))
    assert found == [("notes.csv", 3, None)]
    assert "the quoting is broken" in message


def test_a_file_that_is_not_utf8_names_row_column_and_byte(tmp_path):
    path = _write(tmp_path, "contacts.csv", b"name,city\nAnn,Paris\nZo\xeb,K\xf6ln\n")
    found, message = _problems(path)
    assert found == [("contacts.csv", 3, "name")]
    assert "byte 0xeb at position 22" in message and "'CSV UTF-8'" in message


def test_a_large_plain_file_reads_the_same_by_either_parser(tmp_path):
    n = csvio.FAST_MIN_BYTES // 20 + 10
    df = pd.DataFrame(
        {
            "id": [f"{i:05d}" for i in range(n)],
            "note": ["=x" if i % 7 == 0 else f'a "q", {i}' for i in range(n)],
        },
        dtype="str",
    )
    raw = csvio.to_csv_bytes(df)
    assert len(raw) >= csvio.FAST_MIN_BYTES
    path = _write(tmp_path, "big.csv", raw)
    fast = csvio.read_table(path)
    slow = csvio._records("big.csv", raw.decode("utf-8"))
    pd.testing.assert_frame_equal(fast[0], df)
    assert fast[1] == slow[2] == list(range(2, n + 2))


def test_an_atomic_write_keeps_the_file_mode_and_leaves_no_temporary_file(tmp_path):
    path = _write(tmp_path, "applications.csv", b"old\n")
    os.chmod(path, 0o600)
    csvio.atomic_write(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["applications.csv"]


def test_a_failed_commit_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    path = _write(tmp_path, "applications.csv", b"old\n")

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csvio.os, "replace", refuse)
    with pytest.raises(OSError):
        csvio.atomic_write(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["applications.csv"]


def test_a_staged_file_is_beside_its_target_until_committed(tmp_path):
    path = tmp_path / "sub" / "messages.csv"
    tmp = csvio.stage(path, b"x\n")
    assert tmp.parent == path.parent and tmp.name.startswith(".messages.csv.")
    assert not path.exists()
    csvio.commit(tmp, path)
    assert path.read_bytes() == b"x\n" and not tmp.exists()
    assert csvio.file_mode(path) == stat.S_IMODE(path.stat().st_mode)
