"""Saves of several files at once that survive a crash at any instant: all or nothing.

A save that changes several files (tables and drafts) goes through a journal in the
workspace, ``.workbook-journal``, the way SQLite's journal protects its pages:

1. **begin**: the journal names the save and the folders it will write in (synced);
2. **stage**: every new file is written beside its target as ``.<name>.<save>.tmp``
   and synced;
3. **commit**: the journal is replaced, atomically, by the list of staged files
   with the SHA-256 of each (synced) — from this instant the save has happened;
4. **apply**: each staged file is renamed over its target; the folders are synced;
5. **end**: the journal is removed.

Whoever holds the workspace lock next (any notebook, any process) calls
:func:`recover` before reading: a journal in the *begin* state means the save never
committed, so its staged files are deleted and nothing has changed; a *committed*
journal is applied to the end (renaming is repeatable: a staged file already renamed
is simply gone). A save that fails before its commit removes what it staged and
reports that nothing was saved; one that fails after it is completed by the next
recovery, and says so.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from helpers.csvio import file_mode, sync_folder

JOURNAL = ".workbook-journal"
SYNC_ALL_FROM = 16
"""Staging at least this many files flushes them with one ``sync`` instead of one
``fsync`` each."""


class SaveFailed(OSError):
    """A multi-file save failed; ``committed`` says whether it will still happen."""

    def __init__(self, err: OSError, path: Path, committed: bool):
        super().__init__(err.errno, err.strerror, str(path))
        self.cause = err
        self.path = path
        self.committed = committed


@dataclass(frozen=True)
class Recovered:
    """What :func:`recover` found and did."""

    state: str  # "begin" (undone) or "committed" (finished)
    files: int


def _write_synced(path: Path, data: bytes, sync: bool = True) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def _put_journal(root: Path, record: dict) -> None:
    """Replace the journal atomically with ``record`` (synced, folder synced)."""
    tmp = root / f"{JOURNAL}.{record['save']}.{record['state']}.tmp"
    tmp.unlink(missing_ok=True)
    _write_synced(tmp, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    os.replace(tmp, root / JOURNAL)
    sync_folder(root)


def _staged_name(target: Path, save: str) -> Path:
    return target.with_name(f".{target.name}.{save}.tmp")


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def write_files(root: Path, files: dict[Path, bytes]) -> None:
    """Replace every file of ``files`` (paths inside ``root``) as one save.

    The caller holds the workspace lock and has called :func:`recover`.

    Raises:
        SaveFailed: with ``committed`` False, nothing changed (every staged file is
            removed); with ``committed`` True, the save is recorded and the next
            :func:`recover` finishes it.
    """
    root = Path(root)
    save = secrets.token_hex(6)
    targets = list(files)
    folders = sorted({_relative(root, p.parent) if p.parent != root else "." for p in targets})
    record = {"save": save, "state": "begin", "folders": folders}
    staged: list[tuple[Path, Path, str]] = []
    current = root / JOURNAL
    for target in targets:
        if target.is_dir():
            err = IsADirectoryError(errno.EISDIR, "a folder is in the way of a file", str(target))
            raise SaveFailed(err, target, committed=False)
    try:
        _put_journal(root, record)
        many = len(files) >= SYNC_ALL_FROM
        for target, data in files.items():
            current = target
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = _staged_name(target, save)
            _write_synced(tmp, data, sync=not many)
            os.chmod(tmp, file_mode(target))
            staged.append((tmp, target, hashlib.sha256(data).hexdigest()))
        if many:
            os.sync()
        for folder in folders:
            sync_folder(root / folder)
        current = root / JOURNAL
        entries = [
            {"staged": _relative(root, tmp), "target": _relative(root, target), "sha256": digest}
            for tmp, target, digest in staged
        ]
        _put_journal(root, {**record, "state": "committed", "files": entries})
    except OSError as err:
        _undo(root, save, folders)
        raise SaveFailed(err, current, committed=False) from err
    try:
        _apply(root, {**record, "files": entries})
    except OSError as err:
        raise SaveFailed(err, current, committed=True) from err


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _apply(root: Path, record: dict) -> None:
    folders = set()
    for entry in record["files"]:
        staged, target = root / entry["staged"], root / entry["target"]
        if staged.exists():
            if _digest(staged) != entry["sha256"]:
                raise OSError(errno.EIO, "a staged file does not hold what was recorded", staged)
            os.replace(staged, target)
        elif not target.exists() or _digest(target) != entry["sha256"]:
            raise OSError(errno.ENOENT, "a staged file of the save is missing", str(staged))
        folders.add(target.parent)
    for folder in sorted(folders):
        sync_folder(folder)
    (root / JOURNAL).unlink()
    sync_folder(root)


def _remove_staged(root: Path, save: str, folders: list[str]) -> None:
    """Delete the files a save staged, its journal and the journal's temporary files."""
    for folder in folders:
        base = root / folder
        if base.is_dir():
            for entry in os.scandir(base):
                if entry.name.startswith(".") and entry.name.endswith(f".{save}.tmp"):
                    os.unlink(entry.path)
    journal = root / JOURNAL
    if journal.exists() and json.loads(journal.read_text("utf-8")).get("save") == save:
        journal.unlink()
    for stray in root.glob(f"{JOURNAL}.{save}.*.tmp"):
        stray.unlink()
    sync_folder(root)


def _undo(root: Path, save: str, folders: list[str]) -> None:
    """:func:`_remove_staged` for a save that failed before committing, as far as the
    disk allows: whatever stays is removed by the next :func:`recover`."""
    with contextlib.suppress(OSError, ValueError):
        _remove_staged(root, save, folders)


def pending(root: Path) -> bool:
    """Whether an interrupted save waits for :func:`recover` (its journal, or the
    journal's temporary file a writer died writing)."""
    root = Path(root)
    return (root / JOURNAL).exists() or any(root.glob(f"{JOURNAL}.*.tmp"))


def recover(root: Path) -> Recovered | None:
    """Finish or undo an interrupted save (call it holding the workspace lock).

    Also removes the journal's own temporary files and the staged files of saves that
    never committed. Returns what was done, or None when there was nothing to do.

    Raises:
        OSError: the interrupted save cannot be finished or undone (a read-only
            folder, a full disk); the files are as the save left them.
        ValueError: the journal is not one this workbook wrote.
    """
    root = Path(root)
    for stray in root.glob(f"{JOURNAL}.*.tmp"):
        stray.unlink()  # a journal being written when its writer died: never in force
    journal = root / JOURNAL
    if not journal.exists():
        return None
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        state, save = record["state"], record["save"]
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(
            f"{JOURNAL} is damaged ({err}): it was not written by the workbook"
        ) from None
    if state == "committed":
        _apply(root, record)
        return Recovered("committed", len(record["files"]))
    _remove_staged(root, save, list(record.get("folders", [])))
    return Recovered("begin", 0)
