"""The one template environment: drafts and research notes, from user-editable files.

A template of the same name in the workspace's ``templates/`` folder wins over the
one shipped in ``helpers/templates/``. The folder is the user's to edit (or a file
someone sent them), so the environment is sandboxed: a template formats what it is
given and never reaches Python internals (``{{ ''.__class__ }}`` is refused). Every
problem with a template comes back as a :class:`~helpers.errors.WorkspaceError` that
names the template file, and the line where the file says it.

Output is plain text (email) or Markdown (notes), never HTML, so nothing is
autoescaped: user text reaches a note through the ``md`` and ``source`` filters.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from pathlib import Path

import jinja2
import jinja2.sandbox

from helpers.errors import WorkspaceError
from helpers.grammar import sentence_end, talking_point
from helpers.pay import money
from helpers.validate import URL

TEMPLATES_DIR = Path(__file__).parent / "templates"

__all__ = [
    "TEMPLATES_DIR",
    "as_phrase",
    "environment",
    "markdown_line",
    "md_source",
    "render",
    "template",
]


def as_phrase(text: str, name: str = "") -> str:
    """A talking point as a note words it (see :func:`helpers.grammar.talking_point`):
    the phrase after "our conversation about …", the clause of a full sentence, or
    the question; pronouns about ``name`` turned to "you"/"your"."""
    return talking_point(text, name).body


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def markdown_line(text) -> str:
    """User text made safe inside one line of Markdown: no markup, no HTML, no links."""
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"^([#+\-=>]|\d+[.)])", r"\\\1", text)


def md_source(text) -> str:
    """A source: an autolink when it is a plain web address, else escaped text."""
    text = str(text or "").strip()
    if re.fullmatch(URL, text) and not re.search(r"[<>\s\\`]", text):
        return f"<{text}>"
    return markdown_line(text)


FILTERS = {
    "phrase": as_phrase,
    "sentence_end": sentence_end,
    "md": markdown_line,
    "source": md_source,
    "money": money,
}
"""What a template can apply to a value (``{{ point | phrase(name) }}``)."""


def environment(workspace_root: Path) -> jinja2.sandbox.SandboxedEnvironment:
    """Templates from the workspace's ``templates/`` first, then the shipped ones.

    One environment per workspace and set of workspace templates, so each template is
    compiled once per run, not once per draft or note; adding, removing or editing a
    workspace template gives a fresh one (and Jinja reloads a template whose file
    changed).
    """
    return _environment(str(workspace_root), _overrides(Path(workspace_root) / "templates"))


def _overrides(folder: Path) -> tuple:
    """What the workspace's templates folder holds: name, size and time of each file."""
    try:
        with os.scandir(folder) as entries:
            files = [e for e in entries if e.is_file()]
            return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in files))
    except OSError:
        return ()


@functools.lru_cache(maxsize=8)
def _environment(workspace_root: str, overrides: tuple) -> jinja2.sandbox.SandboxedEnvironment:
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(str(Path(workspace_root) / "templates")),
            jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        ]
    )
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,  # plain-text email and Markdown, never HTML
    )
    env.filters.update(FILTERS)
    return env


@contextlib.contextmanager
def _reported(name: str):
    """Jinja's errors about the template ``name`` as workspace errors naming its file."""
    try:
        yield
    except jinja2.TemplateSyntaxError as err:
        raise WorkspaceError(
            f"line {err.lineno}: {err.message}", file=f"templates/{err.name or name}"
        ) from None
    except jinja2.TemplateNotFound as err:
        raise WorkspaceError(
            f"includes {err.name!r}, which is not a template in templates/",
            file=f"templates/{name}",
        ) from None
    except jinja2.sandbox.SecurityError as err:
        raise WorkspaceError(
            f"not allowed in a template: {err}", file=f"templates/{name}"
        ) from None
    except jinja2.UndefinedError as err:
        raise WorkspaceError(f"{err.message}", file=f"templates/{name}") from None


def template(workspace_root: Path, name: str) -> jinja2.Template:
    """The template ``name``: the workspace's own copy if it has one.

    Raises:
        WorkspaceError: the template is broken, naming its file and line.
    """
    with _reported(name):
        return environment(workspace_root).get_template(name)


def render(loaded: jinja2.Template, **context) -> str:
    """A loaded template rendered with ``context``.

    Raises:
        WorkspaceError: the template uses something it was not given, or something a
            template may not touch, or includes what is not a template; naming its file.
    """
    with _reported(loaded.name or ""):
        return loaded.render(**context)
