"""Property tests: whatever text a user types is saved and read back exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import Workspace, csvio
from helpers.paths import safe_path, slugify

# Text as people type it, plus values built to look like spreadsheet formulas.
FORMULA_PREFIXES = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "''", "'=", "''+"])
TEXT = st.one_of(
    st.text(),
    st.builds(lambda p, t: p + t, FORMULA_PREFIXES, st.text()),
    st.text(alphabet=st.sampled_from(list(",\"'\r\n =+-@\t;x")), max_size=12),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(notes=st.lists(TEXT, min_size=1, max_size=5), location=TEXT)
def test_saved_text_reads_back_exactly(notes, location):
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(tmp)
        records = [
            {
                "application_id": f"app-{i}",
                "company": "Acme",
                "role": "Analyst",
                "stage": "applied",
                "notes": note,
                "location": location,
            }
            for i, note in enumerate(notes)
        ]
        ws.append("applications", records)
        loaded = ws.load("applications")
        assert list(loaded["notes"]) == notes
        assert set(loaded["location"]) == {location}
        # Saving what was read changes no byte.
        before = ws.file("applications").read_bytes()
        ws.save("applications", loaded)
        assert ws.file("applications").read_bytes() == before


@SETTINGS
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_no_cell_in_the_file_starts_a_formula(values):
    import csv
    import io

    import pandas as pd

    data = csvio.to_csv_bytes(pd.DataFrame({"a": pd.Series(values, dtype="str")}))
    cells = [r[0] for r in csv.reader(io.StringIO(data.decode("utf-8"), newline=""))][1:]
    assert len(cells) == len(values)
    for cell in cells:
        assert not cell[:1] or cell[0] not in "=+-@\t\r"


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_paths_from_any_names_stay_inside_the_workspace(parts):
    root = Path(tempfile.gettempdir()) / "workbook-root"
    path = safe_path(root, *parts)
    assert path == root.resolve() or root.resolve() in path.parents
    assert len(path.relative_to(root.resolve()).parts) == len(parts)


@given(TEXT)
def test_slugs_are_path_safe(text):
    slug = slugify(text)
    assert slug
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert not slug.startswith("-") and ".." not in slug
