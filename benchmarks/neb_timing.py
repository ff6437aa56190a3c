"""Seconds per NEB pair for a KA-LJ (``ka_lj_fs``) N = 1000 inherent-structure pair.

The pair (adjacent minima, like P2's clone IS pairs): a configuration (random, push-off CG,
NVT MD at T = 0.8) quenched by CG to A; from A, short NVT bursts at T = 0.4 (100 steps,
fresh velocities) each followed by CG until the IS differs from A (|E_B - E_A| > 1e-6 N):
B. (CG vs FIRE IS of the same snapshot are too far apart, Delta ~ 0.09, many events: the
band did not converge in 2000 iterations with 8 images.) Then
climbing-image NEB (``glasstools.lammps.neb.run_neb``) with each number of intermediate images
in ``--images``. LAMMPS ``neb`` needs one rank per replica, so the run uses n_images + 2 MPI
ranks whatever the core count; on this 2-core machine they are oversubscribed with the MPICH
progress throttle (set automatically). Prints one row per image count: ranks, regular and
climbing iterations, stopping criterion, barrier V_AB, wall seconds (including the start of
the ranks) and seconds per iteration.
Usage: python benchmarks/neb_timing.py [--n 1000] [--images 8 40] [--n1 1000] [--n2 1000]
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

from glasstools.analysis.landscape import delta_ab
from glasstools.lammps.deck import system_commands
from glasstools.lammps.minimise import MinimiseSettings, minimise
from glasstools.lammps.neb import NEBSettings, n_cores, run_neb
from glasstools.lammps.session import open_lammps
from glasstools.models import get_model
from glasstools.systems import box_length


def make_configuration(n, seed=11, T=0.8, steps=2000):
    model = get_model("ka_lj_fs")
    box = box_length(n, 1.204)
    lmp = open_lammps()
    lmp.commands_list([*system_commands(model, N=n, box_len=box, seed=seed, overlap=0.7),
                       "neighbor 0.3 bin", "neigh_modify every 1 delay 0 check yes",
                       "minimize 0 1e-4 1000 10000", "reset_timestep 0", "timestep 0.005",
                       f"velocity all create {T} {seed} dist gaussian",
                       f"fix nvt all nvt temp {T} {T} 0.5", f"run {steps}"])
    x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).copy()
    t = np.ctypeslib.as_array(lmp.gather_atoms("type", 0, 1)).copy()
    lmp.close()
    return model, x, t, np.full(3, box)


def adjacent_minimum(model, A, types, box, T=0.4, steps=100, seed=5, tries=50):
    """IS reached by CG after short NVT bursts at T from the IS A, first one != A."""
    n = len(A.positions)
    lmp = open_lammps()
    lmp.commands_list(["units lj", "atom_style atomic", "atom_modify map array", "boundary p p p",
                       f"region box block 0 {float(box[0])!r} 0 {float(box[1])!r} 0 {float(box[2])!r}",
                       f"create_box {model.ntypes} box"])
    lmp.create_atoms(n, list(range(1, n + 1)), [int(t) for t in types],
                     [float(v) for v in A.positions.ravel()])
    lmp.commands_list(["mass * 1.0", *model.lammps_commands(), "neighbor 0.3 bin",
                       "neigh_modify every 1 delay 0 check yes", "timestep 0.005"])
    try:
        for k in range(tries):
            lmp.scatter_atoms("x", 1, 3, np.ctypeslib.as_ctypes(A.positions.ravel().copy()))
            lmp.commands_list([f"velocity all create {T} {seed + k} dist gaussian",
                               f"fix nvt all nvt temp {T} {T} 0.5", f"run {steps} post no",
                               "unfix nvt"])
            x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).copy()
            B = minimise(model, x, types, np.zeros(3), box, "cg", MinimiseSettings(ftol=1e-10))
            if B.converged and abs(B.energy - A.energy) > 1e-6 * n:
                return B, k + 1
    finally:
        lmp.close()
    raise RuntimeError(f"no distinct minimum after {tries} bursts at T = {T}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--images", type=int, nargs="+", default=[8, 40])
    ap.add_argument("--n1", type=int, default=1000)
    ap.add_argument("--n2", type=int, default=1000)
    ap.add_argument("--ftol", type=float, default=1e-4)
    ap.add_argument("--timestep", type=float, default=0.01)
    args = ap.parse_args()
    model, x, types, box = make_configuration(args.n)
    s = MinimiseSettings(ftol=1e-10)
    A = minimise(model, x, types, np.zeros(3), box, "cg", s)
    B, bursts = adjacent_minimum(model, A, types, box)
    print(f"KA-LJ N = {args.n}: E_A/N = {A.energy / args.n:.6f} ({A.stop}), "
          f"E_B/N = {B.energy / args.n:.6f} ({B.stop}, after {bursts} bursts), "
          f"Delta_AB = {delta_ab(A.positions, B.positions, box):.4g}, cores = {n_cores()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| images | ranks | regular it | climbing it | stop | converged | V_AB | E_B - E_A "
          "| wall s | ms / iteration |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n_img in args.images:
        st = NEBSettings(n_images=n_img, ftol=args.ftol, n1=args.n1, n2=args.n2, nevery=50,
                         timestep=args.timestep)
        with tempfile.TemporaryDirectory(prefix="neb-bench.") as tmp:
            t0 = time.perf_counter()
            r = run_neb(model.lammps_commands(), model.ntypes, np.zeros(3), box, types,
                        A.positions, B.positions, tmp, st)
            wall = time.perf_counter() - t0
        it = (r.info["regular_steps"] or 0) + (r.info["climb_steps"] or 0)
        print(f"| {n_img} | {r.info['ranks']} | {r.info['regular_steps']} | "
              f"{r.info['climb_steps']} | {r.info['stop']} | {r.converged} | {r.barrier:.5f} | "
              f"{r.e_b - r.e_a:.5f} | {wall:.1f} | {1e3 * wall / max(it, 1):.1f} |", flush=True)


if __name__ == "__main__":
    main()
