"""The example's client bundles (``data/example/bundles/``, the worked example of
07_caseload): what ``make example-bundles`` makes today, and a caseload of three."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from helpers.batch import EXAMPLE_DIR, example_today
from helpers.caseload import read_caseload
from tools import example_bundles


def _contents(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_the_committed_bundles_are_what_the_tool_makes_now(tmp_path):
    made = example_bundles.make(tmp_path)
    committed = sorted(example_bundles.BUNDLES_DIR.glob("*.zip"))
    assert sorted(p.name for p in made) == [p.name for p in committed]
    for path in committed:
        assert _contents(path) == _contents(tmp_path / path.name), (
            f"{path.relative_to(EXAMPLE_DIR)} is out of date: run `make example-bundles`"
        )


def test_the_example_caseload_reads_three_clients_and_what_changed():
    load = read_caseload(example_bundles.BUNDLES_DIR, dt.date.fromisoformat(example_today()))
    assert load.skipped == []
    assert [c.name for c in load.clients] == [
        "Mei Tanaka (田中 芽衣)",
        "Jordan Rivera",
        "Sam Okafor",
    ]
    mei, jordan, sam = load.clients
    assert "1 thank-you overdue" in mei.reasons
    assert sam.reasons == ["Offer signed: the search is over"]
    assert [b.as_of for b in jordan.bundles] == ["2026-11-25", "2026-11-18"]
    change = jordan.changes
    assert ("Harbor Bank — BI Developer", "interviewing", "offer") in change.stage_changes
    assert "Quarry Labs — Product Analyst" in change.new_applications
    for client in load.clients:  # the data of a bundle, not the workbook's own files
        for bundle in client.bundles:
            names = _contents(example_bundles.BUNDLES_DIR / bundle.file)
            assert all(n.startswith("data/") and n.count("/") == 1 for n in names)


def test_the_earlier_bundle_holds_nothing_recorded_after_its_day():
    with zipfile.ZipFile(example_bundles.BUNDLES_DIR / "jordan-rivera-bundle-2026-11-18.zip") as zf:
        for name in ("data/interviews.csv", "data/stage_history.csv", "data/messages.csv"):
            text = zf.read(name).decode("utf-8")
            assert "2026-11-19" not in text and "2026-11-2" not in text, name
