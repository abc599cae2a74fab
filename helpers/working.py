"""Your notebooks, your data, a clean repository: the copies of the notebooks you use.

``make lab`` opens working copies of the shipped notebooks, kept in the workspace
(``<workspace>/notebooks/``, inside the git-ignored ``data/`` by default), so using
the workbook on your own data never modifies a tracked file and updating the workbook
(``git pull``) never conflicts with your data.

A working copy starts as the shipped notebook without its stored outputs (those are
the worked example, shown on GitHub and checked by the tests). When a new version of
the workbook ships a changed notebook, a copy whose cells you have not edited (outputs
and run metadata do not count) is replaced by the new one; a copy you have edited is
kept, and the new version is put beside it as ``<name>.new.ipynb``, saying so.
``notebooks/.shipped.json`` remembers which shipped version each copy came from.

    python -m helpers.working [WORKSPACE]   # prints the folder JupyterLab serves and
                                            # the start notebook's path inside it
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from helpers.paths import REPO_ROOT, resolve_data_dir

SHIPPED_DIR = REPO_ROOT / "notebooks"
FOLDER = "notebooks"
MANIFEST = ".shipped.json"
START = "00_start_here.ipynb"


@dataclass
class Synced:
    """What :func:`sync` did, notebook by notebook."""

    folder: Path
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited by you; the new one is beside

    def lines(self) -> list[str]:
        said = []
        if self.created:
            said.append(f"Your working notebooks: {self.folder} ({len(self.created)} new)")
        if self.updated:
            said.append(f"Updated to the new version of the workbook: {', '.join(self.updated)}")
        for name in self.kept:
            new = name.replace(".ipynb", ".new.ipynb")
            said.append(f"{name} has edits of yours, so it was kept; the new version is {new}")
        return said


def _cells(nb: dict) -> list[tuple[str, str]]:
    """What a user edits in a notebook: each cell's kind and text (no outputs)."""
    out = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        out.append((cell.get("cell_type", ""), text))
    return out


def _digest(nb: dict) -> str:
    return hashlib.sha256(json.dumps(_cells(nb), ensure_ascii=False).encode()).hexdigest()


def stripped(nb: dict) -> dict:
    """A notebook without outputs, execution counts, widget state or run metadata."""
    nb = json.loads(json.dumps(nb))
    for key in ("widgets", "papermill"):
        nb.get("metadata", {}).pop(key, None)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        for key in ("execution", "papermill"):
            cell.get("metadata", {}).pop(key, None)
    return nb


def _write(path: Path, nb: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def sync(workspace: str | os.PathLike[str] | None = "") -> Synced:
    """Create or update the working copies in ``<workspace>/notebooks/``."""
    root = resolve_data_dir(workspace)
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    done = Synced(folder)
    for shipped_path in sorted(SHIPPED_DIR.glob("[0-9][0-9]_*.ipynb")):
        name = shipped_path.name
        shipped = stripped(json.loads(shipped_path.read_text(encoding="utf-8")))
        shipped_digest = _digest(shipped)
        mine = folder / name
        if not mine.exists():
            _write(mine, shipped)
            done.created.append(name)
        elif manifest.get(name) != shipped_digest:
            current = json.loads(mine.read_text(encoding="utf-8"))
            if _digest(current) == manifest.get(name):  # only run, never edited
                _write(mine, shipped)
                done.updated.append(name)
            elif _digest(current) != shipped_digest:
                _write(folder / name.replace(".ipynb", ".new.ipynb"), shipped)
                done.kept.append(name)
                continue  # still based on the old version: ask again next time
        manifest[name] = shipped_digest
    _write(manifest_path, manifest)
    return done


def lab_paths(workspace: str | os.PathLike[str] | None = "") -> tuple[Path, str]:
    """The folder JupyterLab serves and the start notebook's path inside it: the
    repository when the workspace is inside it, else the workspace itself."""
    root = resolve_data_dir(workspace)
    start = root / FOLDER / START
    served = REPO_ROOT if REPO_ROOT in root.parents or root == REPO_ROOT else root
    return served, start.relative_to(served).as_posix()


def main(argv: list[str]) -> int:
    workspace = argv[0] if argv else ""
    for line in sync(workspace).lines():
        print(line, file=sys.stderr)
    served, start = lab_paths(workspace)
    print(served)
    print(start)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
