"""The caseload: 500 synthetic client bundles (some clients with two, two malformed):
one row per client, who needs attention first, the malformed two reported; the notes
file a client imports; nothing written into a bundle."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest

from benchmarks import caseloadbench as bench
from helpers import caseload
from helpers.glance import SUMMARY_MEMBER, from_json
from helpers.share import import_coach_notes

TODAY = bench.TODAY
WEEK = dt.timedelta(days=7)
CHANGED = bench.CHANGED


@pytest.fixture(scope="module")
def members(tmp_path_factory) -> dict[str, bytes]:
    """The workspace part of a real bundle of the example (tables, profile, numbers)."""
    return bench.example_members(tmp_path_factory.mktemp("ex"))


def _zip(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


@pytest.fixture(scope="module")
def folder(tmp_path_factory, members):
    root = tmp_path_factory.mktemp("bundles")
    assert bench.write_bundles(root, members) == 500
    return root


@pytest.fixture(scope="module")
def read(folder):
    seen = []
    load = caseload.read_caseload(folder, TODAY, lambda done, total: seen.append((done, total)))
    return load, seen


def test_500_bundles_one_row_per_client_who_needs_attention_first(read):
    load, seen = read
    assert seen[-1] == (500, 500) and len(seen) == 500
    assert [s.file for s in load.skipped] == [
        "badstage-bundle-2026-11-25.zip",
        "broken-bundle-2026-11-25.zip",
    ]
    assert "nearly there" in load.skipped[0].reason
    assert "cannot open" in load.skipped[1].reason
    names = [c.name for c in load.clients]
    assert len(names) == len(set(names)) == 450
    kinds = [bench.KINDS[int(c.name.split()[1]) % len(bench.KINDS)] for c in load.clients]
    assert kinds == sorted(kinds, key=bench.ORDER.index)
    assert sum(len(c.bundles) == 2 for c in load.clients) == bench.TWICE
    assert load.clients[0].name == "Client 000" and load.clients[0].reasons == ["1 offer to answer"]
    assert load.clients[-1].reasons == ["Offer signed: the search is over"]
    table = caseload.caseload_table(load)
    assert len(table) == 450 and table["why first"].iloc[0] == "1 offer to answer"


def test_a_client_with_two_bundles_shows_what_changed_and_only_their_own(read):
    load, _ = read
    twice = load.client("Client 001")
    assert [b.as_of for b in twice.bundles] == ["2026-11-25", "2026-11-18"]
    assert all(b.file.startswith("client001-") for b in twice.bundles)
    moved = twice.changes.stage_changes
    assert moved == [("Lumen Energy — Data Scientist", "applied", "screening")]
    assert load.client("Client 100").changes is None


def test_unsafe_names_and_oversized_tables_are_refused(tmp_path, members):
    _zip(tmp_path / "slip.zip", {**members, "../../evil.txt": b"x"})
    with pytest.raises(caseload.BundleError, match="outside its folder"):
        caseload.read_bundle(tmp_path / "slip.zip")
    _zip(tmp_path / "other.zip", {"hello.txt": b"x"})
    with pytest.raises(caseload.BundleError, match="is it a workbook bundle"):
        caseload.read_bundle(tmp_path / "other.zip")
    _zip(tmp_path / "badsummary.zip", {**members, SUMMARY_MEMBER: b'{"format": 1}'})
    with pytest.raises(caseload.BundleError, match="summary"):
        caseload.read_bundle(tmp_path / "badsummary.zip")


def test_a_bundle_without_its_numbers_gets_them_computed(tmp_path, members):
    without = {k: v for k, v in members.items() if k != SUMMARY_MEMBER}
    _zip(tmp_path / "bundle-2026-11-25.zip", without)
    bundle = caseload.read_bundle(tmp_path / "bundle-2026-11-25.zip")
    assert bundle.glance == from_json(members[SUMMARY_MEMBER])
    assert bundle.client == "Jordan Rivera"


def test_the_notes_file_is_what_05_imports_and_no_bundle_is_touched(
    folder, read, example_ws, tmp_path
):
    before = {p.name: p.read_bytes() for p in folder.glob("*.zip")}
    load, _ = read
    client = load.client("Client 002")
    notes = tmp_path / "notes"
    caseload.write_notes_file(
        notes, client, TODAY, "harbor-bank-bi-developer", "Ask about =SUM(1)", "Coach"
    )
    path = caseload.write_notes_file(
        notes, client, TODAY, "lumen-energy-data-scientist", "Good", ""
    )
    assert path.parent == notes and path.name == "coach-notes-client-002-2026-11-25.zip"
    with pytest.raises(caseload.WorkspaceError, match="no such application"):
        caseload.write_notes_file(notes, client, TODAY, "not-theirs", "x")
    profile = example_ws.root / "profile.yml"  # the client's own workspace: their search
    profile.write_text(
        profile.read_text("utf-8") + f"search_id: '{client.latest.profile.search_id}'\n", "utf-8"
    )
    done = import_coach_notes(example_ws, path)
    assert done.added == 2
    added = example_ws.load("coach_notes")
    assert "Ask about =SUM(1)" in set(added["note"])  # read back as typed, stored neutralised
    assert {p.name: p.read_bytes() for p in folder.glob("*.zip")} == before


def test_notes_pointing_nowhere_and_hostile_names_are_handled(tmp_path, members):
    from helpers.caseload_forms import client_html

    stray = members["data/coach_notes.csv"] + b"no-such-application,Hello,Coach,2026-11-20\n"
    _zip(tmp_path / "stray.zip", {**members, "data/coach_notes.csv": stray})
    with pytest.raises(caseload.BundleError, match="no-such-application"):
        caseload.read_bundle(tmp_path / "stray.zip")
    hostile = members["data/profile.yml"].replace(
        b"name: Jordan Rivera", b"name: '<script>x()</script> $a$'", 1
    )
    _zip(tmp_path / "bundle-2026-11-25.zip", {**members, "data/profile.yml": hostile})
    load = caseload.read_caseload(tmp_path, TODAY)
    assert [s.file for s in load.skipped] == ["stray.zip"], load.skipped
    assert [c.name for c in load.clients] == ["<script>x()</script> $a$"]
    page = client_html(load.clients[0])
    assert "<script>" not in page and "&lt;script&gt;x()&lt;/script&gt;" in page
    assert "mathjax_ignore" in page


def test_the_domain_module_imports_no_widgets_ipython_or_charts():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(caseload))
    imported = {
        (n.module if isinstance(n, ast.ImportFrom) else a.name).split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    assert not imported & {"ipywidgets", "IPython", "matplotlib"}


def _bundle_of(tmp_path, name: str, folder, file: str, today=TODAY, *, from_ws=None):
    """A real bundle of a copy of the example whose profile says ``name``; returns its
    workspace (a new client's own, unless ``from_ws`` continues one)."""
    from helpers.batch import copy_example
    from helpers.share import bundle_bytes
    from helpers.store import Workspace

    ws = from_ws or Workspace(copy_example(tmp_path / file.removesuffix(".zip")))
    profile = ws.root / "profile.yml"
    profile.write_text(
        profile.read_text("utf-8").replace("name: Jordan Rivera", f"name: {name}"), "utf-8"
    )
    (folder / file).write_bytes(bundle_bytes(ws, today))
    return ws


def test_two_clients_of_the_same_name_stay_two_clients(tmp_path):
    """Each bundle names its search (a random id made with the first bundle): two
    Alex Kims are two rows, each with only their own bundles and notes file."""
    folder = tmp_path / "bundles"
    folder.mkdir()
    first = _bundle_of(tmp_path, "Alex Kim", folder, "alex-a-2026-11-18.zip", TODAY - WEEK)
    apps = first.load("applications")
    apps.loc[apps["application_id"] == "lumen-energy-data-scientist", "stage"] = "rejected"
    first.save("applications", apps)
    _bundle_of(tmp_path, "Alex Kim", folder, "alex-a-2026-11-25.zip", from_ws=first)
    second = _bundle_of(tmp_path, "Alex Kim", folder, "alex-b-2026-11-25.zip")
    load = caseload.read_caseload(folder, TODAY)
    assert sorted(c.name for c in load.clients) == [
        "Alex Kim (alex-a-2026-11-25)",
        "Alex Kim (alex-b-2026-11-25)",
    ]
    a = load.client("Alex Kim (alex-a-2026-11-25)")
    b = load.client("Alex Kim (alex-b-2026-11-25)")
    assert [x.file for x in a.bundles] == ["alex-a-2026-11-25.zip", "alex-a-2026-11-18.zip"]
    assert [x.file for x in b.bundles] == ["alex-b-2026-11-25.zip"] and b.changes is None
    assert a.changes.stage_changes == [("Lumen Energy — Data Scientist", "screening", "rejected")]
    notes = {
        caseload.write_notes_file(tmp_path / "notes", c, TODAY, CHANGED, "Hi", "Coach")
        for c in (a, b)
    }
    assert len(notes) == 2  # one notes file each, never one overwriting the other
    for_b = caseload.notes_file(tmp_path / "notes", b, TODAY)
    with pytest.raises(caseload.WorkspaceError, match="another person's search"):
        import_coach_notes(first, for_b)  # the same application id, someone else's notes
    assert "Hi" not in set(first.load("coach_notes")["note"])
    assert import_coach_notes(second, for_b).added == 1
    table = caseload.caseload_table(load)
    assert table["client"].is_unique


def test_a_bundle_from_before_the_search_id_joins_its_one_search(tmp_path, members):
    """An older bundle without the id goes with the one search of its name; with two
    searches of that name it is kept apart from both."""
    old_profile = b"".join(
        line
        for line in members["data/profile.yml"].splitlines(True)
        if not line.startswith(b"search_id")
    )
    old = {**members, "data/profile.yml": old_profile}
    _zip(tmp_path / "jordan-2026-11-18.zip", old)
    _zip(tmp_path / "jordan-2026-11-25.zip", members)
    load = caseload.read_caseload(tmp_path, TODAY)
    assert [[b.file for b in c.bundles] for c in load.clients] == [
        ["jordan-2026-11-25.zip", "jordan-2026-11-18.zip"]
    ]
    other = bench.client_members(members, 7, TODAY)["data/profile.yml"].replace(
        b"Client 007", b"Jordan Rivera"
    )
    _zip(tmp_path / "another-jordan-2026-11-25.zip", {**members, "data/profile.yml": other})
    load = caseload.read_caseload(tmp_path, TODAY)
    assert sorted([b.file for b in c.bundles] for c in load.clients) == [
        ["another-jordan-2026-11-25.zip"],
        ["jordan-2026-11-18.zip"],
        ["jordan-2026-11-25.zip"],
    ]


def test_a_search_id_that_is_not_one_is_refused(tmp_path, members):
    bad = re.sub(rb"(?m)^search_id: .*$", b"search_id: ../../etc", members["data/profile.yml"])
    _zip(tmp_path / "odd.zip", {**members, "data/profile.yml": bad})
    with pytest.raises(caseload.BundleError, match=r"profile\.yml cannot be read"):
        caseload.read_bundle(tmp_path / "odd.zip")
