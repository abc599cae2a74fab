"""The Post-Interview Workbook's shared code: workspace store, profile, business days.

Notebooks import what they need from here::

    from helpers import Workspace, resolve_today
"""

from helpers.paths import REPO_ROOT, resolve_data_dir, resolve_today, safe_path, slugify
from helpers.store import Problem, Workspace, WorkspaceError

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
