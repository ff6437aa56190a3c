"""Multi-partition LAMMPS jobs (REPLICA package: ``neb``, ``temper``) launched from a plain process.

``launch(worker, spec, workdir, partitions)`` writes ``spec`` (JSON) and starts
``<launcher> python -m glasstools.lammps.partitions SPEC`` on partitions x ranks_per_partition
ranks; every rank opens LAMMPS with ``-partition PxQ -in none`` (the Python module needs
``-in`` with partitions) and calls the ``worker`` function ``"module:function"`` as
``worker(lmp, spec, partition)``. ``run_input`` is the generic worker: the same LAMMPS input
file on every partition (``world`` variables give each partition its own values, as for
``temper``).

- Launcher: ``[<venv>/bin/mpiexec, "-n", "{ranks}"]``, or any argv prefix with ``{ranks}``
  (e.g. ``["srun", "-n", "{ranks}"]`` on SLURM).
- Environment (``mpi_env``): OMP_NUM_THREADS=1, and when the ranks exceed the cores the MPICH
  progress throttle ``THROTTLE_ENV`` (busy-polling ranks otherwise cost ~50x; LAMMPS_NOTES.md).
  The Snakemake rules use the same definition (``workflow/rules/common.smk``).
- Logs: LAMMPS writes the universe log ``<log>`` and one log per partition ``<log>.<k>``.
- Failures: an error in one partition leaves the others waiting in the replica exchanges
  forever, so a worker that raises calls MPI_Abort; the launcher raises ``LammpsFailure`` with
  the ``ERROR`` lines of each partition log and the job's output. On ``timeout`` (s) the job is
  terminated (SIGTERM to mpiexec, which takes its ranks down; SIGKILL would orphan them).
"""
from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .session import LammpsFailure, lammps_session

THROTTLE_ENV = {"MPIR_CVAR_CH4_PROGRESS_THROTTLE": "1",
                "MPIR_CVAR_CH4_PROGRESS_THROTTLE_NO_PROGRESS_COUNT": "16"}


def n_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        return os.cpu_count() or 1


def throttle_env(ranks: int, cores: int | None = None) -> dict:
    """OMP_NUM_THREADS=1, plus ``THROTTLE_ENV`` when ``ranks`` exceed ``cores`` (default: ours)."""
    env = {"OMP_NUM_THREADS": "1"}
    if ranks > (n_cores() if cores is None else cores):
        env.update(THROTTLE_ENV)
    return env


def mpi_env(ranks: int, base: dict | None = None) -> dict:
    """Environment for a ``ranks``-rank job: ``base`` (default os.environ) + ``throttle_env``."""
    return {**(os.environ if base is None else base), **throttle_env(ranks)}


def mpiexec() -> str:
    """The MPICH ``mpiexec`` next to this Python (the venv's), else the one on PATH."""
    cand = Path(sys.executable).parent / "mpiexec"
    return str(cand) if cand.exists() else (shutil.which("mpiexec") or "mpiexec")


@dataclass
class PartitionRun:
    wall: float               # seconds
    log: Path                 # universe log; partition k logs to f"{log}.{k}"
    partition_logs: list
    stdout: str
    stderr: str


def partition_errors(log, partitions: int) -> dict[int, list[str]]:
    """The ``ERROR`` lines of each partition log ``<log>.<k>`` that has any."""
    out = {}
    for k in range(partitions):
        path = Path(f"{log}.{k}")
        if path.exists():
            errs = [ln for ln in path.read_text(errors="replace").splitlines() if "ERROR" in ln]
            if errs:
                out[k] = errs
    return out


def launch(worker: str, spec: dict, workdir, partitions: int, *, ranks_per_partition: int = 1,
           name: str = "job", launcher=None, timeout: float | None = None,
           env: dict | None = None) -> PartitionRun:
    """Run ``worker`` (``"module:function"``) on ``partitions`` LAMMPS partitions of
    ``ranks_per_partition`` ranks each; ``spec`` (JSON-serialisable) is passed to every rank.
    Files: ``workdir/<name>_spec.json``, universe log ``workdir/<name>.log`` (+ ``.<k>``).
    ``env``: extra environment variables. Raises ``LammpsFailure`` on failure or timeout."""
    if partitions < 1 or ranks_per_partition < 1:
        raise ValueError(f"partitions and ranks_per_partition must be >= 1, got "
                         f"{partitions}, {ranks_per_partition}")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    ranks = partitions * ranks_per_partition
    log = workdir / f"{name}.log"
    spec = {**spec, "worker": worker, "partitions": partitions,
            "ranks_per_partition": ranks_per_partition, "log": str(log)}
    spec_path = workdir / f"{name}_spec.json"
    spec_path.write_text(json.dumps(spec, indent=1))
    argv = [a.format(ranks=ranks) for a in (launcher or [mpiexec(), "-n", "{ranks}"])] + \
        [sys.executable, "-m", "glasstools.lammps.partitions", str(spec_path)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env={**mpi_env(ranks), **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        raise LammpsFailure(f"{name} exceeded {timeout} s; see {log}*") from None
    wall = time.perf_counter() - t0
    logs = [Path(f"{log}.{k}") for k in range(partitions)]
    if proc.returncode != 0:
        errors = "".join(f"\npartition {k} ({log}.{k}): " + " | ".join(lines[-3:])
                         for k, lines in partition_errors(log, partitions).items())
        raise LammpsFailure(f"{name} failed (rc {proc.returncode}); see {log}*{errors}"
                            f"\n{out[-2000:]}\n{err[-2000:]}")
    return PartitionRun(wall, log, logs, out, err)


def run_input(lmp, spec: dict, partition: int) -> None:
    """Generic worker: ``lmp.file(spec["input"])`` on every partition."""
    lmp.file(str(spec["input"]))


def _resolve(worker: str):
    module, _, func = worker.partition(":")
    return getattr(importlib.import_module(module), func)


def main(spec_path: str) -> None:
    """Rank entry point. Any failure aborts the whole MPI job (see module docstring)."""
    import traceback

    from mpi4py import MPI

    try:
        spec = json.loads(Path(spec_path).read_text())
        P, Q = spec["partitions"], spec["ranks_per_partition"]
        if MPI.COMM_WORLD.Get_size() != P * Q:
            raise SystemExit(f"{P} partitions x {Q} ranks need {P * Q} ranks, "
                             f"got {MPI.COMM_WORLD.Get_size()}")
        with lammps_session(log=spec["log"], extra_args=["-partition", f"{P}x{Q}", "-in", "none"],
                            what=spec["worker"]) as lmp:
            _resolve(spec["worker"])(lmp, spec, MPI.COMM_WORLD.Get_rank() // Q)
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        MPI.COMM_WORLD.Abort(1)


__all__ = ["THROTTLE_ENV", "PartitionRun", "launch", "mpi_env", "mpiexec", "n_cores",
           "partition_errors", "run_input", "throttle_env"]

if __name__ == "__main__":
    main(sys.argv[1])
