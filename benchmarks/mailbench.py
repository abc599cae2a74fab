"""``make bench`` rows for 06_mailbox: a large generated mbox read by the workbook,
against iterating the same mbox with :class:`email.parser.BytesHeaderParser` alone.

The mbox (default 1 GB of 50 000 messages; ``WORKBOOK_BENCH_MAIL_MB`` for a smaller
one, the message count scaled with it) is generated into the run's temporary folder:
mostly unrelated mail of a few KB, one in ten with a 150 KB attachment, one in fifty a
reply from a person or domain of the example workspace, one in a hundred a company's
newsletter. Each side runs in a fresh interpreter that reports its own time (the
reading only) and its peak memory (``ru_maxrss``).
"""

from __future__ import annotations

import base64
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from helpers.batch import copy_example
from helpers.paths import REPO_ROOT

TARGET = 1.5
MEMORY_TARGET_MB = 300
FULL_MB = 1024
MESSAGES_PER_GB = 50_000
REPEATS = 2

FLOOR = """
import mailbox, resource, sys, time
from email import policy
from email.parser import BytesHeaderParser
parser = BytesHeaderParser(policy=policy.default)
started = time.perf_counter()
n = 0
for msg in mailbox.mbox(sys.argv[1], factory=parser.parse, create=False):
    n += 1
took = time.perf_counter() - started
print(took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, n)
"""

WORKBOOK = """
import resource, sys, time
from helpers import Workspace
from helpers.mail_import import preview
ws = Workspace(sys.argv[2])
started = time.perf_counter()
plan = preview(ws, sys.argv[1])
took = time.perf_counter() - started
print(took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, plan.counts.read)
"""

WORDS = ("the", "quarterly", "report", "meeting", "schedule", "project", "update")


def size_mb() -> int:
    """The mbox size in MB: ``WORKBOOK_BENCH_MAIL_MB``, else 1024."""
    return int(os.environ.get("WORKBOOK_BENCH_MAIL_MB", FULL_MB))


def generate(path: Path, megabytes: int, seed: int = 1) -> int:
    """Write an mbox of about ``megabytes`` MB; returns the number of messages."""
    rng = random.Random(seed)
    count = max(50, MESSAGES_PER_GB * megabytes // 1024)
    target = megabytes * 1024 * 1024
    blob = base64.encodebytes(rng.randbytes(110_000))
    per_plain = (target - count // 10 * (len(blob) + 400)) // count
    text_len = max(200, per_plain - 600)
    paragraph = " ".join(rng.choice(WORDS) for _ in range(400))
    contacts = ["maya.chen@northwind.example", "aisha.rahman@bluebird.example"]
    with path.open("wb") as f:
        for i in range(count):
            day = 1 + i % 28
            if i % 50 == 7:
                sender = contacts[i % 2]
                subject = "Re: Next steps" if i % 100 == 7 else "Update on your application"
                extra = ""
            elif i % 100 == 13:
                sender = "news@northwind.example"
                subject = "Northwind monthly"
                extra = "List-Unsubscribe: <mailto:unsubscribe@northwind.example>\n"
            else:
                sender = f"person{i % 997}@company{i % 89}.example"
                subject = f"Weekly update {i}"
                extra = ""
            body = (paragraph * (text_len // len(paragraph) + 1))[:text_len]
            body = "\n".join(body[j : j + 76] for j in range(0, len(body), 76))
            head = (
                f"From {sender} Mon Nov {day:2d} 09:00:00 2026\n"
                f"From: {sender}\nTo: jordan.rivera@example.com\nSubject: {subject}\n"
                f"Date: Mon, {day} Nov 2026 09:00:00 +0000\n"
                f"Message-ID: <bench-{i}@mail.example>\n{extra}MIME-Version: 1.0\n"
            )
            if i % 10 == 3:
                f.write(
                    (
                        head + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
                        "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n--b\n"
                        "Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
                        'Content-Disposition: attachment; filename="a.pdf"\n\n'
                    ).encode()
                    + blob
                    + b"--b--\n\n"
                )
            else:
                f.write(
                    (head + "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n\n").encode()
                )
    return count


def _run(code: str, *args: str) -> tuple[float, float, int]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2])


def run(scratch: Path, say, result_type) -> list:
    """The mailbox row: the workbook's preview against the header-parser floor."""
    megabytes = size_mb()
    path = scratch / "bench.mbox"
    say(f"generating a {megabytes:,} MB mbox …")
    count = generate(path, megabytes)
    ws = copy_example(scratch / "mail-ws")
    actual = path.stat().st_size / 1024 / 1024
    say(f"reading {count:,} messages ({actual:,.0f} MB): {REPEATS} runs each …")
    result = result_type("mailbox preview (vs BytesHeaderParser)", f"{count:,} msgs", target=TARGET)
    peak = {"floor": 0.0, "workbook": 0.0}
    for _ in range(REPEATS):
        took, rss, n_floor = _run(FLOOR, str(path))
        result.floor.append(took)
        peak["floor"] = max(peak["floor"], rss)
        took, rss, n_read = _run(WORKBOOK, str(path), str(ws))
        result.cost.append(took)
        peak["workbook"] = max(peak["workbook"], rss)
    path.unlink()
    ok = "ok" if peak["workbook"] <= MEMORY_TARGET_MB else "over the target"
    result.note = (
        f"{actual:,.0f} MB; peak memory {peak['workbook']:.0f} MB ({ok}: ≤ "
        f"{MEMORY_TARGET_MB} MB), floor {peak['floor']:.0f} MB; messages read "
        f"{n_read:,} (floor {n_floor:,})"
    )
    say("  " + json.dumps({"floor": result.floor, "workbook": result.cost, **peak}))
    return [result]
