"""A LAMMPS run loop with scheduled observers: protocols as compositions (issue 11 §4).

``run_schedule(lmp, observers, t_end)`` advances the dynamics already set up in ``lmp`` (any
integrator: ``fix brownian`` for steepest descent, ``fix nve`` + thermostat for MD) in segments
and hands every stop to the observers, in order. An observer says

- *when* the loop must stop for it: ``next_time(t)``, from a ``TimeGrid`` (linear every dt,
  log-spaced, or explicit times), and/or a LAMMPS ``condition()`` checked after every step
  with ``fix halt`` (e.g. ``v_W < 1e-3``: the first step at which W falls below a level);
- *what* it does at a stop: ``fire(run)`` (record a row, write a dump frame, change the time
  step, push along a mode, end the run with ``run.stop()``).

The loop: ``run 0`` (forces and thermo of the start), fire every observer at this initial
stop, then until ``t_end`` or ``run.stop()``: the next stop is the earliest ``next_time`` of any
observer (``t_end`` if none comes earlier, up to rounding), n = ceil((t_next - t)/dt - 1e-9)
steps (at least one) at the current ``timestep``, run with one ``fix halt`` per pending
condition, fire the observers. Times are
LAMMPS' ``time`` (it follows ``timestep`` changes); a grid time counts as reached when
t (1 + 1e-12) >= it. Splitting a run into segments re-runs LAMMPS' set-up (neighbour lists,
atom sorting), so segmented and one-piece runs agree to rounding, not bit for bit; the same
composition is bit-reproducible.
"""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Callable

import numpy as np

from .session import LammpsFailure, lammps_errors

EPS = 1e-12   # relative tolerance of "time reached"


class TimeGrid:
    """Sorted stop times (LAMMPS time units); ``linear`` and ``log`` build the usual grids."""

    def __init__(self, times):
        self.times = np.unique(np.asarray(times, dtype=float))

    @classmethod
    def linear(cls, every: float, t_end: float, t0: float = 0.0) -> "TimeGrid":
        """t0 + k every for k = 0, 1, ... up to t_end (inclusive within rounding)."""
        if not every > 0:
            raise ValueError(f"grid spacing must be > 0, got {every}")
        n = int(math.floor((t_end - t0) / every * (1 + EPS)))
        return cls(t0 + every * np.arange(0, n + 1))

    @classmethod
    def log(cls, t_first: float, t_end: float, per_decade: int) -> "TimeGrid":
        """``int(per_decade log10(t_end/t_first)) + 1`` times log-spaced from t_first to t_end."""
        if not 0 < t_first <= t_end:
            raise ValueError(f"log grid needs 0 < t_first <= t_end, got {t_first}, {t_end}")
        n = int(per_decade * math.log10(t_end / t_first)) + 1
        return cls(np.logspace(math.log10(t_first), math.log10(t_end), n))

    def next_after(self, t: float) -> float:
        """The first grid time not yet reached at t (inf if none)."""
        k = int(np.searchsorted(self.times, t * (1 + EPS), side="right"))
        return float(self.times[k]) if k < len(self.times) else math.inf

    def reached(self, t_prev: float, t: float) -> bool:
        """Whether a grid time was reached in (t_prev, t] (each time counts once)."""
        lo = -math.inf if t_prev is None else t_prev * (1 + EPS)
        hi = t * (1 + EPS)
        return bool(np.any((self.times > lo) & (self.times <= hi)))


class Run:
    """The loop's state at a stop, handed to each observer's ``fire``."""

    def __init__(self, lmp, probe, log):
        self.lmp, self._probe, self.log = lmp, probe, log
        self.t_prev, self.t, self.step = None, None, -1
        self.values: dict = {}
        self.met: list = []          # observers whose halt condition holds at this stop
        self.initial = True
        self.stopped = False
        self.force_calls = 0         # LAMMPS force evaluations so far (a run of n steps: n + 1)

    def stop(self) -> None:
        """End the loop after this stop (the remaining observers still fire)."""
        self.stopped = True

    def _update(self, observers, t: float | None = None) -> None:
        """Read step, time (LAMMPS' ``time`` unless the driver gives ``t``) and the probe."""
        self.t_prev = self.t
        self.step = int(self.lmp.get_thermo("step"))
        self.t = float(self.lmp.get_thermo("time")) if t is None else t
        self.values = {"step": self.step, "t": self.t, **(self._probe(self.lmp) if self._probe else {})}
        self.met = [o for o in observers if o.condition() is not None and o.holds(self)]


class Observer:
    """Base class: no schedule, no condition, fires at every stop (override what you need)."""

    def next_time(self, t: float) -> float:
        return math.inf

    def condition(self) -> str | None:
        """A LAMMPS ``fix halt`` condition (e.g. ``v_W < 0.001``) or None."""
        return None

    def holds(self, run: Run) -> bool:
        """Whether ``condition()`` holds at this stop (evaluated in Python)."""
        return False

    def fire(self, run: Run) -> None:
        pass


class At(Observer):
    """``action(run)`` at every time of ``grid``; with ``every_stop`` (or no grid) at every stop
    of the loop, the grid then only adding stops."""

    def __init__(self, action: Callable[[Run], None], grid: TimeGrid | None = None,
                 every_stop: bool = False):
        self.action, self.grid, self.every_stop = action, grid, every_stop or grid is None

    def next_time(self, t):
        return self.grid.next_after(t) if self.grid is not None else math.inf

    def fire(self, run):
        if self.every_stop or self.grid.reached(run.t_prev, run.t):
            self.action(run)


class Rows(At):
    """A table: ``row(run)`` (a dict) appended at the grid times (see ``At``)."""

    def __init__(self, row: Callable[[Run], dict], grid: TimeGrid | None = None,
                 every_stop: bool = False):
        self.rows: list[dict] = []
        super().__init__(lambda run: self.rows.append(row(run)), grid, every_stop)


class FirstBelow(Observer):
    """For each level in turn (descending), the first stop at which ``value(run)`` < level, found
    by ``fix halt`` on ``v_<variable> < level`` every step; then ``action(run, level)``. One
    level per stop. A start already below the first level is an error (no first crossing)."""

    def __init__(self, variable: str, levels, action: Callable[[Run, float], None]):
        self.variable, self.pending, self.action = variable, list(levels), action

    def condition(self):
        return f"v_{self.variable} < {self.pending[0]!r}" if self.pending else None

    def holds(self, run):
        return bool(self.pending) and run.values[self.variable] < self.pending[0]

    def fire(self, run):
        if self not in run.met:
            return
        if run.initial:
            raise LammpsFailure(
                f"{self.variable} = {run.values[self.variable]:.3e} at the start is already below "
                f"the first level {self.pending[0]!r}: its first crossing cannot be sampled "
                f"(see LAMMPS log {run.log})")
        self.action(run, self.pending.pop(0))


class TimestepChange(Observer):
    """``timestep dt`` at the first stop with t >= ``at`` (the loop stops at ``at``)."""

    def __init__(self, at: float, dt: float):
        self.at, self.dt = at, dt

    def next_time(self, t):
        return self.at if t < self.at else math.inf

    def fire(self, run):
        if run.t >= self.at and run.lmp.extract_global("dt") != self.dt:
            run.lmp.command(f"timestep {self.dt!r}")


class DumpFrames(At):
    """Frames ``write_dump all custom ... <columns>`` (sorted by id, 17 digits) at the grid times,
    appended to ``scratch/<name>``; ``finish(path)`` moves the complete file into place."""

    def __init__(self, columns: str, grid: TimeGrid | None, scratch: Path, name: str = "frames.lammpstrj"):
        self.columns, self.frames = columns, 0
        self.tmp, self.part = Path(scratch) / name, Path(scratch) / f"{name}.frame"
        super().__init__(self._write, grid)

    def _write(self, run):
        write_frame(run.lmp, self.part, self.columns)
        if _rank() == 0:
            with open(self.tmp, "a") as out:
                out.write(self.part.read_text())
        self.frames += 1

    def finish(self, path) -> None:
        _barrier()
        if _rank() == 0:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.tmp, path)


def write_frame(lmp, path, columns: str) -> None:
    """One frame of every atom (``columns``, e.g. ``id type xu yu zu``), sorted by id, full precision."""
    lmp.command(f"write_dump all custom {path} {columns} modify sort id format float %.17g")


def run_schedule(lmp, observers, t_end: float, *, probe: Callable | None = None, log=None,
                 what: str = "run") -> Run:
    """Run the set-up dynamics of ``lmp`` to LAMMPS time ``t_end`` (or until an observer calls
    ``run.stop()``), stopping for the ``observers`` as described in the module docstring.
    ``probe(lmp)`` -> dict of values at each stop (``run.values``, with ``step`` and ``t``);
    it may raise (e.g. ``LammpsFailure`` on a non-finite energy). Returns the final ``Run``."""
    run = Run(lmp, probe, log)
    with lammps_errors(f"{what} set-up", log):
        lmp.command("run 0 post no")
    run.force_calls += 1
    run._update(observers)
    for o in observers:
        o.fire(run)
    run.initial = False
    while not run.stopped and run.t < t_end * (1 - EPS):
        t_next = min(o.next_time(run.t) for o in observers) if observers else math.inf
        if t_next > t_end * (1 + 1e-9):   # a grid ending at t_end up to rounding is kept
            t_next = t_end
        dt = float(lmp.extract_global("dt"))
        nsteps = max(1, int(math.ceil((t_next - run.t) / dt - 1e-9)))
        halts = [f"halt{k}" for k in range(len(observers))]
        active = [(h, o.condition()) for h, o in zip(halts, observers) if o.condition() is not None]
        for h, cond in active:
            lmp.command(f"fix {h} all halt 1 {cond} error continue message no")
        with lammps_errors(f"{what} at t = {run.t:g}", log):
            lmp.command(f"run {nsteps} post no")
        run.force_calls += int(lmp.get_thermo("step")) - run.step + 1   # a halt may end it early
        for h, _ in active:
            lmp.command(f"unfix {h}")
        run._update(observers)
        for o in observers:
            o.fire(run)
    return run


def _rank() -> int:
    from mpi4py import MPI

    return MPI.COMM_WORLD.Get_rank()


def _barrier() -> None:
    from mpi4py import MPI

    MPI.COMM_WORLD.Barrier()


__all__ = ["At", "DumpFrames", "FirstBelow", "Observer", "Rows", "Run", "TimeGrid",
           "TimestepChange", "run_schedule", "write_frame"]
