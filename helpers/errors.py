"""Problems found in a workspace, each naming the file, the row and the column."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    Model = TypeVar("Model", bound=BaseModel)

MAX_LISTED = 50


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a workspace file.

    Attributes:
        file: the file's name inside the workspace (``applications.csv``).
        row: the row as a spreadsheet shows it (the header is row 1), or ``None``
            when the problem is the whole file.
        column: the column's header, or ``None`` when the problem is a whole row.
        message: what is wrong and, where it helps, what to write instead.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class WorkspaceError(Exception):
    """Data that cannot be loaded or saved; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem] | Problem | str, *, file: str = ""):
        if isinstance(problems, str):
            problems = [Problem(file, None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self._describe())

    def _describe(self) -> str:
        n = len(self.problems)
        lines = [str(p) for p in self.problems[:MAX_LISTED]]
        if n > MAX_LISTED:
            lines.append(f"… and {n - MAX_LISTED} more")
        head = "1 problem" if n == 1 else f"{n} problems"
        return f"{head}:\n" + "\n".join(f"  - {line}" for line in lines) if n > 1 else lines[0]


REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your disk quota is used up",
    errno.EROFS: "the folder is read-only",
    errno.EACCES: "you have no permission to write there",
    errno.EPERM: "you have no permission to write there",
    errno.EIO: "the disk reported an input/output error",
}


def reason(err: OSError) -> str:
    """An OS error in plain words ("the disk is full"), with the system's own words."""
    plain = REASONS.get(err.errno or 0)
    system = err.strerror or str(err)
    return f"{plain} ({system})" if plain else system


def io_problem(path: Path, action: str, err: OSError) -> Problem:
    """A failed read or save of ``path``, said plainly (a save changed nothing)."""
    tail = (
        "nothing was changed and your previous data is intact"
        if action == "save"
        else "check that the file exists and is readable"
    )
    return Problem(path.name, None, None, f"could not {action} the file: {reason(err)}; {tail}")


class Refusal(Exception):
    """The action was declined for a reason the user should read (shown as is)."""


class FieldErrors(ValueError):
    """What was typed or given cannot be saved; ``errors`` maps each field (a dotted
    path, ``people.1.email``, for a part of a list) to its problem, the whole record's
    under ``""``. Raised by the domain (an interview, an application, pay, research)
    and shown by a form next to each field.

    Args:
        errors: field → message.
        whole: how the message names the whole record's problem (``""``).
    """

    def __init__(self, errors: dict[str, str], whole: str = ""):
        self.errors = errors
        super().__init__("; ".join(f"{k or whole}: {v}" for k, v in errors.items()))

    @classmethod
    def from_pydantic(cls, err: ValidationError) -> FieldErrors:
        """Each field's first problem, as pydantic words it."""
        errors: dict[str, str] = {}
        for e in err.errors():
            name = str(e["loc"][0]) if e["loc"] else ""
            errors.setdefault(name, e["msg"].removeprefix("Value error, "))
        return cls(errors)

    @classmethod
    def from_pydantic_plainly(
        cls, err: ValidationError, *, required: tuple[str, ...], whole: str = "", **by_path: str
    ) -> FieldErrors:
        """Each field's first problem (by its dotted path), said plainly: an error type
        in ``required`` as "this is required", a date as "give a date (YYYY-MM-DD)", a
        list too short by the message given for its path in ``by_path``."""
        errors: dict[str, str] = {}
        for e in err.errors():
            key = ".".join(str(p) for p in e["loc"])
            message = e["msg"].removeprefix("Value error, ")
            if e["type"] in required:
                message = "this is required"
            elif e["type"] == "too_short" and key in by_path:
                message = by_path[key]
            elif e["type"].startswith("date"):
                message = "give a date (YYYY-MM-DD)"
            errors.setdefault(key, message)
        return cls(errors, whole)


def parse_plainly(
    model: type[Model], data: Any, *, required: tuple[str, ...], whole: str = "", **by_path: str
) -> Model:
    """``data`` (plain values: a form's, or a parameter's) as a ``model``.

    Raises:
        FieldErrors: field → message for every problem, said plainly
            (:meth:`FieldErrors.from_pydantic_plainly`).
    """
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise FieldErrors.from_pydantic_plainly(
            err, required=required, whole=whole, **by_path
        ) from None
