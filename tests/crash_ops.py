"""One multi-table save, run in its own process so a test can kill it or fail its I/O.

    python -m tests.crash_ops OPERATION WORKSPACE

Exits 0 when the save was made, 1 with the workbook's message when it was refused
(such as "already at stage offer" when the save had been made before); anything else
(a traceback) is a defect.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from helpers import Workspace, WorkspaceError

TODAY = dt.date(2026, 11, 25)
TESTS = Path(__file__).resolve().parent
INTERVIEW = {
    "company": "Quarry Labs",
    "role": "Product Analyst",
    "held_on": "2026-11-24",
    "round": "1",
    "format": "video",
    "people": [
        {"name": "Ana Silva", "email": "ana@quarry.example", "talking_point": "the roadmap"},
        {"name": "Bo Chen", "email": "bo@quarry.example", "talking_point": "dbt tests"},
    ],
}


def record_interview(ws: Workspace) -> None:
    from helpers.interviews import record_from_parameters

    record_from_parameters(ws, INTERVIEW, TODAY)


def draft_thank_yous(ws: Workspace) -> None:
    from helpers.thankyou import draft_thank_yous

    draft_thank_yous(ws, TODAY)


def change_stage(ws: Workspace) -> None:
    from helpers.pipeline import change_stage

    change_stage(ws, "bluebird-health-analytics-engineer", "offer", TODAY)


def import_tracker(ws: Workspace) -> None:
    from helpers.importer import import_applications

    import_applications(ws, TESTS / "imports" / "teal_export.csv")


def import_coach_notes(ws: Workspace) -> None:
    from helpers.share import import_coach_notes

    import_coach_notes(ws, ws.root.parent / "coach-bundle.zip")


OPERATIONS = {
    "record-interview": record_interview,
    "draft-thank-yous": draft_thank_yous,
    "change-stage": change_stage,
    "import-tracker": import_tracker,
    "import-coach-notes": import_coach_notes,
}


def main(operation: str, root: str) -> int:
    try:
        OPERATIONS[operation](Workspace(root))
    except (WorkspaceError, ValueError) as err:  # the workbook's refusals, with a message
        print(err)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
