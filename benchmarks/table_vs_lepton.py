"""Benchmark: P3's force-shifted r^-12 glass (``p3_ipl12``) through ``pair_style table`` (our
generated file, glasstools.models.pair_table), through ``pair_style lepton`` (the analytic
expression) and the numpy reference (glasstools.analysis.hessian.energy_forces).

Configuration: N atoms at rho = 1.015 (50:50), random with overlap 0.75, then 200 NVE steps from
T = 1 through the lepton style (so every style sees the same positions). For each style: time per
MD step (NVE, dt = 0.005, ``STEPS`` steps, one process) and max_i |F_i - F_i^numpy| / max_i
|F_i^numpy| and |E - E^numpy| / |E^numpy| at that configuration. ``lj/smooth/linear`` with the same
cutoffs is a speed reference for a compiled style (a plugin would run at that speed); it is a
different potential, so it has no error column. The first table scans the table options.
Usage: OMP_NUM_THREADS=1 python benchmarks/table_vs_lepton.py [N] [steps]
"""
import sys
import time

import numpy as np

from glasstools.analysis.hessian import energy_forces
from glasstools.configuration import Frame
from glasstools.lammps.session import open_lammps
from glasstools.models import get_model
from glasstools.models.pair_table import N_POINTS, STYLE, pair_ranges, table_commands

N = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 100
RHO, SEED = 1.015, 2020


def lepton_commands(model):
    """``pair_style lepton`` with P3 Eq. (1) written out per type pair."""
    cmds = [f"pair_style lepton {model.max_cutoff()!r}"]
    for (a, b), (_, rc, p) in pair_ranges(model).items():
        s = float(p["sig"][0])
        cmds.append(f'pair_coeff {a} {b} "{model.eps!r}*((s/r)^12+12*(s/rc)^12*(r/rc)-13*(s/rc)^12);'
                    f's={s!r};rc={rc!r}" {rc!r}')
    return cmds


def lj_reference_commands(model):
    cmds = [f"pair_style lj/smooth/linear {model.max_cutoff()!r}"]
    for (a, b), (_, rc, p) in pair_ranges(model).items():
        cmds.append(f"pair_coeff {a} {b} 1.0 {float(p['sig'][0])!r} {rc!r}")
    return cmds


def gather(lmp, name, kind, count):
    n = lmp.get_natoms()
    return np.ctypeslib.as_array(lmp.gather_atoms(name, kind, count)).reshape(n, count).copy()


def measure(lmp, cmds, x0, ref):
    """(seconds per MD step, max rel. force error, rel. energy error) of ``cmds`` at ``x0``."""
    lmp.commands_list(cmds)
    lmp.scatter_atoms("x", 1, 3, np.ctypeslib.as_ctypes(x0.ravel()))
    lmp.command("run 0")
    f = gather(lmp, "f", 1, 3)
    e = float(lmp.get_thermo("pe"))
    t0 = time.perf_counter()
    lmp.command(f"run {STEPS}")
    dt = (time.perf_counter() - t0) / STEPS
    if ref is None:
        return dt, np.nan, np.nan
    e_ref, f_ref = ref
    return dt, np.abs(f - f_ref).max() / np.abs(f_ref).max(), abs(e - e_ref) / abs(e_ref)


def main():
    model = get_model("p3_ipl12")
    box = (N / RHO) ** (1.0 / 3.0)
    lmp = open_lammps()
    lmp.commands_list(["units lj", "atom_style atomic", "atom_modify map array", "boundary p p p",
                       f"region box block 0 {box!r} 0 {box!r} 0 {box!r}", "create_box 2 box",
                       f"create_atoms 1 random {N // 2} {SEED} box overlap 0.75 maxtry 200",
                       f"create_atoms 2 random {N - N // 2} {SEED + 1} box overlap 0.75 maxtry 200",
                       "mass * 1.0", *lepton_commands(model), "neighbor 0.3 bin",
                       "neigh_modify every 1 delay 0 check yes", "thermo_modify norm no",
                       "timestep 0.005", f"velocity all create 1.0 {SEED} mom yes",
                       "fix nve all nve", "run 200"])
    x0 = gather(lmp, "x", 1, 3)
    types = gather(lmp, "type", 0, 1).ravel()
    t0 = time.perf_counter()
    ref = energy_forces(Frame(x0, np.full(3, box), types), model)
    t_numpy = time.perf_counter() - t0

    print(f"P3 r^-12 glass, N = {N}, rho = {RHO}, {STEPS} NVE steps per row, one process\n")
    print("table options (r^2-spaced nodes from 0.6 d_ab to r_c, file N = pair_style N)")
    print(f"{'style':>7} {'N':>6} {'max rel |dF|':>13} {'rel |dE|':>10} {'ms/step':>8}")
    for style in ("linear", "spline"):
        for n in (1000, 2000, 5000, 20000):
            dt, ferr, eerr = measure(lmp, table_commands(model, style, n), x0, ref)
            print(f"{style:>7} {n:>6} {ferr:>13.2e} {eerr:>10.2e} {dt * 1e3:>8.2f}")

    print("\nside by side")
    print(f"{'route':<40} {'ms/step':>8} {'max rel |dF|':>13} {'rel |dE|':>10}")
    rows = [(f"pair_style table {STYLE} {N_POINTS} (glasstools)", table_commands(model), ref),
            ("pair_style lepton (expression)", lepton_commands(model), ref),
            ("lj/smooth/linear (compiled, speed only)", lj_reference_commands(model), None)]
    for label, cmds, r in rows:
        dt, ferr, eerr = measure(lmp, cmds, x0, r)
        print(f"{label:<40} {dt * 1e3:>8.2f} {ferr:>13.2e} {eerr:>10.2e}")
    print(f"{'numpy energy_forces (one evaluation)':<40} {t_numpy * 1e3:>8.1f} {'reference':>13}")
    lmp.close()


if __name__ == "__main__":
    main()
