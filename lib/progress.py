"""The state of a long task as its page polls it: a release build, a large export, a harvest,
SIMBAD identifying a submission's names. One shape for every task, because one script
(static/jmdc/progress.js) and one include (templates/includes/progress.html) show them all."""

from __future__ import annotations

from typing import Any


def progress_state(*, percent: int, stage: str, finished: bool, **details: Any) -> dict[str, Any]:
    """What a status view answers as JSON. ``percent`` (0-100) fills the bar, ``stage`` says in
    words where the task is, ``finished`` tells the page to reload, where the server shows the
    result (the downloads, or the error). ``details`` are the task's own fields (its status,
    counts, error), for scripts that read more than the page does."""
    return {
        **details,
        "percent": max(0, min(100, int(percent))),
        "stage": stage,
        "finished": finished,
    }
