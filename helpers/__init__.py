"""The Post-Interview Workbook's shared code: workspace store, profile, business days.

Notebooks import what they need from here::

    from helpers import Workspace, resolve_today
"""

from helpers.paths import REPO_ROOT, resolve_data_dir, resolve_today, safe_path, slugify
from helpers.store import Problem, Workspace, WorkspaceError


def _show_workspace_errors_plainly() -> None:
    """In a notebook, a :class:`WorkspaceError` (a refused save, a file that cannot be
    read) shows its message, which names the file, row and column and says what to do,
    not a traceback of the workbook's code. The cell still fails, so a batch run stops."""
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return

    def show(shell, etype, value, tb, tb_offset=None):
        # What a notebook shows in place of the traceback; papermill reports the same.
        lines = [f"The workbook stopped here: {etype.__name__}", *str(value).splitlines()]
        shell._showtraceback(etype, value, lines)

    shell.set_custom_exc((WorkspaceError,), show)


_show_workspace_errors_plainly()

__all__ = [
    "REPO_ROOT",
    "Problem",
    "Workspace",
    "WorkspaceError",
    "resolve_data_dir",
    "resolve_today",
    "safe_path",
    "slugify",
]
