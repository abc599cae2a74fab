"""Progress of long work, reported by the domain through a callback.

A function that works on many items (drafts, notes, files) takes
``progress: ProgressCallback | None`` and calls it with ``(done, total)``: first
``(0, total)``, then as items are done, last ``(total, total)``. It knows nothing of
how that is shown; a page turns the callback into a bar
(:class:`helpers.display.ProgressBar`), a test into a list.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``."""


def no_progress(done: int, total: int) -> None:
    """The callback of work nobody watches."""
