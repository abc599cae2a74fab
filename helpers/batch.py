"""Run the notebooks headless: the batch run (``make run``) and the worked example.

``python -m helpers.batch run --data DIR --today DATE --out DIR`` executes every
notebook with papermill against a workspace and keeps the executed copies;
without ``--data`` it works on a scratch copy of ``data/example``, which itself is
never modified. ``python -m helpers.batch refresh`` re-executes the committed
notebooks on a scratch copy of the example so their stored outputs are the worked
example (``make notebooks``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from filelock import FileLock

from helpers.paths import DATA_ENV, REPO_ROOT, TODAY_ENV, resolve_today

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
EXAMPLE_DIR = REPO_ROOT / "data" / "example"
SCRATCH_PREFIX = "workbook-example-"
KERNEL = "python3"


def notebooks() -> list[Path]:
    """The workbook's notebooks, in the order a user meets them."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def example_today() -> str:
    """The example workspace's fixed "today" (``data/example/TODAY``)."""
    return (EXAMPLE_DIR / "TODAY").read_text(encoding="utf-8").strip()


def copy_example(dest: str | os.PathLike[str]) -> Path:
    """Copy ``data/example`` to ``dest`` (which must not exist) and return it."""
    dest = Path(dest)
    shutil.copytree(EXAMPLE_DIR, dest, ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    return dest


def scratch_example() -> Path:
    """A fresh copy of the example in a new temporary folder."""
    return copy_example(Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX)) / "example")


def run_all(
    data_dir: str | os.PathLike[str],
    today: str,
    out_dir: str | os.PathLike[str],
    application_id: str = "",
    progress: bool = True,
) -> list[Path]:
    """Execute every notebook with papermill; returns the executed notebooks' paths.

    Raises:
        papermill.PapermillExecutionError: a notebook failed (its executed copy, with
            the error, is kept in ``out_dir``).
    """
    import papermill

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    done = []
    for nb in notebooks():
        target = out / nb.name
        if progress:
            print(f"  running {nb.name} …", flush=True)
        papermill.execute_notebook(
            str(nb),
            str(target),
            parameters={
                "data_dir": str(data_dir),
                "today": today,
                "application_id": application_id,
            },
            kernel_name=KERNEL,
            cwd=str(NOTEBOOKS_DIR),
            progress_bar=False,
        )
        done.append(target)
    return done


def refresh(today: str, only: list[str] | None = None) -> list[Path]:
    """Re-execute the committed notebooks in place on a scratch copy of the example.

    Args:
        only: notebook names or stems to refresh (default: all of them).
    """
    # A fixed scratch folder keeps the paths shown in stored outputs stable across
    # runs; the lock keeps two refreshes from sharing it.
    scratch = Path(tempfile.gettempdir()) / f"{SCRATCH_PREFIX}refresh"
    with FileLock(f"{scratch}.lock"):
        return _refresh(scratch, today, only)


def _stable_widget_ids(nb, name: str) -> None:
    """Name each stored widget output after its place, not at random: the widget state
    is not stored, so the id refers to nothing, and a refresh that changes nothing else
    leaves the notebook byte-identical."""
    import hashlib

    for cell in nb.cells:
        for n, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view is not None:
                place = f"{name}/{cell.get('id', '')}/{n}".encode()
                view["model_id"] = hashlib.sha256(place).hexdigest()[:32]


def _refresh(scratch: Path, today: str, only: list[str] | None) -> list[Path]:
    import nbformat
    from nbclient import NotebookClient

    workspace = scratch / "example"
    env = {DATA_ENV: str(workspace), TODAY_ENV: today}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        chosen = [nb for nb in notebooks() if not only or nb.name in only or nb.stem in only]
        if only and not chosen:
            raise SystemExit(f"no notebook named {', '.join(only)} in {NOTEBOOKS_DIR}")
        for nb_path in chosen:
            print(f"  refreshing {nb_path.name} …", flush=True)
            # Each notebook starts from the example as it is (as nbval runs it).
            shutil.rmtree(scratch, ignore_errors=True)
            copy_example(workspace)
            nb = nbformat.read(nb_path, as_version=4)
            NotebookClient(
                nb,
                kernel_name=KERNEL,
                timeout=600,
                resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
                record_timing=False,
                store_widget_state=False,
            ).execute()
            nb.metadata.pop("widgets", None)
            _stable_widget_ids(nb, nb_path.stem)
            nbformat.write(nb, nb_path)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(scratch, ignore_errors=True)
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.batch", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run every notebook headless")
    run.add_argument("--data", default="", help="workspace (default: a copy of the example)")
    run.add_argument("--today", default="", help="ISO date the rules treat as today")
    run.add_argument("--application", default="", help="limit the run to one application")
    run.add_argument("--out", default="build/run", help="folder for the executed notebooks")
    ref = sub.add_parser("refresh", help="re-execute the committed notebooks on the example")
    ref.add_argument("--today", default="", help="default: the example's fixed date")
    ref.add_argument("only", nargs="*", help="notebooks to refresh (default: all)")
    args = parser.parse_args(argv)

    if args.command == "refresh":
        today = args.today or example_today()
        done = refresh(today, args.only)
        print(f"Refreshed {len(done)} notebook(s) on the example at {today}.")
        return 0

    out = Path(args.out).resolve()
    if args.data:
        workspace = Path(args.data).resolve()
        today = resolve_today(args.today).isoformat()
    else:
        if out.exists():
            shutil.rmtree(out)
        workspace = copy_example(out / "workspace")
        today = args.today or example_today()
    print(f"Running {len(notebooks())} notebooks on {workspace} at {today}:")
    done = run_all(workspace, today, out / "notebooks", args.application)
    print("\nExecuted notebooks:")
    for path in done:
        print(f"  {path}")
    print(f"Workspace with the generated files (drafts, notes, reports): {workspace}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
