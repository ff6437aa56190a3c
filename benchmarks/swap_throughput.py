"""Benchmark (d): swap Monte Carlo attempts per second, fix swap/diameter vs fix atom/swap.

System: P0 soft spheres (``soft_spheres_poly``), continuous diameters f(d) ~ d^-3, rho = 1.02,
random start relaxed by a short minimisation, T = 0.1, no time integration (pure swap runs).

* ``swap/diameter`` (glasstools plugin): O(neighbours) energy difference per attempt, P0's
  restriction |d_i - d_j| < 0.2; 1 rank and 2 ranks (the fix is exact under MPI).
* ``atom/swap`` (built-in): the same diameters discretised into 20 types (bins of equal width,
  bin-centre diameters), ``semi-grand yes`` over the 20 types (LAMMPS refuses plain swaps with
  more than 2 types). Pair style ``lj/cut`` with sigma_ab = d_ab (non-additive mixing) and one
  global cutoff (per-pair cutoffs force a neighbour rebuild per attempt, 7x slower; LAMMPS_NOTES).
  The energy form differs from the soft spheres, but atom/swap's cost is one full energy
  evaluation per attempt whatever the form, so this is its best case.

Usage: python benchmarks/swap_throughput.py [--sizes 1000 16000] [--ranks 1 2]
Each case runs in a fresh process (under mpiexec for 2 ranks); prints a table and writes
benchmarks/out/swap_throughput.json.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NTYPES = 20
T = 0.1
RHO = 1.02


def make_data(n: int, path: Path) -> None:
    from glasstools.systems import random_positions, sample_diameters, write_lammps_data

    d = sample_diameters(n, seed=1234)
    box = (n / RHO) ** (1 / 3)
    write_lammps_data(path, random_positions(n, box, seed=99), d, box)


def run_case(kind: str, n: int, data: str, budget_s: float) -> dict:
    """Runs inside the (possibly MPI) worker process."""
    import numpy as np
    from mpi4py import MPI

    from glasstools.lammps.deck import system_commands
    from glasstools.lammps.session import open_lammps
    from glasstools.models import get_model
    from glasstools.systems import diameter_bounds

    model = get_model("soft_spheres_poly")
    lmp = open_lammps(model=model)
    cmds = system_commands(model, data_in=data)
    lmp.commands_list([*cmds, "thermo_modify norm no", "minimize 0 0 50 500", "reset_timestep 0"])
    if kind == "atom/swap":
        lo, hi = diameter_bounds(0.449)
        edges = np.linspace(lo, hi, NTYPES + 1)
        centres = 0.5 * (edges[1:] + edges[:-1])
        # re-read as atom_style atomic with 20 types (bin of each diameter), same positions
        x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).copy()
        diam = 2 * np.ctypeslib.as_array(lmp.gather_atoms("radius", 1, 1)).copy()
        box = lmp.extract_box()[1][0]
        lmp.close()
        types = np.clip(np.searchsorted(edges, diam) , 1, NTYPES)
        lmp = open_lammps()
        lmp.commands_list(["units lj", "atom_style atomic", "atom_modify map array",
                           f"region b block 0 {box} 0 {box} 0 {box}", f"create_box {NTYPES} b"])
        lmp.create_atoms(n, list(range(1, n + 1)), types.tolist(), x.ravel().tolist())
        rc = 1.25 * centres.max()
        lmp.commands_list(["mass * 1.0", f"pair_style lj/cut {rc}"])
        for a in range(NTYPES):
            for b in range(a, NTYPES):
                da, db = centres[a], centres[b]
                dab = 0.5 * (da + db) * (1 - 0.2 * abs(da - db))
                lmp.command(f"pair_coeff {a + 1} {b + 1} 1.0 {dab}")
        lmp.commands_list(["thermo_modify norm no", "run 0"])
        per_step = 20
        fix = (f"fix mc all atom/swap 1 {per_step} 17 {T} semi-grand yes types "
               + " ".join(str(t) for t in range(1, NTYPES + 1)) + " mu" + " 0.0" * NTYPES)
        counters = (0, 1)  # atom/swap vector: [attempts, accepted] (semi-grand: 2 values)
    else:
        per_step = 20 * n
        fix = f"fix mc all swap/diameter 1 {per_step} {T} 17 delta 0.2"
        counters = (0, 1)
    lmp.command(fix)
    lmp.command("run 1")  # setup, first block (not timed)
    steps = 1
    t0 = time.perf_counter()
    lmp.command(f"run {steps}")
    dt = time.perf_counter() - t0
    # scale to the time budget
    steps = max(1, int(budget_s / max(dt, 1e-3)))
    a0 = lmp.extract_fix("mc", 0, 1, counters[0])
    c0 = lmp.extract_fix("mc", 0, 1, counters[1])
    MPI.COMM_WORLD.Barrier()
    t0 = time.perf_counter()
    lmp.command(f"run {steps}")
    dt = time.perf_counter() - t0
    attempts = lmp.extract_fix("mc", 0, 1, counters[0]) - a0
    accepted = lmp.extract_fix("mc", 0, 1, counters[1]) - c0
    lmp.close()
    return {"kind": kind, "N": n, "ranks": MPI.COMM_WORLD.size, "attempts": attempts,
            "accepted": accepted, "seconds": dt, "rate": attempts / dt}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 16000])
    ap.add_argument("--ranks", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--budget", type=float, default=3.0, help="seconds per timed run")
    ap.add_argument("--throttle", action="store_true",
                    help="MPICH progress throttle (LAMMPS_NOTES: for ranks > cores; raises MPI latency)")
    ap.add_argument("--worker", nargs=3, metavar=("KIND", "N", "DATA"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        kind, n, data = args.worker
        res = run_case(kind, int(n), data, args.budget)
        from mpi4py import MPI

        if MPI.COMM_WORLD.rank == 0:
            print("RESULT " + json.dumps(res), flush=True)
        return

    from glasstools.lammps.plugins import build

    build()
    mpiexec = str(Path(sys.executable).with_name("mpiexec"))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    if args.throttle:
        from glasstools.lammps.partitions import THROTTLE_ENV

        env.update(THROTTLE_ENV)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            data = Path(tmp) / f"n{n}.data"
            make_data(n, data)
            cases = [("swap/diameter", r) for r in args.ranks] + [("atom/swap", 1)]
            for kind, ranks in cases:
                cmd = [mpiexec, "-n", str(ranks), sys.executable, __file__, "--budget", str(args.budget),
                       "--worker", kind, str(n), str(data)]
                out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
                line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")]
                if not line:
                    print(out.stdout[-3000:], out.stderr[-3000:], file=sys.stderr)
                    raise SystemExit(f"case {kind} N={n} ranks={ranks} failed")
                rows.append(json.loads(line[0][7:]))
                r = rows[-1]
                print(f"  {kind:14s} N={n:6d} ranks={ranks}: {r['rate']:.3g} attempts/s "
                      f"(acc {r['accepted'] / max(r['attempts'], 1):.2f})", file=sys.stderr, flush=True)
    print("\n| N | fix | ranks | attempts/s | acceptance | speed-up vs atom/swap |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        ref = next(x["rate"] for x in rows if x["N"] == r["N"] and x["kind"] == "atom/swap")
        print(f"| {r['N']} | {r['kind']} | {r['ranks']} | {r['rate']:.3g} | "
              f"{r['accepted'] / max(r['attempts'], 1):.2f} | {r['rate'] / ref:.0f}x |")
    out_dir = ROOT / "benchmarks" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "swap_throughput.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
