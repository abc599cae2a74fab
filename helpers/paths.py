"""Where the workspace is, what day it is, and paths that never leave the workspace."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from pathlib import Path

from slugify import slugify as _slugify

REPO_ROOT = Path(__file__).resolve().parent.parent
"""The repository root: ``helpers/`` lives directly under it."""

DATA_ENV = "WORKBOOK_DATA"
TODAY_ENV = "WORKBOOK_TODAY"
SLUG_MAX = 60
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "conin", "conout"]
    + [f"{port}{n}" for port in ("com", "lpt") for n in range(10)]
)


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = "") -> Path:
    """The workspace folder: ``data_dir`` if given, else ``$WORKBOOK_DATA``, else ``data/``.

    A relative path is taken from the repository root, so a notebook finds the same
    workspace whatever folder its kernel was started in.
    """
    chosen = str(data_dir or "").strip() or os.environ.get(DATA_ENV, "").strip()
    path = Path(chosen).expanduser() if chosen else REPO_ROOT / "data"
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path.resolve()


def resolve_today(today: str | dt.date | None = "") -> dt.date:
    """The date the rules treat as today: ``today``, else ``$WORKBOOK_TODAY``, else the date.

    Raises:
        ValueError: the given text is not an ISO date (``YYYY-MM-DD``), naming where it
            came from.
    """
    if isinstance(today, dt.date):
        return today
    for source, text in (("today", today or ""), (TODAY_ENV, os.environ.get(TODAY_ENV, ""))):
        text = str(text).strip()
        if not text:
            continue
        try:
            if not ISO_DATE.fullmatch(text):
                raise ValueError(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{source} = {text!r} is not a date in the form YYYY-MM-DD") from None
    return dt.date.today()


def slugify(text: str, fallback: str = "item") -> str:
    """A short, lowercase, path-safe identifier made from a name.

    Accents and other scripts are transliterated (``Zoë Müller`` → ``zoe-muller``,
    ``王伟`` → ``wang-wei``); what is left is ``[a-z0-9-]`` only, so a slug can never
    name a parent folder, an absolute path or a hidden file. Names Windows reserves
    (``con``, ``nul``, ``com1``…) get ``-1``: every slug is a valid file and folder name
    on Windows, macOS and Linux.
    """
    slug = _slugify(str(text or ""), max_length=SLUG_MAX, word_boundary=True, save_order=True)
    slug = slug or fallback
    # Names Windows keeps for devices cannot be files or folders there, with any suffix.
    return f"{slug}-1" if slug in WINDOWS_RESERVED else slug


def unique_slug(text: str, taken: Iterable[str], fallback: str = "item") -> str:
    """``slugify(text)``, with ``-2``, ``-3``… appended until it is not in ``taken``."""
    taken = set(taken)
    base = slugify(text, fallback)
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


class UnsafePathError(ValueError):
    """A generated path would have left the workspace."""


def safe_path(root: str | os.PathLike[str], *parts: str) -> Path:
    """``root/part/part…`` with every part made a slug-safe file name, checked to stay inside.

    Parts are file or folder *names* chosen from user data (an application id, a
    person's name): each is reduced to one path component, so ``../``, ``/``, ``\\`` and
    NUL cannot change where the path points. A final dot-suffix (``.md``) is kept.
    """
    base = Path(root).resolve()
    path = base
    for part in parts:
        path = path / _safe_name(str(part))
    resolved = path.resolve()
    if resolved != base and base not in resolved.parents:
        raise UnsafePathError(f"{path} is outside the workspace {base}")
    return resolved


def _safe_name(part: str) -> str:
    stem, dot, suffix = part.rpartition(".")
    if dot and stem and suffix.isalnum() and len(suffix) <= 8:
        return f"{slugify(stem)}.{suffix.lower()}"
    return slugify(part)


def inside(root: str | os.PathLike[str], relative: str) -> Path | None:
    """``root/relative`` if it stays inside ``root`` (a path read from a file), else None."""
    base = Path(root).resolve()
    if not relative or "\x00" in relative:
        return None
    path = (base / relative).resolve()
    return path if base in path.parents else None
