"""One escaping rule for everything the workbook shows.

Text a person typed (a company, a name, a note, a file path) reaches HTML, Markdown,
widgets and charts only through these functions, and comes out exactly as typed:
``$``, ``<``, ``&``, backticks, underscores, ``*``, ``\\``, braces and ``%`` included.
No markup runs, no maths is typeset, no chart fails to draw.

What each medium needs (checked in JupyterLab 4 and Voila 0.5 in Chromium; see
``tests/test_browser_escape.py``):

- **HTML** (outputs and ``widgets.HTML`` values): :func:`html_text` escapes ``< > & " '``,
  so nothing becomes markup. But MathJax typesets ``$…$`` in HTML and Markdown outputs
  and in widget labels, and it reads the page's text, so no encoding of ``$``
  (``&#36;``) stops it. What stops it is the class ``mathjax_ignore`` on the element or
  a container around it (MathJax 3's ``ignoreHtmlClass``, used by JupyterLab 4 and
  Voila 0.5); ``tex2jax_ignore`` does the same for MathJax 2 (the classic Notebook).
  :func:`no_math_html` wraps a fragment in a container with both classes.
- **Markdown**: :func:`md_text` makes every ASCII punctuation character literal
  (backslash escapes, and entities for ``\\ $ & < >``: JupyterLab takes ``$`` and
  ``\\(`` out of the source as maths before Markdown sees it, so those two characters
  never appear in it), and folds line breaks, which would start lists or headings,
  into spaces. :func:`md_code` shows a value as code. :func:`no_math_markdown` wraps
  the Markdown in the same no-maths container.
- **Widgets**: a ``Label``'s value and any widget's ``description`` are typeset too;
  :func:`helpers.display.label` and :func:`helpers.display.describe` apply the classes
  (options of a dropdown, button and tab titles, text boxes are never typeset).
- **matplotlib**: mathtext parses ``$…$`` in any text (a label, a title, a tick
  label) and raises on ``Cash$$App``. :func:`chart_text` escapes every ``$`` as
  ``\\$``: the text then never counts as maths, and matplotlib shows ``\\$`` as ``$``
  (a ``\\`` elsewhere is already shown as is).
"""

from __future__ import annotations

import html
import re
import string

NO_MATH_CLASSES = ("mathjax_ignore", "tex2jax_ignore")
"""The classes that keep MathJax 3 and MathJax 2 out of an element and its contents."""

NO_MATH = " ".join(NO_MATH_CLASSES)

_MD_ENTITIES = {"\\": "&#92;", "$": "&#36;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD = str.maketrans(
    {c: _MD_ENTITIES.get(c, "\\" + c) for c in string.punctuation}  # ASCII punctuation
)


def _str(value) -> str:
    return "" if value is None else str(value)


def html_text(value) -> str:
    """``value`` as HTML text (or an attribute value): ``< > & " '`` escaped."""
    return html.escape(_str(value), quote=True)


def no_math_html(fragment: str, tag: str = "div", cls: str = "wb-text") -> str:
    """An HTML fragment in a container MathJax leaves alone ("" stays "")."""
    if not fragment:
        return ""
    return f'<{tag} class="{cls} {NO_MATH}">{fragment}</{tag}>'


def md_text(value) -> str:
    """``value`` as Markdown text that shows literally: no emphasis, code, link, list,
    heading, raw HTML or maths. Line breaks and runs of spaces become one space."""
    return " ".join(_str(value).split()).translate(_MD)


def md_code(value) -> str:
    """``value`` as a Markdown code span (a path, an identifier), shown as is ("" if
    empty)."""
    text = " ".join(_str(value).splitlines())
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def no_math_markdown(source: str) -> str:
    """Markdown in a container MathJax leaves alone (blank lines keep it Markdown)."""
    return f'<div class="wb-md {NO_MATH}">\n\n{source}\n\n</div>'


def chart_text(value) -> str:
    """``value`` for a matplotlib text (label, title, tick label, annotation): shown as
    typed, never parsed as mathtext."""
    return _str(value).replace("$", r"\$")


def each_distinct(fn, values) -> list:
    """``[fn(v) for v in values]``, calling ``fn`` once per distinct value (columns of a
    large workspace repeat their values many times over)."""
    values = list(values)
    done = {v: fn(v) for v in set(values)}
    return [done[v] for v in values]
