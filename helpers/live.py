"""Views that follow the data: every save re-renders every view of its workspace.

A notebook section that shows workspace data is a :class:`View`: a function that
returns what to show (Markdown, HTML, a table, a chart), rendered once when the cell
runs and again after every save to the same workspace made in this kernel — by any
form on the page, in JupyterLab and in Voila alike, with no re-run and no reload.
Forms whose choices come from the data (people still needing a talking point, drafts
waiting to be sent) subscribe with :func:`follow`.

The store announces each save (:func:`helpers.store.on_save`); a form's action is one
batch (:func:`batch`), so a save that writes several times re-renders the page once.

Saves made elsewhere (another notebook's kernel, another app page, a spreadsheet) are
noticed too: while a kernel shows views of a workspace, a watcher looks at its files
every :data:`WATCH_SECONDS` and, when they changed, re-renders the views in the
kernel's own thread, as a save there would.

A view is an HTML widget: widget updates reach the page in both JupyterLab and Voila.
Its output also carries the HTML itself, so a notebook's stored outputs (the worked
example, which nbval checks) and any static viewer show the section's content.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import sys
import threading
import traceback
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

from helpers.display import html_widget
from helpers.escape import html_text, no_math_html

FIRST_OPEN = "This section shows your workspace once the notebook runs: Run ▸ Run All Cells."

WATCH_SECONDS = 1.0
WATCHED = ("*.csv", "profile.yml")
"""The workspace files whose change re-renders the views (every table, the profile)."""

_views: dict[Path, dict[str, View]] = {}
_seen: dict[Path, tuple] = {}  # each watched workspace's files as last rendered
_followers: dict[Path, list[weakref.ref]] = {}
_batch: list[set[Path]] = []


def _as_html(part) -> str:
    """One displayable as HTML: HTML and Markdown objects, figures and images."""
    if part is None:
        return ""
    if isinstance(part, str):
        return part
    if hasattr(part, "savefig"):  # a matplotlib figure
        buffer = io.BytesIO()
        part.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
        return _img(buffer.getvalue())
    bundle = {}
    if hasattr(part, "_repr_mimebundle_"):
        found = part._repr_mimebundle_()
        bundle = found[0] if isinstance(found, tuple) else (found or {})
    if hasattr(part, "_repr_html_") and "text/html" not in bundle:
        bundle["text/html"] = part._repr_html_()
    if hasattr(part, "_repr_png_") and "image/png" not in bundle:
        bundle["image/png"] = part._repr_png_()
    if hasattr(part, "_repr_markdown_") and "text/markdown" not in bundle:
        bundle["text/markdown"] = part._repr_markdown_()
    if bundle.get("text/html"):
        return bundle["text/html"]
    if bundle.get("image/png"):
        png = bundle["image/png"]
        return _img(png if isinstance(png, bytes) else base64.b64decode(png))
    if bundle.get("text/markdown"):
        import mistune

        return mistune.html(bundle["text/markdown"])
    return f"<pre>{html_text(str(part))}</pre>"


def _img(png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="chart" style="max-width:100%" src="data:image/png;base64,{data}">'


def combine(parts) -> str:
    """Several displayables as one HTML fragment, MathJax kept out."""
    if not isinstance(parts, list | tuple):
        parts = [parts]
    return no_math_html("".join(f'<div class="wb-part">{_as_html(p)}</div>' for p in parts))


class View:
    """A section of a notebook that re-renders after every save to its workspace.

    Args:
        workspace: the :class:`~helpers.store.Workspace` it shows.
        render: returns what to show (one displayable or a list of them).
        key: names the section; running its cell again replaces the old view.
    """

    def __init__(self, workspace, render: Callable[[], object], key: str = ""):
        self.root = Path(workspace.root)
        self.render = render
        self.key = key or getattr(render, "__qualname__", "") or repr(render)
        self.widget = html_widget().add_class("wb-view")
        self.widget._repr_mimebundle_ = self._mimebundle  # content for static viewers
        self.refresh()
        _views.setdefault(self.root, {})[self.key] = self
        _watch(self.root)

    def refresh(self) -> None:
        try:
            self.widget.value = combine(self.render())
        except Exception as err:  # a broken view says so; the save itself stands
            traceback.print_exc(file=sys.stderr)
            self.widget.value = no_math_html(
                f'<div style="color:#b3261e">This section could not be shown: '
                f"{html_text(type(err).__name__)}: {html_text(err)}</div>"
            )

    def _mimebundle(self, include=None, exclude=None):
        own = type(self.widget)._repr_mimebundle_
        bundle = own(self.widget, include=include, exclude=exclude) or {}
        bundle = dict(bundle)
        bundle["text/html"] = self.widget.value
        bundle["text/plain"] = FIRST_OPEN
        return bundle

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def show(workspace, render: Callable[[], object], key: str = "") -> None:
    """Show a :class:`View` of ``render`` here, following every save to ``workspace``."""
    from IPython.display import display

    display(View(workspace, render, key).widget)


def follow(workspace, refresh: Callable[[], None], owner=None) -> None:
    """Call ``refresh`` after every save to ``workspace`` (for as long as ``owner``, by
    default the bound method's object, is alive)."""
    owner = owner if owner is not None else getattr(refresh, "__self__", None)
    method = getattr(refresh, "__func__", None)
    if owner is not None and method is not None:
        ref = weakref.WeakMethod(refresh)
    else:
        ref = (lambda f: lambda: f)(refresh)
    _followers.setdefault(Path(workspace.root), []).append(ref)


def changed(root: Path) -> None:
    """A save to ``root`` happened: re-render its views and forms (once per batch)."""
    root = Path(root)
    if _batch:
        _batch[-1].add(root)
        return
    for view in list(_views.get(root, {}).values()):
        view.refresh()
    alive = []
    for ref in _followers.get(root, []):
        fn = ref()
        if fn is None:
            continue
        alive.append(ref)
        try:
            fn()
        except Exception:
            traceback.print_exc(file=sys.stderr)
    _followers[root] = alive
    if root in _seen:
        _seen[root] = files_state(root)  # what the views now show


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Saves inside the block re-render the page once, when it ends."""
    _batch.append(set())
    try:
        yield
    finally:
        roots = _batch.pop()
        for root in roots:
            changed(root)


def files_state(root: Path) -> tuple:
    """The watched files of a workspace as (name, size, modification time) triples."""
    found = []
    for pattern in WATCHED:
        for path in root.glob(pattern):
            try:
                st = path.stat()
            except OSError:
                continue
            found.append((path.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(found))


def _watch(root: Path) -> None:
    """Re-render ``root``'s views when its files change outside this kernel.

    Only in a kernel that runs an event loop (JupyterLab, Voila, a batch run): the
    watcher thread never touches a widget, it asks the loop to call :func:`changed`.
    """
    if root in _seen:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return  # plain Python (tests, scripts): saves made here are announced anyway
    _seen[root] = files_state(root)

    def look() -> None:
        while True:
            threading.Event().wait(WATCH_SECONDS)
            if loop.is_closed():
                return
            if files_state(root) != _seen.get(root):
                loop.call_soon_threadsafe(_outside, root)

    threading.Thread(target=look, name=f"workbook-watch {root.name}", daemon=True).start()


def _outside(root: Path) -> None:
    if files_state(root) != _seen.get(root):  # not already shown by a save here
        changed(root)


def _install() -> None:
    from helpers import store

    if changed not in store.SAVED:
        store.SAVED.append(changed)


_install()
