"""Create and sync the workbook's environment (.venv) from the committed lock files.

    python3 tools/environment.py runtime   # what make lab, app, run and env need
    python3 tools/environment.py test      # the runtime plus the test tools (make test, bench)
    python3 tools/environment.py lock      # refresh locks/ from pyproject.toml (make lock)
    python3 tools/environment.py check     # does locks/ still match pyproject.toml?

The lock files pin every package, for every platform (``uv pip compile --universal``);
``pyproject.toml`` keeps the ranges. uv installs them in seconds; when uv cannot be had
(from PATH, or from PyPI into ``.tools/uv``), pip installs the same lock, more slowly.
Uses only the standard library: it runs before any environment exists.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
LOCKS = ROOT / "locks"
LOCK = {"runtime": LOCKS / "runtime.txt", "test": LOCKS / "test.txt"}
UV_VERSION = "0.13.9"
UV_HOME = ROOT / ".tools" / "uv"
PYTHON_FLOOR = "3.11"
COMPILE = ["--universal", "--python-version", PYTHON_FLOOR, "--custom-compile-command", "make lock"]
PROJECT_NOTE = "post-interview-workbook (pyproject.toml)"


def say(message: str) -> None:
    print(f"  {message}", flush=True)


def step(message: str, command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run one set-up step, saying what it is and how long it took."""
    start = time.monotonic()
    print(f"  {message} …", end="", flush=True)
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        print(" failed", flush=True)
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"set-up stopped: {message} failed (command: {' '.join(command)})")
    print(f" {time.monotonic() - start:.1f} s", flush=True)
    return done


# --- the lock and pyproject.toml ------------------------------------------------------------


def _name(requirement: str) -> str:
    """A requirement's project name, normalised as PyPI does (``ruamel.yaml`` →
    ``ruamel-yaml``)."""
    raw = re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", raw).lower()


def wanted(kind: str) -> dict[str, str]:
    """The direct requirements of ``kind`` in pyproject.toml, by normalised name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    if kind == "test":
        specs += project["optional-dependencies"]["test"]
    return {_name(s): s for s in specs}


def pins(lock: Path) -> dict[str, list[tuple[str, str, list[str]]]]:
    """Every pin of a lock file: name → [(version, marker, what it is needed by)]."""
    found: dict[str, list[tuple[str, str, list[str]]]] = {}
    current: list[str] | None = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==([^ ;]+)\s*(?:;\s*(.*))?$", line)
        if match:
            current = []
            found.setdefault(_name(match[1]), []).append((match[2], match[3] or "", current))
        elif current is not None and line.startswith("    #"):
            via = line.strip("# ").removeprefix("via").strip()
            if via:
                current.append(via)
    return found


def _satisfies(version: str, spec: str) -> bool:
    """Whether ``version`` meets every clause of a simple range such as ``>=3.0,<4``."""

    def key(v: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", v.split("+")[0])[:4])

    clauses = re.findall(r"(>=|<=|==|!=|~=|<|>)\s*([0-9][0-9A-Za-z.*]*)", spec)
    for op, bound in clauses:
        v, b = key(version), key(bound.replace(".*", ""))
        width = max(len(v), len(b))
        v, b = v + (0,) * (width - len(v)), b + (0,) * (width - len(b))
        ok = {
            ">=": v >= b,
            "<=": v <= b,
            ">": v > b,
            "<": v < b,
            "==": v == b,
            "!=": v != b,
            "~=": v >= b and v[: len(key(bound)) - 1] == b[: len(key(bound)) - 1],
        }[op]
        if not ok:
            return False
    return True


def stale(kind: str) -> list[str]:
    """Why locks/<kind>.txt no longer matches pyproject.toml (empty when it does)."""
    lock = LOCK[kind]
    if not lock.exists():
        return [f"{lock.relative_to(ROOT)} is missing"]
    want, have = wanted(kind), pins(lock)
    problems = []
    for name, spec in sorted(want.items()):
        if name not in have:
            problems.append(f"{spec!r} is in pyproject.toml but not pinned in the lock")
            continue
        for version, _marker, _via in have[name]:
            if not _satisfies(version, spec):
                problems.append(f"the lock pins {name}=={version}, outside {spec!r}")
    direct = {n for n, entries in have.items() for *_, via in entries if PROJECT_NOTE in via}
    for name in sorted(direct - set(want)):
        problems.append(f"the lock still pins {name} for the project, no longer in pyproject.toml")
    return [f"{lock.relative_to(ROOT)}: {p}" for p in problems]


def lock_digest(kind: str) -> str:
    return hashlib.sha256(LOCK[kind].read_bytes()).hexdigest()


# --- uv, or pip -----------------------------------------------------------------------------


def find_uv() -> str | None:
    """uv from PATH, from .tools/uv, or installed there from PyPI with pip (never a script)."""
    for candidate in (shutil.which("uv"), UV_HOME / "bin" / "uv"):
        if candidate and Path(candidate).exists():
            return str(candidate)
    start = time.monotonic()
    print(f"  getting uv {UV_VERSION} from PyPI into .tools/uv (once) …", end="", flush=True)
    got = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            str(UV_HOME),
            f"uv=={UV_VERSION}",
        ],
        capture_output=True,
        text=True,
    )
    uv = UV_HOME / "bin" / "uv"
    if got.returncode != 0 or not uv.exists():
        print(" not available", flush=True)
        reason = (got.stderr.strip().splitlines() or ["pip could not install it"])[-1]
        say(f"uv is not available ({reason}); installing with pip from the same lock instead")
        return None
    print(f" {time.monotonic() - start:.1f} s", flush=True)
    return str(uv)


def uv_env() -> dict[str, str]:
    # Never download a Python: the environment uses the interpreter that runs this script.
    return {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": str(VENV)}


def python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def stamp(kind: str) -> Path:
    return VENV / f".{kind}-stamp"


def current(kind: str) -> bool:
    return stamp(kind).exists() and stamp(kind).read_text().strip() == lock_digest(kind)


def sync(kind: str) -> None:
    start = time.monotonic()
    if kind == "runtime" and python().exists() and current("test"):
        # The test environment holds the runtime, pinned alike: nothing to remove or add.
        stamp("runtime").write_text(lock_digest("runtime"))
        return
    problems = stale(kind)
    if problems:
        say("warning: pyproject.toml changed since the lock was made; run 'make lock'")
        for problem in problems:
            say(f"  {problem}")
    lock = LOCK[kind]
    count = sum(len(v) for v in pins(lock).values())
    uv = find_uv()
    version = ".".join(map(str, sys.version_info[:3]))
    if uv:
        if not python().exists():
            step(
                f"creating the environment ({VENV.name}, Python {version})",
                [uv, "venv", "--quiet", "--python", sys.executable, str(VENV)],
                env=uv_env(),
            )
        for name in ("runtime", "test"):
            stamp(name).unlink(missing_ok=True)
        done = step(
            f"installing from {lock.relative_to(ROOT)} ({count} pins for every platform; uv)",
            [uv, "pip", "sync", "--compile-bytecode", "--python", str(python()), str(lock)],
            env=uv_env(),
        )
        changed = re.findall(r"^\s*(Installed|Uninstalled) (\d+) packages?", done.stderr, re.M)
        say(", ".join(f"{verb.lower()} {n}" for verb, n in changed) or "already in step")
        step(
            "installing the workbook's helpers (editable)",
            [
                uv,
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--python",
                str(python()),
                "-e",
                str(ROOT),
            ],
            env=uv_env(),
        )
    else:
        if not python().exists():
            step(
                f"creating the environment ({VENV.name}, Python {version})",
                [sys.executable, "-m", "venv", str(VENV)],
            )
        for name in ("runtime", "test"):
            stamp(name).unlink(missing_ok=True)
        pip = [str(python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        step(
            f"installing {count} packages from {lock.relative_to(ROOT)} (pip: a few minutes)",
            [*pip, "--no-deps", "-r", str(lock)],
        )
        step("installing the workbook's helpers (editable)", [*pip, "--no-deps", "-e", str(ROOT)])
    step(
        "building the matplotlib font cache",
        [str(python()), "-c", "import matplotlib.font_manager"],
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    stamp("runtime").write_text(lock_digest("runtime"))
    if kind == "test":
        stamp("test").write_text(lock_digest("test"))
    say(f"{kind} environment ready in {time.monotonic() - start:.1f} s")


def lock(upgrade: bool) -> None:
    uv = find_uv()
    if not uv:
        raise SystemExit("make lock needs uv (pip install uv)")
    LOCKS.mkdir(exist_ok=True)
    extra = ["--upgrade"] if upgrade else []
    test, runtime = LOCK["test"], LOCK["runtime"]
    step(
        f"resolving {test.relative_to(ROOT)} (runtime and test tools)",
        [
            uv,
            "pip",
            "compile",
            "--quiet",
            "pyproject.toml",
            "--extra",
            "test",
            *COMPILE,
            *extra,
            "-o",
            str(test.relative_to(ROOT)),
        ],
        cwd=ROOT,
        env=uv_env(),
    )
    # The runtime lock is the test lock's subset: the same versions, never a second resolution.
    step(
        f"resolving {runtime.relative_to(ROOT)} (runtime only, the same versions)",
        [
            uv,
            "pip",
            "compile",
            "--quiet",
            "pyproject.toml",
            *COMPILE,
            "-c",
            str(test.relative_to(ROOT)),
            "-o",
            str(runtime.relative_to(ROOT)),
        ],
        cwd=ROOT,
        env=uv_env(),
    )
    for kind in ("runtime", "test"):
        say(
            f"{LOCK[kind].relative_to(ROOT)}: {sum(len(v) for v in pins(LOCK[kind]).values())} pins"
        )


def main(argv: list[str]) -> int:
    what = argv[0] if argv else ""
    if what in ("runtime", "test"):
        print(f"Setting up the {what} environment in {VENV.name}/", flush=True)
        sync(what)
        return 0
    if what == "lock":
        lock(upgrade=os.environ.get("UPGRADE", "") not in ("", "0"))
        return 0
    if what == "check":
        problems = stale("runtime") + stale("test")
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
