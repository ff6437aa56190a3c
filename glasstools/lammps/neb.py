"""Climbing-image nudged elastic band between two minima with LAMMPS ``neb`` (REPLICA), P2.

Protocol (P2): ``n_images`` intermediate images (default 40) by linear interpolation between
the inherent structures A and B, the final configuration unwrapped to the minimum image of the
initial one (``analysis.paths.interpolate_chain``); regular NEB then climbing-image NEB (LAMMPS ``neb`` runs
both stages: N1 regular steps, then the highest replica climbs for up to N2 steps), FIRE as the
damped-dynamics minimiser, spring ``fix neb K``. Optional two-step mode (P2, phi <~ 0.9): first
relax the chain with a stand-in model (harmonic spheres), then with the target model starting
from the relaxed chain. Barrier V_AB = E_saddle - min(E_A, E_B), E_saddle = max over images.

LAMMPS facts this module relies on (checked in src/REPLICA/neb.cpp, and measured in the tests):
- one replica per partition and one rank per replica: ``mpiexec -n P`` with P = n_images + 2
  (end points included) and ``-partition Px1``; the LAMMPS Python module under MPI needs
  ``-in none`` with partitions. So a NEB always uses n_images + 2 ranks; on fewer cores set
  the MPICH progress throttle (done here whenever P exceeds the cores) and OMP_NUM_THREADS=1.
- ``neb ... final FILE`` interpolates with the minimum image itself (NEB::readfile applies
  domain->minimum_image; checked with 3 partitions, L = 10: x = 0.5 -> 9.5 puts the middle
  replica at x = 0.0, not 5.0; ``neb`` with N1 = N2 = 0 segfaults in this build); here the chain is built in numpy instead and given with ``neb ...
  none`` after each replica's positions are set, so the same code serves the two-step restart.
- the PE columns of the NEB status lines are divided by N when ``thermo_modify norm yes`` (the
  default in lj units: ``if (output->thermo->normflag) one[0] /= atom->natoms``). Energies
  stored here are absolute (``compute pe`` scalar after a ``run 0``); the log's PE values are
  kept as ``pe_log`` and the tests check pe_log * N = energy.
- converged: the LAMMPS stopping criterion of the last stage (partition log ``LOG.0``,
  "Stopping criterion = ...") is "force tolerance" (or "energy tolerance" if etol > 0); with
  ``min_modify norm max`` ftol bounds the largest NEB force |F_i| on any atom of any replica.
  "max iterations" means not converged; the criterion is stored in ``info["stop"]``.
  ``info["saddle_converged"]``: the climbing image is the highest one and its true max force
  component is <= ftol (a stationary point), even if the rest of the band is not converged
  (glass paths with intermediate minima: the band keeps sliding while the saddle is found).

- an error in one partition (e.g. lost atoms in one replica) leaves the others waiting in fix
  neb's exchanges forever; the worker therefore calls MPI_Abort on any exception, and the
  launcher terminates the job (SIGTERM to mpiexec, which takes its ranks down) on ``timeout``
  (both in the generic launcher ``glasstools.lammps.partitions``).

Measured: vacancy hop in fcc LJ (107 atoms, 5 images, 7 ranks on 2 cores): V = 4.23668506064
vs 4.23668506064 from an independent constrained-saddle minimisation (relative 1e-13), ~5-15
s. benchmarks/neb_timing.py, 2 cores: WCA N = 1000 clone IS pair (P2) to convergence, 9.5 s with
8 images (10 ranks, 4 ms per iteration) and 89 s with 40 images (42 ranks, 40 ms per iteration)
on a quiet machine, 109 s and 308 s at background load ~4; KA-LJ N = 1000, 8 images: 48 ms per
iteration at load ~2 (91 ms loaded).

``run_neb`` launches the replicas (``glasstools.lammps.partitions.launch``: ``mpiexec -n P``,
one partition per replica, worker ``_replica``);
``neb_between_dumps`` reads two IS dumps and writes a table (rule-friendly).
"""
from __future__ import annotations

import os
import re
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..analysis.paths import interpolate_chain, reaction_coordinate, unwrap_chain
from ..configuration import Frame, check_same_particles
from ..geometry import wrap
from ..models import from_spec
from .deck import create_system
from .partitions import launch
from .scratch import scratch_dir
from .session import LammpsFailure

@dataclass
class NEBSettings:
    """Numerical settings; ``ftol`` is on the max atom force (``min_modify norm max``).

    Measured on a KA-LJ N = 1000 adjacent IS pair (8 images, FIRE dt 0.01, K = 1): the climbing
    image is stationary (true max force 8e-5) after 3000 iterations while the band's max NEB
    force still oscillates around 0.03 (intermediate minima along the path; a perpendicular
    spring, ``kspring_perp`` = 1, did not help), so ``converged`` stays False there and
    ``info["saddle_converged"]`` is the useful flag; V_AB agreed to 3e-5 between 8 and 40 images.
    """

    n_images: int = 40          # intermediate images (P2); LAMMPS replicas = n_images + 2
    kspring: float = 1.0        # fix neb spring constant (force/distance)
    kspring_perp: float = 0.0   # fix neb ... perp K: perpendicular spring against kinks (0: off)
    etol: float = 0.0
    ftol: float = 1e-3          # max |F_i| of the NEB force, any atom, any replica
    n1: int = 3000              # max regular NEB iterations
    n2: int = 3000              # max climbing-image iterations (0: no climbing)
    nevery: int = 50            # status print interval (must divide n1 and n2)
    # initial FIRE time step; LAMMPS FIRE grows it up to 10x: with 0.01 (dt_max 0.1) WCA bands
    # blew up (lost atoms) in the demo basin, 0.002 converged
    timestep: float = 0.002
    neighbor_skin: float = 0.3


@dataclass
class NEBResult:
    converged: bool
    barrier: float              # V_AB = E_saddle - min(E_A, E_B)
    e_a: float
    e_b: float
    e_saddle: float
    saddle_image: int           # replica index (0 = A, n_images + 1 = B)
    profile: pd.DataFrame       # image, reaction_coord, s, energy, pe_log, fmax, fnorm
    chain: np.ndarray           # (P, N, D) final positions, unwrapped relative to image 0
    info: dict = field(default_factory=dict)


def run_neb(model, frame_a: Frame, frame_b: Frame, workdir,
            settings: NEBSettings | None = None, stand_in=None,
            stand_in_settings: NEBSettings | None = None, launcher=None,
            timeout: float | None = None, initial_chain=None) -> NEBResult:
    """NEB between minima A and B of ``model`` (a ``PairModel``: LAMMPS commands, number of
    types, atom style, plugin), given as frames of the same particles (ids, types, box,
    diameters: ``check_same_particles``); positions (N, 3) in id order. With ``stand_in`` (a
    model) the chain is first relaxed with that model (regular NEB, no climbing unless its
    settings say so; ``model``'s atom style and types), then with ``model`` from the relaxed
    chain. Files (spec, chain, logs) go to ``workdir``.
    ``launcher``: argv prefix, each item formatted with ``ranks`` = n_images + 2, e.g.
    ``["srun", "-n", "{ranks}"]``; default ``[<venv>/bin/mpiexec, "-n", "{ranks}"]``.
    ``initial_chain`` (n_images + 2, N, 3) replaces the linear interpolation (restarts).
    ``timeout`` (s) per stage: the MPI job is terminated and ``LammpsFailure`` raised.
    """
    check_same_particles(frame_a, frame_b)
    s = settings or NEBSettings()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    chain = (interpolate_chain(frame_a.positions, frame_b.positions, frame_a.box_len, s.n_images)
             if initial_chain is None else np.asarray(initial_chain, float))
    info = {}
    if stand_in is not None:
        s0 = stand_in_settings or NEBSettings(**{**asdict(s), "n2": 0})
        if s0.n_images != s.n_images:
            raise ValueError("stand-in and target NEB need the same number of images")
        first = _run_stage("standin", stand_in.lammps_commands(), model, frame_a, chain,
                           workdir, s0, launcher, timeout)
        chain = first.chain
        info["standin"] = {"converged": first.converged, "barrier": first.barrier,
                           **first.info}
    res = _run_stage("target", model.lammps_commands(), model, frame_a, chain, workdir, s,
                     launcher, timeout)
    res.info.update(info)
    return res


def _run_stage(stage, pair_commands, model, frame: Frame, chain, workdir, s, launcher,
               timeout) -> NEBResult:
    P = s.n_images + 2
    if len(chain) != P:
        raise ValueError(f"chain has {len(chain)} replicas, expected n_images + 2 = {P}")
    if s.n1 % s.nevery or s.n2 % s.nevery:
        raise ValueError(f"nevery = {s.nevery} must divide n1 = {s.n1} and n2 = {s.n2} (LAMMPS)")
    arrays = workdir / f"{stage}_in.npz"
    np.savez(arrays, box_lo=frame.box_lo, box_len=frame.box_len, types=frame.types, chain=chain,
             diameters=np.asarray(frame.diameters if frame.diameters is not None else [], float))
    spec = {"stage": stage, "model": model.to_spec(), "pair_commands": list(pair_commands),
            "settings": asdict(s), "arrays": str(arrays), "out": str(workdir / f"{stage}_out.npz")}
    Path(spec["out"]).unlink(missing_ok=True)
    job = launch("glasstools.lammps.neb:_replica", spec, workdir, P, name=stage, launcher=launcher,
                 timeout=timeout)
    return _collect({**spec, "log": str(job.log)}, frame.box_len, job.wall)


def _collect(spec, box_len, wall) -> NEBResult:
    import pandas as pd   # here, not at the top: the n_images + 2 ranks import this module and need no pandas

    s = NEBSettings(**spec["settings"])
    out = np.load(spec["out"])
    energy, chain = out["energy"], out["chain"]
    natoms = chain.shape[1]
    status = parse_neb_log(spec["log"])
    P = len(energy)
    chain = unwrap_chain(chain, box_len)
    rc = reaction_coordinate(chain, box_len)
    last = status["last"]
    pe_log = np.asarray(last["pe"]) if last else np.full(P, np.nan)
    profile = pd.DataFrame({"image": np.arange(P), "reaction_coord": rc,
                            "s": rc / rc[-1] if rc[-1] > 0 else rc, "energy": energy,
                            "pe_log": pe_log, "fmax": out["fmax"], "fnorm": out["fnorm"]})
    k = int(np.argmax(energy))
    e_a, e_b = float(energy[0]), float(energy[-1])
    climb_steps = status["climb_steps"]
    stops = stop_criteria(spec["log"] + ".0")
    # one "Stopping criterion" per stage; the last belongs to the climbing stage (or the
    # regular one when n2 = 0: LAMMPS then still runs a zero-step climbing set-up)
    stop = stops[-1] if stops else "no stopping criterion in the partition log"
    if s.n2 == 0 and len(stops) >= 2:
        stop = stops[-2]
    converged = stop in ("force tolerance", "energy tolerance")
    ci = status["climbing_replica"] if s.n2 > 0 and status["climbing_replica"] is not None else k
    info = {"stage": spec["stage"], "wall_s": wall, "ranks": P, "natoms": natoms,
            "climbing_fmax": float(out["fmax"][ci]),
            "saddle_converged": bool(out["fmax"][ci] <= s.ftol and ci == k),
            # highest image = an end point: monotonic path, V_AB = |E_A - E_B|, no saddle
            "saddle_at_endpoint": bool(k in (0, P - 1)),
            "regular_steps": status["regular_steps"], "climb_steps": climb_steps,
            "climbing_replica": status["climbing_replica"],
            "max_replica_force": last["max_replica_force"] if last else np.nan,
            # LAMMPS 2025 prints MaxAtomForce as the squared largest force component (Min::
            # fnorm_inf returns max f^2; measured: unsquared it would contradict the 2-norm)
            "max_atom_force": float(np.sqrt(last["max_atom_force"])) if last else np.nan,
            "ebf_log": last["ebf"] if last else np.nan,
            "stop": stop, "stops": stops,
            "settings": asdict(s)}
    return NEBResult(bool(converged), float(energy[k] - min(e_a, e_b)), e_a, e_b,
                     float(energy[k]), k, profile, chain, info)


_HEADER = "Step MaxReplicaForce MaxAtomForce"


def stop_criteria(partition_log) -> list[str]:
    """The ``Stopping criterion = ...`` lines of a partition log, in order (one per stage)."""
    path = Path(partition_log)
    if not path.exists():
        return []
    return re.findall(r"Stopping criterion = (.+)", path.read_text())


def parse_neb_log(path) -> dict:
    """Status lines of a LAMMPS universe log of ``neb``: per stage the rows
    (step, max replica force, max atom force, ..., EBF, EBR, RDT, RD_k, PE_k)."""
    stages, current, climbing = [], None, None
    for line in Path(path).read_text().splitlines():
        if line.split()[:3] == _HEADER.split():
            current = []
            stages.append(current)
            continue
        m = re.match(r"Climbing replica = (\d+)", line)
        if m:
            climbing = int(m.group(1)) - 1
            current = None
            continue
        if current is not None:
            parts = line.split()
            try:
                vals = [float(v) for v in parts]
            except ValueError:
                current = None
                continue
            if len(vals) >= 9:
                current.append(vals)
    rows = [r for st in stages for r in st]
    last = None
    if rows:
        r = rows[-1]
        last = {"step": int(r[0]), "max_replica_force": r[1], "max_atom_force": r[2],
                "ebf": r[6], "ebr": r[7], "rd": r[9::2], "pe": r[10::2]}

    def span(st):
        return int(st[-1][0] - st[0][0]) if st else None

    return {"regular_steps": span(stages[0]) if stages else None,
            "climb_steps": span(stages[1]) if len(stages) > 1 else None,
            "climbing_replica": climbing, "last": last}


# --------------------------------------------------------------------------- worker (per rank)

def _replica(lmp, spec: dict, partition: int) -> None:
    """One partition = one replica (one rank each): set up, ``neb``, then gather energies,
    forces and positions of all replicas on rank 0 (``glasstools.lammps.partitions`` worker)."""
    from mpi4py import MPI

    s = NEBSettings(**spec["settings"])
    comm = MPI.COMM_WORLD
    P = comm.Get_size()
    arr = np.load(spec["arrays"])
    chain, types = arr["chain"], arr["types"]
    if len(chain) != P:
        raise SystemExit(f"NEB needs {len(chain)} ranks (one per replica), got {P}")
    lo, L = arr["box_lo"], arr["box_len"]
    N = chain.shape[1]
    x = wrap(chain[partition], L, lo)
    # the model (atom style, types, plugin) from its spec; the stage's pair commands as computed
    # by the parent (a table model writes its table file there, not once per rank)
    model = from_spec(spec["model"])
    diam = arr["diameters"] if arr["diameters"].size else None
    create_system(lmp, model, types, x, lo, L, diam, spec["pair_commands"], extra=" sort 0 0.0")
    lmp.commands_list([
        f"neighbor {s.neighbor_skin} bin", "neigh_modify every 1 delay 0 check yes",
        "thermo_modify norm yes",   # LAMMPS lj default, stated: the log PE is per atom
        f"timestep {s.timestep!r}", "min_style fire", "min_modify norm max",
        f"fix neb all neb {s.kspring!r}"
        + (f" perp {s.kspring_perp!r}" if s.kspring_perp > 0 else ""),
        f"neb {s.etol!r} {s.ftol!r} {s.n1} {s.n2} {s.nevery} none",
        "unfix neb", "thermo_modify norm no", "run 0 post no"])
    energy = float(lmp.extract_compute("thermo_pe", 0, 0))
    fmax = float(lmp.get_thermo("fmax"))
    fnorm = float(lmp.get_thermo("fnorm"))
    pos = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(N, 3).copy()
    rows = comm.gather((energy, fmax, fnorm, pos), root=0)
    if comm.Get_rank() == 0:
        tmp = spec["out"] + ".part.npz"
        np.savez(tmp, energy=np.array([r[0] for r in rows]), fmax=np.array([r[1] for r in rows]),
                 fnorm=np.array([r[2] for r in rows]), chain=np.stack([r[3] for r in rows]))
        os.replace(tmp, spec["out"])


# --------------------------------------------------------------------------- file-level API

def neb_between_dumps(model, dump_a, dump_b, table_out, workdir=None,
                      settings: NEBSettings | None = None, stand_in=None,
                      stand_in_settings: NEBSettings | None = None,
                      chain_out=None, meta: dict | None = None, on_failure: str = "raise",
                      timeout: float | None = None, launcher=None) -> NEBResult | None:
    """NEB between the IS in two LAMMPS dumps (same ids and box); writes the energy profile
    (``write_table``: image, reaction_coord, s, energy, pe_log, fmax, fnorm; metadata:
    converged, barrier V_AB, E_A, E_B, E_saddle, stop, settings, model) and optionally the
    final chain as a multi-frame dump ``chain_out``. ``on_failure="record"``: a LAMMPS failure
    (e.g. a climbing image that runs away and loses atoms) writes an empty table whose
    metadata has converged = False, barrier = NaN and the error, and returns None, so one bad
    pair does not stop a clone-matrix workflow. Call it from a plain (non-MPI) process: it
    starts ``mpiexec -n (n_images + 2)`` itself (``launcher`` as in ``run_neb``)."""
    from ..io.tables import write_table
    from .dump import read_dump

    fa, fb = read_dump(dump_a), read_dump(dump_b)
    try:
        check_same_particles(fa, fb)
    except ValueError as exc:
        raise ValueError(f"{dump_a} and {dump_b}: {exc}") from None
    with ExitStack() as stack:
        if workdir is None:   # scratch beside the table, removed however this ends
            workdir = stack.enter_context(scratch_dir(table_out, mpi=False))
        res = _neb_or_record(model, fa, fb, workdir, settings, stand_in, stand_in_settings,
                             launcher, timeout, on_failure, table_out,
                             {"model": model.describe(), "dump_a": str(dump_a),
                              "dump_b": str(dump_b), **(meta or {})})
    if res is None:
        return None
    md = {"converged": res.converged, "barrier": res.barrier, "e_a": res.e_a, "e_b": res.e_b,
          "e_saddle": res.e_saddle, "saddle_image": res.saddle_image, "energy_units": "absolute (total, not per atom)",
          "model": model.describe(), "stand_in": stand_in.describe() if stand_in else None,
          "dump_a": str(dump_a), "dump_b": str(dump_b), **res.info, **(meta or {})}
    write_table(res.profile, table_out, md)
    if chain_out is not None:
        write_chain_dump(chain_out, res.chain, fa)
    return res


def _neb_or_record(model, fa, fb, workdir, settings, stand_in, stand_in_settings, launcher,
                   timeout, on_failure, table_out, meta) -> NEBResult | None:
    """``run_neb`` between the frames; with ``on_failure="record"`` a ``LammpsFailure`` writes
    the empty failure table (see ``neb_between_dumps``) and gives None."""
    import pandas as pd

    from ..io.tables import write_table

    try:
        return run_neb(model, fa, fb, workdir, settings, stand_in, stand_in_settings,
                       launcher=launcher, timeout=timeout)
    except LammpsFailure as exc:
        if on_failure != "record":
            raise
        cols = ["image", "reaction_coord", "s", "energy", "pe_log", "fmax", "fnorm"]
        write_table(pd.DataFrame({c: pd.Series(dtype=float) for c in cols}), table_out,
                    {"converged": False, "barrier": float("nan"), "stop": "LAMMPS failure",
                     "error": str(exc)[:4000],
                     "settings": asdict(settings or NEBSettings()), **meta})
        return None


def write_chain_dump(path, chain, frame: Frame) -> None:
    """Replicas ``chain`` (P, N, D) of the particles of ``frame`` (ids, types, box, diameters)
    as frames (timestep = replica index) of a LAMMPS text dump, positions wrapped; a
    ``diameter`` column when ``frame`` has diameters (``glasstools.lammps.dump.write_dump``)."""
    from .dump import write_dump

    write_dump((Frame(pos, frame.box_len, frame.types, ids=frame.ids, box_lo=frame.box_lo,
                      diameters=frame.diameters, timestep=k) for k, pos in enumerate(chain)), path)


__all__ = ["NEBSettings", "NEBResult", "run_neb", "neb_between_dumps", "parse_neb_log",
           "stop_criteria", "write_chain_dump"]
