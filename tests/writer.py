"""A process that saves records into a workspace in a loop (for the crash and
concurrency tests): ``python -m tests.writer WORKSPACE NAME COUNT``.

After each save returns it prints the record's number, so the parent knows every
record that the workbook reported as saved.
"""

from __future__ import annotations

import sys

from helpers import Workspace


def main(root: str, name: str, count: int) -> None:
    ws = Workspace(root)
    print("ready", flush=True)
    for i in range(count):
        ws.append(
            "research",
            [
                {
                    "application_id": "northwind-analytics-data-analyst",
                    "topic": "other",
                    "note": f"{name} {i} — a note with, commas and\na newline",
                    "source": name,
                }
            ],
        )
        print(i, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
