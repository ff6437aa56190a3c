"""Inherent structures by LAMMPS ``minimize`` with different minimisers (P0, P2, P3, P4).

From one configuration, ``min_style cg`` (Polak-Ribiere conjugate gradient, quadratic line
search), ``fire`` (damped dynamics, Bitzek et al. 2006) and ``sd`` (steepest descent with line
search) generally end in different minima; P0 compares them by the IS distance
(1/N) sum_i |r_i^A - r_i^B|^2 (minimum image), ``analysis.minimisers.is_distances``.

Tolerances (``MinimiseSettings``): ``minimize etol ftol maxiter maxeval`` with etol = 0 (no
energy criterion: it stops early on flat landscapes), ftol = 1e-10 on the largest per-atom force
|F_i| (``min_modify norm max``, N-independent; LAMMPS' default 2-norm grows with sqrt(N)),
maxiter = 1e5, maxeval = 1e6, ``min_modify dmax 0.1`` (largest move per line search / step).
The roundoff floor of |F_i| is ~1e-13 for LJ (measured on 107 atoms: 1.1e-13), so 1e-10 is
reachable in double precision.

Nothing is silently non-converged: every result carries the LAMMPS stopping criterion (parsed
from the LAMMPS log, "Stopping criterion = ...") and ``converged`` is True only if LAMMPS
stopped on the force (or energy) tolerance AND the measured max |F_i| of the returned
configuration is <= ftol. "linesearch alpha is zero" (CG/SD at the roundoff floor) or "max
iterations" give converged = False with the measured forces reported.
"""
from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis.minimisers import is_distances
from ..configuration import Frame, check_same_particles
from ..geometry import wrap
from ..models import PairModel
from .deck import create_system, xyz
from .session import LammpsFailure, lammps_session

METHODS = ("cg", "fire", "sd")
CONVERGED_STOPS = ("force tolerance", "energy tolerance")


@dataclass
class MinimiseSettings:
    etol: float = 0.0
    ftol: float = 1e-10          # on max_i |F_i| (min_modify norm max)
    maxiter: int = 100000
    maxeval: int = 1000000
    dmax: float = 0.1
    fire_timestep: float = 0.005  # FIRE's initial dt (lj default); adapted up to 10x by FIRE
    neighbor_skin: float = 0.3


@dataclass
class ISResult:
    method: str
    positions: np.ndarray        # (N, D), id order, wrapped into the box
    energy: float                # total potential energy (absolute)
    fmax_atom: float             # max_i |F_i|
    fnorm: float                 # 2-norm of the 3N force vector
    W: float                     # (1/N) sum_i |F_i|^2
    iterations: int
    evaluations: int
    stop: str                    # LAMMPS "Stopping criterion"
    converged: bool
    energy_start: float

    def row(self) -> dict:
        d = asdict(self)
        d.pop("positions")
        d["energy_per_atom"] = self.energy / len(self.positions)
        return d


def _setup(lmp, model: PairModel, frame: Frame, skin):
    create_system(lmp, model, frame.types, frame.positions, frame.box_lo, frame.box_len,
                  frame.diameters)
    lmp.commands_list([
        f"neighbor {skin} bin",
        "neigh_modify every 1 delay 0 check yes", "thermo_modify norm no lost error",
        "variable fi atom sqrt(fx*fx+fy*fy+fz*fz)", "compute fi all reduce max v_fi",
        "variable f2 atom fx*fx+fy*fy+fz*fz", "compute f2 all reduce sum v_f2",
        "thermo_style custom step pe fmax fnorm c_fi"])


def _measure(lmp):
    """Total energy, max_i |F_i|, sum_i |F_i|^2 and positions (id order, (N, D)) after a ``run 0``."""
    n, dim = lmp.get_natoms(), lmp.extract_setting("dimension")
    return (float(lmp.extract_compute("thermo_pe", 0, 0)), float(lmp.extract_compute("fi", 0, 0)),
            float(lmp.extract_compute("f2", 0, 0)),
            np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3)[:, :dim].copy())


def parse_minimize_log(text: str) -> dict:
    """Last ``Stopping criterion`` and ``Iterations, force evaluations`` of a LAMMPS log."""
    stops = re.findall(r"Stopping criterion = (.+)", text)
    its = re.findall(r"Iterations, force evaluations = (\d+) (\d+)", text)
    return {"stop": stops[-1].strip() if stops else "unknown (no minimisation stats in log)",
            "iterations": int(its[-1][0]) if its else -1,
            "evaluations": int(its[-1][1]) if its else -1}


def _min_commands(method: str, s: MinimiseSettings) -> list[str]:
    cmds = [f"min_style {method}", "min_modify norm max", f"min_modify dmax {s.dmax!r}"]
    if method == "fire":
        cmds.append(f"timestep {s.fire_timestep!r}")
    return cmds + ["reset_timestep 0", f"minimize {s.etol!r} {s.ftol!r} {s.maxiter} {s.maxeval}",
                   "run 0 post no"]


@contextlib.contextmanager
def _logfile(log):
    """``log`` or, if None, a temporary LAMMPS log (rank 0 creates it; every rank gets the path)."""
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    tmp = None
    if log is None and comm.Get_rank() == 0:
        tmp = tempfile.mkdtemp(prefix="glasstools-min.")
    try:
        yield Path(log) if log else Path(comm.bcast(tmp, root=0)) / "log.lammps"
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _result(method, e, fi, f2, x, stats, s: MinimiseSettings, e0) -> ISResult:
    if not np.isfinite(e):
        raise LammpsFailure(f"non-finite energy after minimize ({method})")
    converged = stats["stop"] in CONVERGED_STOPS and fi <= s.ftol
    return ISResult(method, x, e, fi, float(np.sqrt(f2)), f2 / len(x), stats["iterations"],
                    stats["evaluations"], stats["stop"], bool(converged), e0)


def minimise(model: PairModel, frame: Frame, method: str = "cg",
             settings: MinimiseSettings | None = None, log=None) -> ISResult:
    """Inherent structure of the configuration ``frame`` (positions (N, D) in id order, D = 2 or 3,
    orthogonal periodic box, diameters for polydisperse models) by LAMMPS ``minimize`` with
    ``method`` (cg | fire | sd). Runs on
    MPI.COMM_WORLD (serial, or every rank of an ``mpiexec`` job calls it with the same data)."""
    return quench_frames(model, [frame], method, settings, log)[0]


class FrameQuencher:
    """One LAMMPS session that minimises configurations one at a time (``quench_frames`` is a loop
    over it; callers that choose the next frame from the last result, e.g. the bisection of
    ``vibrations.inherent_trajectory``, call it directly): ``with FrameQuencher(model, method,
    settings, log) as q: r = q(frame)``. The system is created from the first frame; each further
    frame (same particles, same box) has its positions (id order, wrapped) scattered into it
    before ``minimize``. The stopping criterion of each frame is read from the LAMMPS log."""

    def __init__(self, model: PairModel, method: str = "cg", settings: MinimiseSettings | None = None,
                 log=None):
        if method not in METHODS:
            raise ValueError(f"unknown minimiser {method!r}; allowed: {METHODS}")
        self.model, self.method, self.settings, self.log = model, method, settings or MinimiseSettings(), log
        self.first = None

    def __enter__(self):
        from mpi4py import MPI

        self._comm = MPI.COMM_WORLD
        self._stack = contextlib.ExitStack()
        self._logfile = self._stack.enter_context(_logfile(self.log))
        self._lmp = self._stack.enter_context(lammps_session(model=self.model, log=self._logfile,
                                                             what=f"minimize ({self.method})"))
        self._offset = 0
        return self

    def __exit__(self, *exc):
        return self._stack.__exit__(*exc)

    def __call__(self, frame: Frame) -> ISResult:
        lmp, s = self._lmp, self.settings
        if self.first is None:
            self.first = frame
            _setup(lmp, self.model, frame, s.neighbor_skin)
        else:
            check_same_particles(self.first, frame)
            x = xyz(wrap(frame.positions, frame.box_len, frame.box_lo))   # 2D: z = 0
            lmp.scatter_atoms("x", 1, 3, np.ctypeslib.as_ctypes(np.ascontiguousarray(x.ravel())))
        lmp.command("run 0 post no")
        e0 = float(lmp.extract_compute("thermo_pe", 0, 0))
        lmp.commands_list(_min_commands(self.method, s))
        e, fi, f2, x = _measure(lmp)
        stats = None
        if self._comm.Get_rank() == 0:          # this frame's part of the log (LAMMPS writes on rank 0)
            lmp.flush_buffers()
            with open(self._logfile) as fh:
                fh.seek(self._offset)
                stats = parse_minimize_log(fh.read())
                self._offset = fh.tell()
        return _result(self.method, e, fi, f2, x, self._comm.bcast(stats, root=0), s, e0)


def quench_frames(model: PairModel, frames, method: str = "cg",
                  settings: MinimiseSettings | None = None, log=None,
                  fallback: str | None = None) -> list[ISResult]:
    """Inherent structure of every configuration in ``frames`` (an iterable of ``Frame``s of the
    same particles in the same box, e.g. ``iter_dump`` of an MD run: IS trajectories, IS
    ensembles along equilibrium runs) in ONE LAMMPS session (``FrameQuencher``; ``minimise`` is
    the one-frame case). Results as ``minimise``'s.

    ``fallback`` (a method or None): frames that did not converge (e.g. CG's "linesearch alpha is
    zero" far above ftol on a tabulated potential) are minimised again with it from where they
    stopped, in a second session; their result's method is ``"<method>+<fallback>"`` and
    ``energy_start`` stays that of the original frame."""
    if method not in METHODS or fallback not in (None, *METHODS):
        raise ValueError(f"unknown minimiser {method!r} / fallback {fallback!r}; allowed: {METHODS}")
    with FrameQuencher(model, method, settings, log) as quench:
        out = [quench(frame) for frame in frames]
        first = quench.first
    retry = [k for k, r in enumerate(out) if not r.converged] if fallback else []
    if retry:
        again = quench_frames(model, [replace(first, positions=out[k].positions) for k in retry], fallback,
                              settings, None if log is None else Path(f"{log}.{fallback}"))
        for k, r in zip(retry, again):
            out[k] = replace(r, method=f"{method}+{fallback}", energy_start=out[k].energy_start)
    return out


def evaluate(model: PairModel, frame: Frame, method: str, stop: str, converged: bool,
             iterations: int = -1,
             settings: MinimiseSettings | None = None) -> ISResult:
    """An IS ``frame`` found elsewhere (e.g. the steepest-descent *dynamics* of ``quench``, method
    ``"sd_dynamics"``) evaluated by LAMMPS exactly like ``minimise``'s results (``run 0``:
    total energy, max_i |F_i|, |F|, W), so that energies and IS distances compare on one
    footing. ``stop`` and ``converged`` are the producer's (no minimisation is run here;
    ``energy_start`` = energy)."""
    s = settings or MinimiseSettings()
    with lammps_session(model=model, what="evaluation of an inherent structure") as lmp:
        _setup(lmp, model, frame, s.neighbor_skin)
        lmp.command("run 0 post no")
        e, fi, f2, x = _measure(lmp)
    return ISResult(method, x, e, fi, float(np.sqrt(f2)), f2 / len(x), iterations, -1, stop,
                    bool(converged), e)


def inherent_structures(model: PairModel, frame: Frame, methods=METHODS,
                        settings: MinimiseSettings | None = None) -> dict[str, ISResult]:
    """IS of the configuration ``frame`` by each minimiser in ``methods``."""
    from ..progress import progress

    return {m: minimise(model, frame, m, settings)
            for m in progress(methods, "minimisers", total=len(methods))}


def summary_table(results: dict[str, ISResult]) -> pd.DataFrame:
    """One row per minimiser: energy, energy_per_atom, fmax_atom, fnorm, W, iterations,
    evaluations, stop, converged, energy_start."""
    return pd.DataFrame([r.row() for r in results.values()])


def minimise_dump(model: PairModel, dump_in, outdir, methods=METHODS,
                  settings: MinimiseSettings | None = None, frame: int = -1,
                  meta: dict | None = None) -> dict[str, ISResult]:
    """Rule-friendly: IS of ``dump_in`` by each method -> ``outdir/IS_{method}.lammpstrj``,
    ``outdir/minimisers.parquet`` (summary) and ``outdir/is_distances.parquet``."""
    from .dump import read_dump

    fr = read_dump(dump_in, frame=frame)
    return minimise_frame(model, fr, outdir, methods, settings,
                          meta={"source": str(dump_in), "frame": frame, **(meta or {})})


def minimise_frame(model: PairModel, fr: Frame, outdir, methods=METHODS,
                   settings: MinimiseSettings | None = None, extra: dict | None = None,
                   meta: dict | None = None) -> dict[str, ISResult]:
    """IS of the configuration ``fr`` (a ``Frame``, e.g. from ``read_data_file``) by each
    method -> ``outdir/IS_{method}.lammpstrj`` (with a ``diameter`` column when ``fr`` has
    diameters), ``outdir/minimisers.parquet`` (``summary_table``: one row per method, including
    non-converged ones with their ``stop``) and ``outdir/is_distances.parquet`` (every pair,
    delta = (1/N) sum_i |r_i^A - r_i^B|^2, de = E_B - E_A). ``extra`` ISResults (e.g.
    ``evaluate(..., "sd_dynamics", ...)``) join the tables but are not written as dumps."""
    from ..io.tables import write_table
    from .neb import write_chain_dump

    res = inherent_structures(model, fr, methods, settings)
    outdir = Path(outdir)
    for m, r in res.items():
        write_chain_dump(outdir / f"IS_{m}.lammpstrj", r.positions[None], fr)
    res.update(extra or {})
    md = {"model": model.describe(), "settings": asdict(settings or MinimiseSettings()),
          "N": int(fr.n), "units": "reduced LJ (energy epsilon, length sigma / mean diameter)",
          "delta": "(1/N) sum_i |r_i^A - r_i^B|^2, minimum image (P0 Sec. III)",
          "de": "E_B - E_A (total potential energy)", **(meta or {})}
    write_table(summary_table(res), outdir / "minimisers.parquet", md)
    write_table(is_distances(res, fr.box_len), outdir / "is_distances.parquet", md)
    return res
