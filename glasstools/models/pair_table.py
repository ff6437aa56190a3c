"""LAMMPS ``pair_style table`` files generated from a pair model's own numpy ``derivative``.

For a type-based ``PairModel`` (per-type parameters; not per-atom diameters) one section per type
pair a <= b holds N points evenly spaced in r^2 (``RSQ``) from r_min = ``inner`` * d_ab (d_ab =
``pair_length``) to the cutoff r_c, with energy U(r) = ``derivative(0, r)`` and force
-U'(r) = -``derivative(1, r)``, and the exact end derivatives ``FPRIME`` dF/dr = -U''(r) (left
limit at r_c). Because the file has ``N`` = the ``pair_style`` N, ``RSQ`` spacing and r_hi = the
``pair_coeff`` cutoff, LAMMPS uses the file's values as its table nodes without re-interpolating
(pair_table.cpp "match"); ``spline`` then interpolates U and F/r by clamped cubic splines in r^2
(error ~ h^4: it converges much faster than ``linear``, error ~ h^2, at the same cost per step).

Chosen settings (``STYLE``, ``N_POINTS``, ``INNER``) measured on the P3 glass (``p3_ipl12``,
rho = 1.015, N = 4000, random pushed-apart start then 200 NVE steps from T = 1): max_i
|F_i - F_i^numpy| / max_i |F_i^numpy|, |E - E^numpy| / |E^numpy| and time per MD step on one core of
a shared 2-core machine (benchmarks/table_vs_lepton.py; ``pair_style lepton``: 1.2e-14, 14.3 ms):

    style    N      max rel |dF|   rel |dE|   ms/step
    linear   1000   9.3e-04        2.5e-04    9.7
    linear   5000   4.3e-05        1.0e-05    10.1
    linear   20000  2.7e-06        6.3e-07    10.0
    spline   1000   2.3e-07        2.5e-08    11.2
    spline   2000   1.9e-08        1.6e-09    10.2
    spline   5000   5.2e-10        3.9e-11    10.1    <- chosen: 1e-8 with a margin of 20
    spline   20000  2.0e-12        1.4e-13    10.6

Inherent structures through the table converge to max_i |F_i| <= 1e-10 with cg, fire and sd
(N = 200, 1000; numpy max |F_i| there 2-3e-10). ``FPRIME`` instead of LAMMPS' secant end slopes
changed nothing measurable (no pair comes near r_min); it is exact, so it is kept.

Inner cutoff: LAMMPS stops with "Pair distance < table inner cutoff" when a pair comes closer
than r_min (checked in tests/test_table.py), so a table never extrapolates silently. With
``INNER`` = 0.6 the pair energy there is U > 450 eps for r^-12 (Boltzmann factor e^-450 at T = 1),
unreachable in liquid or glassy states at T <= 1.

Where the files live (one place): ``table_file(model)`` writes the text into ``cache_dir()`` =
``$GLASSTOOLS_TABLE_CACHE`` or ``${XDG_CACHE_HOME:-~/.cache}/glasstools/tables``, named by the
model's name and a hash of the file's content (content-addressed: a changed model or setting is a
new file, never a stale one), written to a temporary file and renamed (safe for concurrent jobs
and MPI ranks). ``table_commands(model)`` returns the ``pair_style table`` and ``pair_coeff``
lines naming it; a table-backed model's ``lammps_commands()`` is ``table_commands(self)``. On a
cluster the cache must be on a file system every node reads (set ``$GLASSTOOLS_TABLE_CACHE``).
"""
from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

STYLE = "spline"
N_POINTS = 5000
INNER = 0.6
STYLES = ("linear", "spline")


def cache_dir() -> Path:
    """``$GLASSTOOLS_TABLE_CACHE``, else ``${XDG_CACHE_HOME:-~/.cache}/glasstools/tables``."""
    if os.environ.get("GLASSTOOLS_TABLE_CACHE"):
        return Path(os.environ["GLASSTOOLS_TABLE_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "glasstools" / "tables"


def keyword(a: int, b: int) -> str:
    """Section name of type pair (a, b) in the file."""
    return f"PAIR_{a}_{b}"


def _check(model, n, inner):
    if not model.is_pair or model.needs_diameters:
        raise ValueError(f"{model.name}: pair_style table needs a type-based pair model "
                         "(per-type parameters, no per-atom diameters)")
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"table n = {n!r}: must be an integer >= 2")
    if not 0 < inner < 1:
        raise ValueError(f"table inner = {inner!r}: must be in (0, 1) (r_min / d_ab)")


def pair_ranges(model, inner: float = INNER) -> dict:
    """{(a, b): (r_min, r_c, params)} for every type pair a <= b (1-based)."""
    out = {}
    for a in range(1, model.ntypes + 1):
        for b in range(a, model.ntypes + 1):
            ta, tb = np.array([a]), np.array([b])
            terms = model.pair_terms(ta, tb)
            r_min = inner * float(model.pair_length(ta, tb)[0])
            out[a, b] = (r_min, float(terms.cutoff[0]), terms.params)
    return out


@functools.lru_cache(maxsize=16)
def table_text(model, n: int = N_POINTS, inner: float = INNER) -> str:
    """The table file: per pair a <= b, N points in r^2 from r_min to r_c (r as LAMMPS computes it
    from ``RSQ rlo rhi``), columns index, r, U(r), -U'(r); ``FPRIME`` -U''(r_min), -U''(r_c^-).
    Cached per (model, n, inner): models are equal iff their specs are."""
    _check(model, n, inner)
    lines = [f"# {model.name} {model.to_spec()} via glasstools.models.pair_table", ""]
    for (a, b), (lo, hi, p) in pair_ranges(model, inner).items():
        r = np.sqrt(lo * lo + (hi * hi - lo * lo) * np.arange(n) / (n - 1))
        r[-1] = hi
        e, f = model.derivative(0, r, p), -model.derivative(1, r, p)
        ends = np.array([lo, np.nextafter(hi, 0.0)])
        fp = -model.derivative(2, ends, p)
        lines += [keyword(a, b), f"N {n} RSQ {lo!r} {hi!r} FPRIME {float(fp[0])!r} {float(fp[1])!r}", ""]
        lines += [f"{i + 1} {ri!r} {ei!r} {fi!r}" for i, (ri, ei, fi)
                  in enumerate(zip(r.tolist(), e.tolist(), f.tolist()))]
        lines.append("")
    return "\n".join(lines)


def table_file(model, n: int = N_POINTS, inner: float = INNER) -> Path:
    """Path of the model's table in ``cache_dir()``, written (atomically) if absent."""
    return cached_file(model.name, table_text(model, n, inner), "table")


def cached_file(name: str, text: str, suffix: str) -> Path:
    """``cache_dir()/<name>-<hash of text>.<suffix>`` holding ``text``, written atomically if absent
    (content-addressed; also used for the parameter files of many-body LAMMPS styles)."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    path = cache_dir() / f"{name}-{digest}.{suffix}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return path


def table_commands(model, style: str = STYLE, n: int = N_POINTS, inner: float = INNER) -> list[str]:
    """``pair_style table <style> <n>`` and one ``pair_coeff a b <file> PAIR_a_b <r_c>`` per pair."""
    if style not in STYLES:
        raise ValueError(f"table style = {style!r}: allowed {STYLES}")
    path = table_file(model, n, inner)
    cmds = [f"pair_style table {style} {n}"]
    for (a, b), (_, hi, _) in pair_ranges(model, inner).items():
        cmds.append(f"pair_coeff {a} {b} {path} {keyword(a, b)} {hi!r}")
    return cmds
