"""Workspace, today, identifiers and generated paths."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import REPO_ROOT, Workspace, resolve_data_dir, resolve_today, safe_path, slugify
from helpers.paths import unique_slug

HOSTILE = [
    "../../etc/passwd",
    "/etc/passwd",
    "..\\..\\windows\\system32",
    "C:\\Users\\x",
    "a\x00b",
    "..",
    ".",
    "",
    "~",
    ".hidden",
    "name/with/slashes",
    "x" * 500,
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_never_leave_the_workspace(tmp_path, name):
    ws = Workspace(tmp_path / "ws")
    for parts in [(name,), ("drafts", name, "note.md"), (name, name), ("drafts", f"{name}.md")]:
        path = ws.path(*parts)
        assert ws.root in path.parents
        assert "\x00" not in str(path)
        assert len(path.relative_to(ws.root).parts) == len(parts)


def test_slug_examples():
    assert slugify("Northwind Analytics — Data Analyst") == "northwind-analytics-data-analyst"
    assert slugify("Zoë Müller") == "zoe-muller"
    assert slugify("王伟") == "wang-wei"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("!!!") == "item"
    assert unique_slug("Acme", {"acme", "acme-2"}) == "acme-3"


def test_file_suffix_is_kept_and_stem_is_a_slug(tmp_path):
    assert safe_path(tmp_path, "drafts", "Thank You, Priya!.md").name == "thank-you-priya.md"
    assert safe_path(tmp_path, "../x.eml").name == "x.eml"


def test_data_dir_parameter_then_environment_then_default(monkeypatch, tmp_path):
    monkeypatch.delenv("WORKBOOK_DATA", raising=False)
    assert resolve_data_dir("") == (REPO_ROOT / "data").resolve()
    assert resolve_data_dir("data/example") == (REPO_ROOT / "data" / "example").resolve()
    monkeypatch.setenv("WORKBOOK_DATA", str(tmp_path))
    assert resolve_data_dir("") == tmp_path.resolve()
    assert resolve_data_dir(str(tmp_path / "p")) == (tmp_path / "p").resolve()


def test_today_parameter_then_environment_then_date(monkeypatch):
    monkeypatch.delenv("WORKBOOK_TODAY", raising=False)
    assert resolve_today("") == dt.date.today()
    monkeypatch.setenv("WORKBOOK_TODAY", "2026-11-25")
    assert resolve_today("") == dt.date(2026, 11, 25)
    assert resolve_today("2027-01-04") == dt.date(2027, 1, 4)
    assert resolve_today(dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)


@pytest.mark.parametrize("bad", ["25/11/2026", "2026-13-01", "20261125", "tomorrow"])
def test_a_bad_today_names_where_it_came_from(monkeypatch, bad):
    monkeypatch.delenv("WORKBOOK_TODAY", raising=False)
    with pytest.raises(ValueError, match=r"today = .* YYYY-MM-DD"):
        resolve_today(bad)
    monkeypatch.setenv("WORKBOOK_TODAY", bad)
    with pytest.raises(ValueError, match="WORKBOOK_TODAY"):
        resolve_today("")
