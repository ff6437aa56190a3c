"""Progress bars with a time-left estimate for long analyses started from a terminal.

``progress(iterable, desc, total)`` wraps ``iterable`` in a ``tqdm`` bar (elapsed time, rate and
estimated time left) on stderr, only when a person can see it: stderr is a terminal, the code is
not a Snakemake ``script:`` job (whose ``__main__`` holds the ``snakemake`` object) and
``GLASSTOOLS_PROGRESS`` is not ``0``. Otherwise it returns ``iterable`` itself, so Snakemake
logs, pipes and batch jobs stay free of bar output. ``GLASSTOOLS_PROGRESS=1`` forces the bar.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable


def enabled() -> bool:
    """Whether ``progress`` shows a bar in this process (see the module docstring)."""
    setting = os.environ.get("GLASSTOOLS_PROGRESS", "")
    if setting in ("0", "1"):
        return setting == "1"
    under_snakemake = hasattr(sys.modules.get("__main__"), "snakemake")
    return sys.stderr.isatty() and not under_snakemake


def progress(iterable: Iterable, desc: str, total: int | None = None) -> Iterable:
    """``iterable`` with a progress bar labelled ``desc`` when ``enabled()``, else unchanged."""
    if not enabled():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, total=total, file=sys.stderr, dynamic_ncols=True,
                smoothing=0.1)
