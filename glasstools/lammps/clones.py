"""Clones of an equilibrium configuration followed at a new temperature (P2, Methods).

P2's protocol: n_c clones share the positions of one equilibrium configuration (prepared at
(phi_g, T_g), here by hybrid swap), each gets fresh velocities drawn from the Maxwell
distribution at T_g, and the control parameter is changed instantaneously: MD (velocity
Verlet, ``fix nve``) with a Berendsen thermostat (``fix temp/berendsen``, tau_B = 1) at the
new T, dt = 0.0035. The origin of waiting times, t_w = 0, is the first time at which the
kinetic temperature averaged over a window of one time unit is within ``t0_tol`` (relative) of
the imposed T (P2: "averaged over a time t = 1, reaches the imposed value"; it takes t ~ 10).

``run_clone`` writes the configurations at t_w = 0, on a log grid of waiting times up to
``t_w`` and at t_w + tau on a log grid of lags up to ``tau`` (``clone_times``) to a multi-frame
LAMMPS dump with *unwrapped* positions (``xu yu zu``; a ``diameter`` column for polydisperse
models), so Delta_AB(t_w) between clones and the single-clone MSD Delta(t_w, t_w + tau) need no
minimum image even if a particle crosses the box. A Parquet table has one row per frame: frame,
step, t (since the origin), pe (total), temp (instantaneous kinetic T). Lost atoms and
non-finite energies stop the run (``LammpsFailure``); the dump appears only when complete.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..models import PairModel
from .deck import system_commands
from .dump import iter_dump, read_dump
from .minimise import minimise
from .neb import write_chain_dump
from .schedule import At, DumpFrames, Rows, TimeGrid, run_schedule
from .scratch import scratch_dir
from .session import LammpsFailure, lammps_session


@dataclass
class CloneSettings:
    T: float                    # clone temperature (Berendsen target)
    T_parent: float             # temperature of the Maxwell velocities (the parent's, P2)
    t_w: float = 100.0          # largest waiting time (P2: 8192)
    tau: float = 100.0          # largest lag (P2: 1e4)
    dt: float = 0.0035          # P2
    tau_B: float = 1.0          # P2
    per_decade: int = 5         # frames per decade of t_w and of tau
    t_min: float = 1.0          # first nonzero waiting time / lag of the log grids
    t0_window: float = 1.0      # averaging window of the kinetic temperature for the origin
    t0_tol: float = 0.05        # |<T_kin> - T| <= t0_tol T defines t_w = 0
    t0_max: float = 200.0       # give up looking for the origin after this time (flagged)
    neighbor_skin: float = 0.3


def log_grid(t_max: float, per_decade: int, t_min: float, dt: float) -> np.ndarray:
    """Times in (0, t_max] spaced ``per_decade`` per decade from min(t_min, t_max), rounded to
    whole MD steps (duplicates removed); t_max itself is always included."""
    t_min = min(t_min, t_max)
    n = max(2, int(math.ceil(per_decade * math.log10(t_max / t_min))) + 1)
    steps = np.unique(np.maximum(1, np.round(np.geomspace(t_min, t_max, n) / dt).astype(np.int64)))
    return steps * dt


def clone_times(s: CloneSettings) -> pd.DataFrame:
    """Frames of a clone run: columns frame, step, t, kind ("origin", "wait", "lag"), tau.

    Waiting times 0 and log_grid(t_w); then t_w + tau for tau in log_grid(tau). ``tau`` is NaN
    for waiting-time frames; the frame at t = t_w is the reference of all lags."""
    wait = np.round(log_grid(s.t_w, s.per_decade, s.t_min, s.dt) / s.dt).astype(np.int64)
    lag = np.round(log_grid(s.tau, s.per_decade, s.t_min, s.dt) / s.dt).astype(np.int64)
    n_w = int(wait[-1])
    rows = [(0, "origin", math.nan)] + [(int(k), "wait", math.nan) for k in wait]
    rows += [(n_w + int(k), "lag", k * s.dt) for k in lag]
    df = pd.DataFrame(rows, columns=["step", "kind", "tau"])
    df.insert(0, "frame", np.arange(len(df)))
    df.insert(2, "t", df["step"] * s.dt)
    return df


def run_clone(model: PairModel, data_in, dump_out, table_out, settings: CloneSettings,
              seed: int, log, meta: dict | None = None) -> pd.DataFrame:
    """Run one clone from the LAMMPS data file ``data_in`` (see module docstring). Two
    compositions on ``run_schedule``: the approach to T (stop at the first window whose mean
    kinetic T is within ``t0_tol``), then the frames of ``clone_times`` (table rows and dump)."""
    from ..io.tables import write_table

    s = settings
    frames = list(clone_times(s).itertuples())
    n = int(round(s.t0_window / s.dt))
    columns = "id type xu yu zu" + (" diameter" if model.needs_diameters else "")

    def pe_finite(lmp):
        pe = lmp.get_thermo("pe")
        if not math.isfinite(pe):
            raise LammpsFailure(f"non-finite potential energy at step "
                                f"{int(lmp.get_thermo('step'))} (see {log})")
        return {"pe": pe}

    def at_origin(run):   # origin t_w = 0: kinetic T over the last window within t0_tol of T (P2)
        origin["t_kin"] = float(run.lmp.extract_fix("tkin", 0, 0))
        if abs(origin["t_kin"] - s.T) <= s.t0_tol * s.T:
            origin["reached"] = True
            run.stop()

    def row(run):
        fr = frames[len(table.rows)]
        return {"frame": fr.frame, "step": fr.step, "t": fr.t, "kind": fr.kind, "tau": fr.tau,
                "pe": run.values["pe"], "temp": run.lmp.get_thermo("temp")}

    origin = {"reached": False, "t_kin": math.nan}
    with scratch_dir(dump_out) as scratch, \
            lammps_session(model=model, log=log, what="clone MD") as lmp:
        lmp.commands_list(system_commands(model, data_in=str(data_in)) + [
            f"neighbor {s.neighbor_skin} bin", "neigh_modify every 1 delay 0 check yes",
            "thermo_style custom step time temp pe", "thermo_modify lost error norm no",
            f"thermo {n}", f"timestep {s.dt!r}",
            f"velocity all create {s.T_parent!r} {seed} dist gaussian mom yes rot no loop geom",
            "fix integrate all nve", f"fix thermostat all temp/berendsen {s.T!r} {s.T!r} {s.tau_B!r}",
            f"fix tkin all ave/time 1 {n} {n} c_thermo_temp"])
        windows = n * s.dt * np.arange(1, int(math.ceil(s.t0_max / s.t0_window)) + 1)
        run_schedule(lmp, [At(at_origin, TimeGrid(windows))], windows[-1], probe=pe_finite,
                     log=log, what="the approach to T")
        t0 = lmp.get_thermo("time")
        lmp.commands_list(["unfix tkin", "reset_timestep 0"])
        grid = TimeGrid([fr.t for fr in frames])
        table, dump = Rows(row, grid), DumpFrames(columns, grid, scratch)
        run_schedule(lmp, [table, dump], frames[-1].t, probe=pe_finite, log=log, what="the clone run")
        dump.finish(dump_out)
    table = pd.DataFrame(table.rows)
    md = {"model": model.describe(), "settings": asdict(s), "seed": seed, "data_in": str(data_in),
          "t0_elapsed": t0, "t0_reached": origin["reached"], "t0_kinetic_T": origin["t_kin"],
          "thermostat": "Berendsen (fix temp/berendsen) + fix nve", "positions": "unwrapped (xu yu zu)",
          "units": "LJ reduced (energy e, length <d>, time sqrt(m <d>^2 / e)); pe total, not per atom",
          **(meta or {})}
    write_table(table, table_out, md)
    return table


def read_trajectory(path, dim: int = 3):
    """All frames of a clone dump: (positions (F, N, D) in id order, unwrapped; the first
    frame, for ids, types, box and diameters)."""
    frames = list(iter_dump(path, dim))
    if not frames:
        raise ValueError(f"{path}: no frames")
    return np.stack([f.positions for f in frames]), frames[0]


def inherent_structure_at_tw(model: PairModel, traj, frames: pd.DataFrame, method: str, settings,
                             is_out, log=None):
    """IS of a clone's configuration at t_w (P2 Fig. 7; the last non-lag frame of the ``run_clone``
    table ``frames``): ``minimise`` by ``method`` with the ``MinimiseSettings``, written to
    ``is_out`` as a one-frame chain dump. Returns (result, frame index)."""
    k = int(frames.index[frames["kind"] != "lag"][-1])
    fr = read_dump(traj, frame=k)
    r = minimise(model, fr, method, settings, log=log)
    write_chain_dump(is_out, r.positions[None], fr)
    return r, k


__all__ = ["CloneSettings", "clone_times", "inherent_structure_at_tw", "log_grid", "read_trajectory",
           "run_clone"]
