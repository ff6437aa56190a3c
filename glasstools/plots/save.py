"""Writing figures: one file per figure, atomically, in the format of the file's suffix."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from glasstools.io.tables import atomic_path  # noqa: E402


def save_figure(fig, path) -> None:
    """Save ``fig`` to ``path`` atomically (format from the suffix of ``path``) and close it."""
    path = Path(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=path.suffix.lstrip(".") or "png", dpi=150, bbox_inches="tight")
    plt.close(fig)
