"""Shared fixtures: real workspaces on disk, copied from the example or empty."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from helpers import Workspace
from helpers.batch import EXAMPLE_DIR, copy_example, example_today

TESTS_DIR = Path(__file__).parent


@pytest.fixture
def example_ws(tmp_path) -> Workspace:
    """A fresh copy of ``data/example`` in ``tmp_path``."""
    return Workspace(copy_example(tmp_path / "example"))


@pytest.fixture
def empty_ws(tmp_path) -> Workspace:
    """A workspace folder with nothing in it yet."""
    root = tmp_path / "empty"
    root.mkdir()
    return Workspace(root)


@pytest.fixture(scope="session")
def today() -> str:
    """The example's fixed date."""
    return example_today()


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` (lock files aside) with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


@pytest.fixture(scope="session")
def example_digest() -> dict[str, str]:
    """The committed example as it was when the test session started."""
    return tree_digest(EXAMPLE_DIR)


def many_applications(n: int):
    """``n`` valid applications (``company-<i>-analyst``, "Company <i>", applied)."""
    import pandas as pd

    return pd.DataFrame(
        {
            "application_id": [f"company-{i}-analyst" for i in range(n)],
            "company": [f"Company {i}" for i in range(n)],
            "role": ["Analyst"] * n,
            "stage": ["applied"] * n,
            "applied_on": ["2026-11-02"] * n,
        }
    )
