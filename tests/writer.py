"""A process that saves records into a workspace in a loop (for the crash and
concurrency tests): ``python -m tests.writer WORKSPACE NAME COUNT``; or, with
``NAME`` ``files``, rewrites a batch of note files COUNT times.

After each save returns it prints the record's (or batch's) number, so the parent
knows every save that the workbook reported as done.
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


NOTES = 60


def note(generation: int, i: int) -> bytes:
    return f"{generation} {i} {'x' * 4000}\n".encode()


def files(root: str, count: int) -> None:
    from pathlib import Path

    from helpers import Workspace

    ws = Workspace(root)
    folder = Path(root) / "notes"
    print("ready", flush=True)
    for generation in range(count):
        ws.write_files({folder / f"{i}.md": note(generation, i) for i in range(NOTES)})
        print(generation, flush=True)


if __name__ == "__main__":
    if sys.argv[2] == "files":
        files(sys.argv[1], int(sys.argv[3]))
    else:
        main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
