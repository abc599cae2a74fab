"""The one template environment: drafts, research notes, the coach report and the
proof of search.

A draft or note template of the same name in the workspace's ``templates/`` folder
wins over the one shipped in ``helpers/templates/``. The folder is the user's to edit
(or a file someone sent them), so the environment is sandboxed: a template formats
what it is given and never reaches Python internals (``{{ ''.__class__ }}`` is
refused). Every problem with a template comes back as a
:class:`~helpers.errors.WorkspaceError` that names the template file, and the line
where the file says it.

Drafts (email) and notes (Markdown) are plain text, never autoescaped: user text
reaches a note through the ``md`` and ``source`` filters. HTML documents
(``*.html.j2``: the coach report and its parts, the proof of search) are autoescaped,
so no value can become markup; HTML that is already safe (a table drawn by
:mod:`helpers.html_tables`, a note rendered from Markdown) comes in as
:class:`markupsafe.Markup`.

HTML documents are never taken from the workspace: :data:`SHIPPED_ONLY` templates are
looked up in ``helpers/templates/`` alone. The report goes to someone else (a coach, a
bundle), redacted, with a policy that forbids scripts and anything fetched; a template
someone sent the user could drop that policy, add a tracking image, or show what the
redaction hides in a way the user never sees. The sandbox would stop it reading files,
not writing markup, so the report's and the proof's layout are the workbook's own.
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

SHIPPED_ONLY = (".html.j2",)
"""Templates whose names end so are never taken from the workspace (HTML documents)."""

__all__ = [
    "SHIPPED_ONLY",
    "TEMPLATES_DIR",
    "as_phrase",
    "environment",
    "markdown_line",
    "md_source",
    "render",
    "shipped",
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
    """Templates from the workspace's ``templates/`` first, then the shipped ones
    (HTML documents, :data:`SHIPPED_ONLY`, from the shipped ones alone).

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


class _WorkspaceTemplates(jinja2.FileSystemLoader):
    """The workspace's ``templates/`` folder, without the :data:`SHIPPED_ONLY` names."""

    def get_source(self, environment, template):
        if template.endswith(SHIPPED_ONLY):
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)

    def list_templates(self) -> list[str]:
        return [n for n in super().list_templates() if not n.endswith(SHIPPED_ONLY)]


@functools.lru_cache(maxsize=8)
def _environment(workspace_root: str, overrides: tuple) -> jinja2.sandbox.SandboxedEnvironment:
    shipped_loader = jinja2.FileSystemLoader(str(TEMPLATES_DIR))
    loader = (
        jinja2.ChoiceLoader(
            [_WorkspaceTemplates(str(Path(workspace_root) / "templates")), shipped_loader]
        )
        if workspace_root
        else shipped_loader
    )
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        # HTML documents escape every value; email and Markdown are plain text.
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "html.j2"), default_for_string=False
        ),
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


def shipped(name: str) -> jinja2.Template:
    """The shipped template ``name`` (an HTML document or a part of one), whatever any
    workspace holds."""
    with _reported(name):
        return _environment("", ()).get_template(name)


def render(loaded: jinja2.Template, **context) -> str:
    """A loaded template rendered with ``context``.

    Raises:
        WorkspaceError: the template uses something it was not given, or something a
            template may not touch, or includes what is not a template; naming its file.
    """
    with _reported(loaded.name or ""):
        return loaded.render(**context)
