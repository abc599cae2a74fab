"""Voila's settings for the workbook's app (``make app``), read by Voila from the folder
it starts in (the repository).

The app uses the template ``workbook`` (helpers/jupyter/voila/templates/workbook):
Voila's own "lab" template without its links to a CDN, so an app page loads nothing
from outside 127.0.0.1. Voila looks for templates in the Jupyter data folders, so the
workbook's folder is put first among them for this server (and its kernels).
"""

import os
from pathlib import Path

_TEMPLATES = Path(__file__).resolve().parent / "helpers" / "jupyter"
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in (str(_TEMPLATES), os.environ.get("JUPYTER_PATH", "")) if p
)

c = get_config()  # noqa: F821 -- provided by Voila's config loader
c.VoilaConfiguration.template = "workbook"
# The home page explains the six steps (tree.html in the template), not a file list.
c.VoilaConfiguration.classic_tree = True
# Each page's kernel is started and its notebook run before anyone asks for it, so a
# page is ready at once; one warm kernel per notebook.
c.VoilaConfiguration.preheat_kernel = True
c.VoilaConfiguration.default_pool_size = 1
