"""Replica-exchange MD with LAMMPS ``temper`` (REPLICA package): one partition per replica.

Protocol (P1 Sec. III A 2, SCIENCE_P3_P4.md §3.1; P1 ran an in-house code, ``temper`` is our
substitute): M replicas of the same N-particle system at the ladder temperatures, each from
its own random start (push-off minimisation, Maxwell velocities at its T), Nose-Hoover NVT
(``fix nvt``, damping ``tdamp``) with velocity Verlet; every ``exchange_every`` steps one
exchange trial (Metropolis, ``glasstools.analysis.replica_exchange``; on acceptance LAMMPS
rescales the velocities by sqrt(T_new/T_old) and resets the thermostat target). After
``equilibration_trials`` trials, every ``sampling_every`` trials the configuration at the
target temperature is written (a LAMMPS data file): ``samples`` of them. P1: 18 replicas,
T = 0.78 ... 0.3971, exchange every 2800 steps (dt = 0.005), 350 000 equilibration trials,
a sample every 10 000 trials, 45 samples.

LAMMPS facts this module relies on (src/REPLICA/temper.cpp, stable 22Jul2025; the replay below
reproduces every decision of a run, tests/test_replica_exchange.py):
- ``temper N M T fix seed_swap seed_boltz [index]``: N/M trials; at each one every rank draws
  u from RanPark(seed_swap) and tries the pairs (k, k+1) with k even (u < 0.5) or odd. The
  partition with the lower world index (lower root rank) decides with
  Delta = (E_self - E_partner)(1/T_self - 1/T_partner): accept if Delta >= 0, else if
  u' < exp(Delta), u' from its own RanPark(seed_boltz + root rank) warmed up by 100 draws.
  E = ``compute thermo_pe`` (total potential energy, not per atom).
- the universe log gets ``Step T0 T1 ...`` and one row per trial (and the start): the
  temperature index of each partition (walker), flushed at once. ``temper`` starts its RNGs
  afresh at each call, and without ``index`` puts partition k back at T_k: a run continued
  over several ``temper`` commands (here: one per sampling interval) passes each partition's
  current index and new seeds; each call repeats the status row of its start.
- energies: ``fix print`` every M steps writes ``step E`` (%.17g, exact) per partition, the
  energy ``temper`` used at that trial.

Checkpoints (``run_replica_exchange``): after every ``temper`` call each partition writes a binary
restart file and rank 0 ``progress.json``; a run stopped at ``wall_limit`` (or killed) resumes
from there when started again with the same arguments (P1's 2.2e9 steps per replica do not fit
one batch job).

Throttle: M x ranks_per_replica ranks, usually more than the cores on a workstation: the
launcher (``glasstools.lammps.partitions.launch``) sets the MPICH progress throttle then.
Cost: M replicas x ``REMDSettings.steps`` = (equilibration + samples x sampling_every) x exchange_every
MD steps.
"""
from __future__ import annotations

import math
import os
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis.replica_exchange import (check_ladder, energy_histograms, histogram_overlap,
                                         pair_acceptance, round_trips, walkers_at)
from ..models import from_spec
from ..systems import box_length, sample_seed
from .deck import system_commands, two_d_fix
from .partitions import launch
from .session import LammpsFailure


@dataclass
class REMDSettings:
    """Replica-exchange protocol; lengths in exchange trials (defaults: P1's protocol, the ladder
    excepted, which has no default: ``analysis.replica_exchange.geometric_ladder``)."""

    temperatures: tuple             # increasing ladder
    target: float                   # temperature of the samples (on the ladder)
    samples: int = 45               # configurations at the target T, one per sampling interval
    exchange_every: int = 2800      # MD steps between exchange trials (P1: 2800)
    equilibration_trials: int = 350_000   # trials before the first sampling interval (P1)
    sampling_every: int = 10_000    # trials between samples (P1)
    dt: float = 0.005               # MD time step (P1)
    tdamp: float = 0.5              # Nose-Hoover damping time
    ranks_per_replica: int = 1      # MPI ranks per partition
    overlap: float = 0.7            # minimum distance of the random start (then push-off)
    histogram_bins: int = 40        # energy histograms per T
    neighbor_skin: float = 0.3

    def __post_init__(self):
        self.temperatures = tuple(float(t) for t in self.temperatures)
        self.target_index = check_ladder(self.temperatures, self.target)
        for name in ("samples", "exchange_every", "sampling_every", "ranks_per_replica",
                     "histogram_bins"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} = {getattr(self, name)}: must be >= 1")
        if self.equilibration_trials < 0:
            raise ValueError(f"equilibration_trials = {self.equilibration_trials}: must be >= 0")

    @property
    def replicas(self) -> int:
        return len(self.temperatures)

    @property
    def trials(self) -> int:
        return self.equilibration_trials + self.samples * self.sampling_every

    @property
    def steps(self) -> int:
        """MD steps of each replica over the whole run: trials x exchange_every."""
        return self.trials * self.exchange_every

    @classmethod
    def from_system(cls, s: dict) -> REMDSettings:
        """The settings of a validated config system ``s`` with a ``remd`` block (``config.validate``:
        resolved ladder, schema defaults): target T and samples from the system, the rest from the block."""
        r = s["remd"]
        return cls(temperatures=r["temperatures"], target=s["T"], samples=s["samples"],
                   **{k: r[k] for k in ("exchange_every", "equilibration_trials", "sampling_every", "dt", "tdamp",
                                        "ranks_per_replica", "histogram_bins")})


def chunk_seeds(seed: int, chunk: int) -> tuple[int, int]:
    """(seed_swap, seed_boltz) of the ``chunk``-th ``temper`` call of a run seeded ``seed``."""
    return sample_seed(seed, "temper-swap", chunk), sample_seed(seed, "temper-boltz", chunk)


def start_seed(seed: int, replica: int) -> int:
    """Seed of replica ``replica``'s random start and initial velocities."""
    return sample_seed(seed, "replica-start", replica)


def chunks(s: REMDSettings) -> list[int]:
    """Trials of each ``temper`` call: equilibration (if any), then one per sample."""
    return ([s.equilibration_trials] if s.equilibration_trials else []) + [s.sampling_every] * s.samples


# --------------------------------------------------------------------------- worker (per rank)

def _replica(lmp, spec: dict, partition: int) -> None:
    """One partition = one replica (``glasstools.lammps.partitions`` worker): random start at
    T_k (or, with ``spec["resume"]``, the partition's restart file of the last checkpoint),
    then one ``temper`` per chunk; after each sampling chunk the partition holding the target
    temperature writes ``sample_<j>.data``; after every chunk a checkpoint (``_checkpoint``).
    Stops after the chunk in which ``spec["wall_limit"]`` seconds have passed."""
    import time

    from mpi4py import MPI

    t0 = time.monotonic()
    s = REMDSettings(**spec["settings"])
    model = from_spec(spec["model"])
    work = Path(spec["workdir"])
    T = s.temperatures[partition]
    seed = start_seed(spec["seed"], partition)
    M = s.exchange_every
    energy_file = work / f"energy.{partition}.txt"
    resume = spec.get("resume")
    common = [f"neighbor {s.neighbor_skin!r} bin", "neigh_modify every 1 delay 0 check yes",
              "thermo_style custom step time temp pe ke etotal press",
              "thermo_modify lost error norm yes"]
    md = [f"timestep {s.dt!r}",
          # same fix ID after read_restart: the Nose-Hoover chain state is restored
          f"fix md all nvt temp {T!r} {T!r} {s.tdamp!r}",
          f"thermo {M * s.sampling_every}",
          # the total energy temper compares, at every trial (and at the start of each call)
          f'fix energy all print {M} "$(step) $(c_thermo_pe:%.17g)" '
          + (f"append {energy_file}" if resume else f'file {energy_file} title "# step pe_total"')
          + " screen no"]
    if resume:
        restart = work / f"p{partition}.c{resume['chunk']}.restart"
        lmp.commands_list([f"read_restart {restart}",
                           *model.lammps_commands(), *two_d_fix(spec["dim"]), *common, *md])
        first, index = resume["chunk"] + 1, resume["temp_of_walker"][partition]
    else:
        lmp.commands_list(system_commands(model, N=spec["N"], box_len=spec["box_len"], seed=seed,
                                          overlap=s.overlap, dim=spec["dim"]) + common + [
            # push-off of the random start (overlaps only; the equilibration trials do the rest)
            "minimize 1.0e-4 1.0e-4 200 2000", "reset_timestep 0",
            f"velocity all create {T!r} {seed} dist gaussian mom yes rot no loop geom", *md])
        first, index = 0, partition
    comm = MPI.COMM_WORLD
    sizes = chunks(s)
    for j in range(first, len(sizes)):
        sw, bz = chunk_seeds(spec["seed"], j)
        lmp.command(f"temper {sizes[j] * M} {M} {T!r} md {sw} {bz} {index}")
        row = _last_status(spec["log"], s.replicas) if comm.Get_rank() == 0 else None
        row = comm.bcast(row, root=0)
        index = row[partition]
        sample = j - (len(sizes) - s.samples)
        if sample >= 0 and index == s.target_index:
            lmp.command(f"write_data {work / f'sample_{sample}.data'} nocoeff")
        _checkpoint(lmp, work, partition, j, row, spec["fingerprint"])
        if spec.get("wall_limit") and time.monotonic() - t0 > spec["wall_limit"]:
            break


def _checkpoint(lmp, work: Path, partition: int, chunk: int, temp_of_walker, fingerprint) -> None:
    """Every partition writes ``p<k>.c<chunk>.restart`` (LAMMPS binary restart: positions,
    velocities, step, fix nvt chain), then rank 0 writes ``progress.json`` (last chunk done,
    the temperature index of each walker) and removes the previous chunk's restart files; a
    crash anywhere in between leaves a consistent checkpoint."""
    import json

    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    lmp.command(f"write_restart {work / f'p{partition}.c{chunk}.restart'}")
    comm.Barrier()
    if comm.Get_rank() == 0:
        tmp = work / "progress.json.part"
        tmp.write_text(json.dumps({"fingerprint": fingerprint, "chunk": chunk,
                                   "step": int(lmp.get_thermo("step")),
                                   "temp_of_walker": [int(v) for v in temp_of_walker]}))
        os.replace(tmp, work / "progress.json")
        for f in work.glob("p*.c*.restart"):
            if not f.name.endswith(f".c{chunk}.restart"):
                f.unlink()
    comm.Barrier()


def _last_status(universe_log, replicas: int, block: int = 1 << 16) -> list[int]:
    """Temperature index of each walker in the last status row (``step i_0 ... i_M-1``) of the
    universe log, read from the end in blocks (doubled until a row is found): one ``temper`` call
    costs its last rows, not the whole log, which grows with the run."""
    with open(universe_log, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        while True:
            start = max(0, size - block)
            fh.seek(start)
            lines = fh.read(size - start).decode(errors="replace").splitlines()
            for line in reversed(lines[1:] if start else lines):     # the block's first line may be cut
                parts = line.split()
                if len(parts) == replicas + 1 and all(p.isdigit() for p in parts):
                    return [int(p) for p in parts[1:]]
            if not start:
                raise LammpsFailure(f"no temper status row in {universe_log}")
            block *= 2


# --------------------------------------------------------------------------- logs

_INT_ROW = re.compile(r"^\s*\d+(\s+\d+)+\s*$")


def read_temper_log(universe_log, replicas: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``temper`` calls of a universe log: per call (steps (n+1,), temp_of_walker (n+1, M)),
    row 0 the status at the call's start."""
    calls = []
    for line in Path(universe_log).read_text().splitlines():
        parts = line.split()
        if parts[:1] == ["Step"] and parts[1:] == [f"T{k}" for k in range(replicas)]:
            calls.append([])
        elif calls and _INT_ROW.match(line) and len(parts) == replicas + 1:
            calls[-1].append([int(p) for p in parts])
    out = []
    for rows in calls:
        a = np.array(rows, dtype=np.int64).reshape(-1, replicas + 1)
        out.append((a[:, 0], a[:, 1:]))
    return out


def read_energies(path) -> dict[int, float]:
    """``fix print`` energy file: {step: total potential energy}. A step printed twice (the
    setup of the next ``temper`` call, or of a resumed run) keeps its first value, the one
    ``temper`` compared."""
    out = {}
    for line in Path(path).read_text().splitlines():
        if line and not line.startswith("#"):
            step, e = line.split()
            out.setdefault(int(step), float(e))
    return out


@dataclass
class TemperRecord:
    """A whole run as arrays over trials t = 0 (start) ... trials."""

    steps: np.ndarray               # (trials + 1,)
    temp_of_walker: np.ndarray      # (trials + 1, M)
    energies: np.ndarray            # (trials + 1, M) total E of each walker at that step
    attempted: np.ndarray           # (trials, M - 1) pair k tried at trial t + 1
    predicted: np.ndarray           # (trials + 1, M) temp_of_walker replayed from the seeds
    call_starts: list               # trial index at which each temper call starts


def read_run(workdir, logs, settings: REMDSettings, seed: int) -> TemperRecord:
    """Parse a run's universe logs (one per launch, in order) and energy files; replay every
    call's decisions (``replay_temper``) from its seeds and the logged energies."""
    s = settings
    log = ", ".join(str(x) for x in logs)
    calls = []
    for x in logs:
        new = read_temper_log(x, s.replicas)
        if new:   # a resumed launch starts at the checkpoint: drop the killed launch's later calls
            calls = [c for c in calls if c[0][0] < new[0][0][0]]
        calls += new
    sizes = chunks(s)
    if [len(st) - 1 for st, _ in calls] != sizes:
        raise LammpsFailure(f"{log}: temper calls with {[len(st) - 1 for st, _ in calls]} trials, "
                            f"expected {sizes}")
    energy = [read_energies(Path(workdir) / f"energy.{k}.txt") for k in range(s.replicas)]
    steps, w2t, pred, att, starts, e_all = [calls[0][0][:1]], [calls[0][1][:1]], [calls[0][1][:1]], [], [], []
    for j, (st, rows) in enumerate(calls):
        if not np.array_equal(rows[0], w2t[-1][-1]):
            raise LammpsFailure(f"{log}: temper call {j} does not start where call {j - 1} ended")
        try:
            e = np.array([[energy[w][int(x)] for w in range(s.replicas)] for x in st])
        except KeyError as exc:
            raise LammpsFailure(f"no energy at step {exc} in {workdir}/energy.*.txt") from None
        p, a = replay_temper(rows[0], e, s.temperatures, *chunk_seeds(seed, j),
                             ranks_per_replica=s.ranks_per_replica)
        starts.append(sum(len(x) for x in steps) - 1)
        steps.append(st[1:])
        w2t.append(rows[1:])
        pred.append(p[1:])
        att.append(a)
        e_all.append(e if j == 0 else e[1:])
    return TemperRecord(np.concatenate(steps), np.concatenate(w2t), np.concatenate(e_all),
                        np.concatenate(att), np.concatenate(pred), starts)


class ParkMiller:
    """LAMMPS ``RanPark`` (Park-Miller minimal standard, src/random_park.cpp): the same doubles."""

    IA, IM, IQ, IR = 16807, 2147483647, 127773, 2836

    def __init__(self, seed: int):
        if not 0 < seed < self.IM:
            raise ValueError(f"RanPark seed must be in (0, 2^31 - 1), got {seed}")
        self.seed = int(seed)

    def uniform(self) -> float:
        k = self.seed // self.IQ
        self.seed = self.IA * (self.seed - k * self.IQ) - self.IR * k
        if self.seed < 0:
            self.seed += self.IM
        return (1.0 / self.IM) * self.seed


def replay_temper(start, energies, temperatures, seed_swap: int, seed_boltz: int,
                  ranks_per_replica: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Replay one ``temper`` call (the algorithm of src/REPLICA/temper.cpp, module docstring):
    from the starting temperature indices ``start`` (M,), the walkers' total energies at each
    trial ``energies`` (n + 1, M) (row t = the energies temper compared at trial t) and the
    seeds, return the predicted temp_of_walker (n + 1, M) and attempted (n, M - 1)."""
    T = [float(t) for t in temperatures]
    M = len(T)
    e = np.asarray(energies, float)
    w2t = [int(k) for k in start]
    ranswap = ParkMiller(seed_swap)
    ranboltz = []
    for w in range(M):
        r = ParkMiller(seed_boltz + w * ranks_per_replica)
        for _ in range(100):
            r.uniform()
        ranboltz.append(r)
    rows, attempted = [list(w2t)], np.zeros((len(e) - 1, M - 1), bool)
    for t in range(1, len(e)):
        which = 0 if ranswap.uniform() < 0.5 else 1
        t2w = [0] * M
        for w, k in enumerate(w2t):
            t2w[k] = w
        new = list(w2t)
        for k in range(which, M - 1, 2):
            attempted[t - 1, k] = True
            lo, hi = sorted((t2w[k], t2w[k + 1]))          # the lower root rank decides
            delta = (e[t, lo] - e[t, hi]) * (1.0 / T[w2t[lo]] - 1.0 / T[w2t[hi]])
            if delta >= 0.0 or ranboltz[lo].uniform() < math.exp(delta):
                new[t2w[k]], new[t2w[k + 1]] = k + 1, k
        w2t = new
        rows.append(list(w2t))
    return np.array(rows), attempted


# --------------------------------------------------------------------------- run + tables

@dataclass
class REMDResult:
    pairs: pd.DataFrame             # acceptance per neighbouring pair (+ histogram overlap)
    walkers: pd.DataFrame           # round trips per walker
    histograms: pd.DataFrame        # P_T(E) per temperature
    samples: pd.DataFrame           # one row per sample: file, trial, step, walker, e_pot
    temperatures: pd.DataFrame      # per T: <e_pot>, std over the sampling phase
    record: TemperRecord
    wall: float                     # s, the last launch (a resumed run: since the resume)
    meta: dict


class REMDIncomplete(LammpsFailure):
    """The run stopped at its wall-time limit after a checkpoint; running it again resumes."""


def run_replica_exchange(model, *, N: int, density: float, settings: REMDSettings, seed: int,
                         outdir, dim: int = 3, launcher=None, timeout: float | None = None,
                         wall_limit: float | None = None) -> REMDResult:
    """Run replica exchange in ``dim`` dimensions (``mpiexec -n M * ranks_per_replica``, or
    ``launcher``, e.g. ``["srun", "-n", "{ranks}"]``) and write into ``outdir``:
    ``samples/s<j>.data`` (the configuration at the target T after sampling interval j) and the
    LAMMPS logs and energy files under ``logs/``. Tables are returned (``write_tables``).

    Checkpoints: the run works in ``outdir/state/`` and checkpoints after every ``temper`` call
    (``_checkpoint``). With ``wall_limit`` (s) it stops after the call during which that time
    passed and raises ``REMDIncomplete``; called again with the same arguments (a Snakemake
    rerun or retry) it resumes from the last checkpoint (restart files, energies truncated to
    the checkpoint step, a new universe log per launch); other arguments start afresh. The
    replay covers the resumed calls too."""
    import json

    s = settings
    outdir = Path(outdir)
    L = box_length(N, density, dim)
    state = outdir / "state"
    fingerprint = {"model": model.to_spec(), "settings": asdict(s), "N": N, "box_len": L,
                   "dim": dim, "seed": seed}
    progress = state / "progress.json"
    resume = json.loads(progress.read_text()) if progress.exists() else None
    if resume is None or resume["fingerprint"] != json.loads(json.dumps(fingerprint)):
        shutil.rmtree(state, ignore_errors=True)
        state.mkdir(parents=True)
        resume = None
    else:   # drop what a killed launch logged after the checkpoint
        for k in range(s.replicas):
            path = state / f"energy.{k}.txt"
            keep = [ln for ln in path.read_text().splitlines(keepends=True)
                    if ln.startswith("#") or int(ln.split()[0]) <= resume["step"]]
            path.write_text("".join(keep))
    launches = sorted(state.glob("temper*.log"), key=lambda p: int(p.stem[6:] or 0))
    spec = {**fingerprint, "workdir": str(state), "resume": resume,
            "fingerprint": fingerprint, "wall_limit": wall_limit}
    job = launch("glasstools.lammps.replica_exchange:_replica", spec, state, s.replicas,
                 ranks_per_partition=s.ranks_per_replica, name=f"temper{len(launches)}",
                 launcher=launcher, timeout=timeout)
    done = json.loads(progress.read_text())["chunk"]
    if done < len(chunks(s)) - 1:
        raise REMDIncomplete(f"replica exchange stopped at its wall-time limit after temper call "
                             f"{done + 1} of {len(chunks(s))} (checkpoint in {state}); run it again "
                             "to resume")
    record = read_run(state, [*launches, job.log], s, seed)
    missing = [j for j in range(s.samples) if not (state / f"sample_{j}.data").exists()]
    if missing:
        raise LammpsFailure(f"replica exchange wrote no configuration for samples {missing}")
    for sub in ("samples", "logs"):
        shutil.rmtree(outdir / sub, ignore_errors=True)
    (outdir / "logs").mkdir(parents=True)
    for f in sorted(state.iterdir()):
        if f.name.startswith(("temper", "energy.")) and not f.name.endswith(".json"):
            os.replace(f, outdir / "logs" / f.name)
    tmp = outdir / ".samples.part"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for j in range(s.samples):
        os.replace(state / f"sample_{j}.data", tmp / f"s{j}.data")
    os.replace(tmp, outdir / "samples")
    shutil.rmtree(state)
    return summarise(record, s, N=N, density=density, seed=seed, wall=job.wall,
                     model=model, sample_dir=outdir / "samples", dim=dim)


def summarise(record: TemperRecord, s: REMDSettings, *, N: int, density: float, seed: int,
              wall: float, model, sample_dir, dim: int = 3) -> REMDResult:
    """The tables of a run (``REMDResult``); statistics over the sampling phase (trials after
    ``equilibration_trials``), the acceptance also over the whole run."""
    eq = s.equilibration_trials
    temps = np.array(s.temperatures)
    prod = slice(eq, None)
    pairs = pair_acceptance(record.temp_of_walker[prod], record.attempted[eq:],
                            record.energies[prod], temps)
    whole = pair_acceptance(record.temp_of_walker, record.attempted, record.energies, temps)
    pairs["acceptance_all_trials"] = whole["acceptance"]
    e_by_T = np.take_along_axis(record.energies, walkers_at(record.temp_of_walker), axis=1)[eq + 1:] / N
    edges, p = energy_histograms(e_by_T, s.histogram_bins)
    pairs["histogram_overlap"] = histogram_overlap(p)
    walkers = round_trips(record.temp_of_walker, first_trial=eq)
    walkers["round_trips_all_trials"] = round_trips(record.temp_of_walker)["round_trips"]
    hist = pd.DataFrame({"T_index": np.repeat(np.arange(s.replicas), s.histogram_bins),
                         "T": np.repeat(temps, s.histogram_bins),
                         "e_lo": np.tile(edges[:-1], s.replicas), "e_hi": np.tile(edges[1:], s.replicas),
                         "probability": p.ravel()})
    per_T = pd.DataFrame({"T_index": np.arange(s.replicas), "T": temps,
                          "e_pot_mean": e_by_T.mean(axis=0), "e_pot_std": e_by_T.std(axis=0),
                          "trials": len(e_by_T)})
    rows = []
    for j in range(s.samples):
        t = eq + (j + 1) * s.sampling_every
        w = int(np.flatnonzero(record.temp_of_walker[t] == s.target_index)[0])
        rows.append({"sample": j, "trial": t, "step": int(record.steps[t]),
                     "time": float(record.steps[t] * s.dt), "walker": w,
                     "e_pot": float(record.energies[t, w] / N),
                     "file": str(Path(sample_dir) / f"s{j}.data")})
    mismatch = int((record.predicted != record.temp_of_walker).any(axis=1).sum())
    meta = {"protocol": "replica exchange MD (LAMMPS temper, fix nvt Nose-Hoover)",
            **model.describe(), "N": N, "dim": dim, "density": density,
            "box_len": box_length(N, density, dim),
            "seed": seed, **asdict(s), "target_index": s.target_index,
            "replicas": s.replicas, "trials": s.trials, "wall_s": wall,
            "replayed_trials_not_reproduced": mismatch,
            "units": "reduced LJ (epsilon, sigma, m = k_B = 1); e_pot per particle; trials = "
                     "exchange attempts (exchange_every MD steps each); time = step * dt",
            "statistics": f"sampling phase: trials {eq + 1} ... {s.trials}"}
    return REMDResult(pairs, walkers, hist, pd.DataFrame(rows), per_T, record, wall, meta)


def write_tables(res: REMDResult, outdir, meta: dict | None = None) -> None:
    """``pairs``, ``walkers``, ``energy_histograms``, ``temperatures``, ``samples`` and the
    (thinned) walker trace ``trace`` as Parquet in ``outdir``."""
    from ..io import write_table

    outdir = Path(outdir)
    m = {**res.meta, **(meta or {})}
    rec = res.record
    stride = max(1, len(rec.steps) // 10_000)
    trace = pd.DataFrame({"trial": np.arange(0, len(rec.steps), stride),
                          "step": rec.steps[::stride]})
    for w in range(rec.temp_of_walker.shape[1]):
        trace[f"walker_{w}"] = rec.temp_of_walker[::stride, w]
    for name, df in (("pairs", res.pairs), ("walkers", res.walkers),
                     ("energy_histograms", res.histograms), ("temperatures", res.temperatures),
                     ("samples", res.samples), ("trace", trace)):
        write_table(df, outdir / f"{name}.parquet", {**m, "trace_stride": stride} if name == "trace" else m)


__all__ = ["ParkMiller", "REMDIncomplete", "REMDResult", "REMDSettings", "TemperRecord", "chunk_seeds", "chunks",
           "read_energies", "read_run", "read_temper_log", "replay_temper", "run_replica_exchange",
           "start_seed", "summarise", "write_tables"]
