"""Sparse analytic Hessian build time vs LAMMPS ``dynamical_matrix`` (1 rank) on KA-LJ glasses.

Configurations: random (create_atoms ... overlap 0.7) at rho = 1.204, 80:20, minimised with CG.
Prints N, our build time (best of 3), LAMMPS dynamical_matrix time, and max |H_ours - H_lammps|
(absolute and relative to max |H|). dynamical_matrix (dense finite differences, O(N^2)) is skipped
when its time extrapolated from the previous N as N^2 exceeds ``--max-dynmat-s``, or when the
(3N)^2 float64 output does not fit in half the free memory.
Usage: python benchmarks/hessian_build.py [--sizes 500 2000 8000] [--max-dynmat-s 180]
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

from glasstools.analysis.hessian import hessian
from glasstools.configuration import Frame
from glasstools.lammps.deck import system_commands
from glasstools.lammps.session import open_lammps
from glasstools.systems import box_length
from glasstools.models import get_model


def make_glass(n, seed=7, steps=1000):
    model = get_model("ka_lj_fs")
    box = box_length(n, 1.204)
    lmp = open_lammps()
    lmp.commands_list([*system_commands(model, N=n, box_len=box, seed=seed, overlap=0.7),
                       "neighbor 0.3 bin",
                       "neigh_modify every 1 delay 0 check yes", "thermo_modify norm no",
                       f"minimize 0 1e-10 {steps} {10 * steps}"])
    x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).copy()
    t = np.ctypeslib.as_array(lmp.gather_atoms("type", 0, 1)).copy()
    return lmp, model, x, np.full(3, box), t


def max_diff(h, path, n):
    """Max |H - H_lammps| reading the raw (3N)^2 row-major float64 file in row chunks."""
    ref = np.memmap(path, dtype=np.float64, mode="r", shape=(3 * n, 3 * n))
    csr = h.tocsr()
    worst = 0.0
    for lo in range(0, 3 * n, 1200):
        hi = min(lo + 1200, 3 * n)
        worst = max(worst, float(np.abs(csr[lo:hi].toarray() - ref[lo:hi]).max()))
    return worst


def free_bytes():
    with open("/proc/meminfo") as fh:
        info = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in fh}
    return info["MemAvailable"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 8000])
    ap.add_argument("--max-dynmat-s", type=float, default=180.0)
    args = ap.parse_args()
    print(f"{'N':>6} {'build_s':>9} {'nnz':>10} {'dynmat_s':>9} {'max|dH|':>10} {'rel':>9}  note")
    last = None
    for n in args.sizes:
        lmp, model, x, box, t = make_glass(n)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            h = hessian(Frame(x, box, t), model)
            times.append(time.perf_counter() - t0)
        build, scale = min(times), float(abs(h).max())
        est = None if last is None else last[1] * (n / last[0]) ** 2
        note, dyn, diff = "", float("nan"), float("nan")
        if est is not None and est > args.max_dynmat_s:
            note = f"dynamical_matrix skipped: estimated {est:.0f} s (N^2 from N={last[0]}) > {args.max_dynmat_s:.0f} s"
        elif 2 * (3 * n) ** 2 * 8 > free_bytes():
            note = f"dynamical_matrix skipped: (3N)^2 doubles = {(3 * n) ** 2 * 8 / 1e9:.1f} GB > half free memory"
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "dynmat.bin")
                t0 = time.perf_counter()
                lmp.command(f"dynamical_matrix all regular 1e-6 file {path} binary yes")
                dyn = time.perf_counter() - t0
                diff = max_diff(h, path, n)
            last = (n, dyn)
        print(f"{n:>6} {build:>9.4f} {h.nnz:>10} {dyn:>9.2f} {diff:>10.3g} {diff / scale:>9.2g}  {note}", flush=True)
        lmp.close()


if __name__ == "__main__":
    main()
