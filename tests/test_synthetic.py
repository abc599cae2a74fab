"""Synthetic workspaces (benchmarks.synthetic) and the fast paths they exercise.

The generator must give valid, reproducible workspaces; the store's fast reader and
fast validation must give exactly what the exact ones give. Nothing here is timed.
"""

from __future__ import annotations

import hashlib
import random

import pytest

from benchmarks import synthetic
from helpers import Workspace, csvio, validate
from helpers.errors import WorkspaceError
from helpers.schema import TABLES

SIZE = 1_000


def digest(root) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.iterdir())
        if p.is_file() and not p.name.endswith(".lock")
    }


@pytest.fixture(scope="module")
def synthetic_ws(tmp_path_factory) -> Workspace:
    return synthetic.generate(SIZE, 7, tmp_path_factory.mktemp("synthetic") / "ws")


def test_a_synthetic_workspace_is_valid(synthetic_ws):
    assert synthetic_ws.check() == []
    counts = synthetic_ws.counts()
    assert counts["applications"] == SIZE
    assert all(counts[name] for name in TABLES), counts


def test_about_three_contacts_two_interviews_and_four_messages_per_interviewing_application(
    synthetic_ws,
):
    tables = synthetic_ws.load_all()
    interviewing = tables["interviews"]["application_id"].nunique()
    assert 0.05 * SIZE < interviewing < 0.3 * SIZE
    for name, per_application in [("contacts", 3), ("interviews", 2), ("messages", 4)]:
        assert len(tables[name]) / interviewing == pytest.approx(per_application, rel=0.3), name


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path, synthetic_ws):
    again = synthetic.generate(SIZE, 7, tmp_path / "again", check=False)
    other = synthetic.generate(SIZE, 8, tmp_path / "other", check=False)
    assert digest(again.root) == digest(synthetic_ws.root)
    assert digest(other.root) != digest(synthetic_ws.root)


def test_the_files_are_canonical(synthetic_ws):
    """Written by the store's own writer: reading and writing again changes nothing."""
    for name in TABLES:
        df, _ = synthetic_ws.read(name)
        assert csvio.to_csv_bytes(df) == synthetic_ws.file(name).read_bytes(), name


def exact(name: str, raw: bytes, monkeypatch):
    """What the csv module path reads (the fast path switched off)."""
    with monkeypatch.context() as m:
        m.setattr(csvio, "FAST_MIN_BYTES", float("inf"))
        try:
            return csvio.parse_table(name, raw)
        except WorkspaceError as err:
            return err.problems


def assert_same(fast, slow):
    (a, rows_a), (b, rows_b) = fast, slow
    assert rows_a == rows_b
    assert list(a.columns) == list(b.columns)
    assert list(a.dtypes) == list(b.dtypes)
    assert a.equals(b)


def test_large_files_take_the_fast_reader_and_read_exactly_the_same(synthetic_ws, monkeypatch):
    taken = 0
    for name in TABLES:
        raw = synthetic_ws.file(name).read_bytes()
        fast = csvio._parse_simple(raw)
        if len(raw) >= csvio.FAST_MIN_BYTES:
            assert fast is not None, name
            taken += 1
        if fast is not None:
            assert_same(fast, exact(name, raw, monkeypatch))
    assert taken >= 1


def cell(rng: random.Random) -> str:
    plain = "ab 'é=-+@\t"
    if rng.random() < 0.6:
        return "".join(rng.choice(plain) for _ in range(rng.randint(0, 5)))
    inner = "".join(rng.choice(plain + ',\n"\r') for _ in range(rng.randint(0, 6)))
    return '"' + inner.replace('"', '""') + '"'


def test_the_fast_reader_never_reads_differently_from_the_csv_module(monkeypatch):
    """Random tables, some broken (ragged rows, stray quotes, blank lines): whenever the
    fast reader accepts one, it reads it exactly as the csv module does."""
    rng = random.Random(9)
    accepted = 0
    for _ in range(3000):
        columns = rng.randint(1, 4)
        lines = []
        for _ in range(rng.randint(1, 5)):
            n = columns if rng.random() < 0.9 else rng.randint(0, columns + 1)
            lines.append(",".join(cell(rng) for _ in range(n)))
        text = "\n".join(lines) + ("\n" if rng.random() < 0.7 else "")
        if rng.random() < 0.2:
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(['"', ",", "\n", "\n\n", " ", "x"]) + text[at:]
        raw = (b"\xef\xbb\xbf" if rng.random() < 0.1 else b"") + text.encode("utf-8")
        fast = csvio._parse_simple(raw)
        if fast is not None:
            accepted += 1
            slow = exact("t.csv", raw, monkeypatch)
            assert not isinstance(slow, list), (raw, slow)
            assert_same(fast, slow)
    assert accepted > 100


@pytest.mark.parametrize(
    ("name", "changes", "column"),
    [
        ("applications", {"application_id": "Not A Slug"}, "application_id"),
        ("applications", {"stage": "intervewing"}, "stage"),
        ("applications", {"applied_on": "2026-02-30"}, "applied_on"),
        ("applications", {"salary_min": "90000", "salary_max": "1"}, "salary_max"),
        ("applications", {"job_url": "ftp://example.com"}, "job_url"),
        ("contacts", {"email": "someone@"}, "email"),
        ("contacts", {"name": "  "}, "name"),
        ("messages", {"application_id": "no-such-application"}, "application_id"),
        ("interview_contacts", {"contact_id": "no-such-person"}, "contact_id"),
    ],
)
def test_a_problem_in_a_large_table_is_still_reported(tmp_path, monkeypatch, name, changes, column):
    ws = synthetic.generate(SIZE, 7, tmp_path / "ws", check=False)
    df, _ = ws.read(name)
    for col, value in changes.items():
        df.loc[3, col] = value
    ws.file(name).write_bytes(csvio.to_csv_bytes(df))
    problems = ws.check()
    assert any(p.file == f"{name}.csv" and p.row == 5 and p.column == column for p in problems)
    # The same problems as pandera alone finds, with the fast checks switched off.
    monkeypatch.setattr(validate, "_passes", lambda table, df: False)
    monkeypatch.setattr(validate, "_refers", lambda df, col, known: False)
    assert Workspace(ws.root).check() == problems


def test_what_a_save_writes_reads_back_as_the_table_it_saved(tmp_path):
    """A save remembers the table it wrote, so its workspace reads it back without
    parsing; a fresh workspace parses the file and must find exactly the same."""
    rng = random.Random(11)
    pieces = ["a", "Z", "0", " ", ",", '"', "'", "=", "+", "-", "@", "\t", "\r", "\n"]
    pieces += ["\r\n", "é", "王", "\u2028", "\x85", "\x0b", "\ufeff", "  spaces  ", ""]
    ws = Workspace(tmp_path / "ws")

    def text() -> str:
        return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))

    for round_ in range(40):
        records = [
            {
                "application_id": f"a-{round_}-{i}",
                "company": "Co",
                "role": "Analyst",
                "stage": "applied",
                "location": text(),
                "source": text(),
                "notes": text(),
            }
            for i in range(rng.randint(1, 5))
        ]
        ws.append("applications", records)
        assert_same(Workspace(ws.root).read("applications"), ws.read("applications"))
