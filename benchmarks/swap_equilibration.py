"""Benchmark (e): does hybrid swap equilibrate faster than plain MD at the same wall-clock cost?

3D polydisperse soft spheres of P0 (rho = 1.02, d_min/d_max = 0.449, eps_na = 0.2; the
workflow's quantile diameter set, phi = 0.6243), N = 500, at a low temperature. From the same random start (same diameters, positions, push-off minimisation,
velocities), two runs get the same wall-clock budget on one rank:

  (a) plain NVT MD (Nose-Hoover, dt = 0.005, tdamp = 0.5);
  (b) hybrid swap (P2): the same MD with ``fix swap/diameter EVERY M T SEED delta 0.2``
      (M = attempts per sweep, default N, every 25 steps).

Reported: potential energy per particle vs wall time (the aging from the random start; lower at
equal wall time = further equilibrated), and the self-intermediate scattering function
F_s(q, t) of the larger particles (diameter above the median at the time origin: with swap the
diameters move between particles) in the second half of each run (the first half is discarded
as equilibration), q = first peak of S(q) of the larger particles, per-axis direction average
(glasstools.analysis.dynamics). tau_alpha: F_s = e^-1; if MD never decorrelates, the window
length is a lower bound and the ratio is a lower bound too. Ratios are given in MD time and in
wall time (the swap sweeps cost wall time).

The budget clock is the process CPU time by default (one rank, LAMMPS in-process, so CPU time is
the wall time an idle core would take; on a shared machine the wall clock is not comparable
between the two runs); ``--clock wall`` uses the wall clock.

Measured (2-core shared machine, defaults: T = 0.1, 2 x 100 CPU s, 3 min 37 s wall in all):
MD 3211 time units, e_pot still falling (0.4170 in the last 20 s), F_s = 0.61 at the end of its
1600-unit window (tau_alpha > 1600); swap 2414 units (1.3x the CPU per unit), plateau e_pot =
0.395 after ~10 CPU s, tau_alpha = 66; ratio >= 24 in MD time, >= 18 in CPU time. Acceptance
0.121 of attempts (0.245 of those passing delta). Scan (2 x 40 CPU s): T = 0.1 ratio >= 6.7;
T = 0.09 swap tau_alpha = 118, ratio >= 5.2 (both bounded by the MD window).

Usage:  python benchmarks/swap_equilibration.py [--T 0.1] [--budget 120] [--N 500]
        python benchmarks/swap_equilibration.py --scan 0.09 0.1 0.12 --budget 30
Default run: 2 x 100 CPU s of dynamics + set-up (about 4 minutes on an idle core).
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from glasstools.analysis import dynamics as dyn  # noqa: E402
from glasstools.lammps.deck import write_system_file  # noqa: E402
from glasstools.lammps.session import lammps_session  # noqa: E402
from glasstools.models import get_model  # noqa: E402
from glasstools.systems import write_random_start  # noqa: E402


def run(kind, args, workdir: Path, budget: float):
    """One run; returns dict with times, energies, wall clock and unwrapped frames."""
    model = get_model("soft_spheres_poly")
    data = workdir / "start.data"
    if not data.exists():  # the workflow's start: quantile diameters in seeded order, random positions
        write_random_start(data, args.N, args.seed, ratio=0.449, density=1.02, sampling="quantiles")
    sysfile = write_system_file(workdir / "system.lmp", model, data_in=str(data))
    with lammps_session(log=str(workdir / f"{kind}.log")) as lmp:
        T, dt = args.T, 0.005
        lmp.file(str(sysfile))
        lmp.commands_list([
            "neighbor 0.3 bin", "neigh_modify every 1 delay 0 check yes", "thermo_modify norm yes",
            "minimize 0.0 1.0e-4 1000 10000", "reset_timestep 0",
            f"velocity all create {T!r} {args.seed} dist gaussian mom yes rot no loop geom",
            f"timestep {dt}", "thermo 0", "thermo_style custom step time temp pe",
            f"fix md all nvt temp {T!r} {T!r} 0.5"])
        if kind == "swap":
            lmp.command(f"fix sw all swap/diameter {args.every} {int(args.attempts * args.N)} {T!r} "
                        f"{args.seed + 1} delta 0.2")
        L = np.array(lmp.extract_box()[1]) - np.array(lmp.extract_box()[0])

        def frame():
            x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(-1, 3)
            img = np.ctypeslib.as_array(lmp.gather_atoms("image", 0, 1)).astype(np.int64)
            im = np.stack([(img & 1023) - 512, ((img >> 10) & 1023) - 512, (img >> 20) - 512], 1)
            d = 2 * np.ctypeslib.as_array(lmp.gather_atoms("radius", 1, 1))
            return x + im * L, d.copy()

        times, walls, pes, frames, diams = [], [], [], [], []
        clock = time.process_time if args.clock == "cpu" else time.perf_counter
        t0 = clock()
        step = 0
        while True:
            lmp.command(f"run {args.chunk} post no")
            step += args.chunk
            wall = clock() - t0
            x, d = frame()
            times.append(step * dt)
            walls.append(wall)
            pes.append(lmp.get_thermo("pe"))
            frames.append(x)
            diams.append(d)
            if wall >= budget:
                break
        stats = None
        if kind == "swap":
            stats = [lmp.extract_fix("sw", 0, 1, k) for k in range(3)]
    return {"t": np.array(times), "wall": np.array(walls), "pe": np.array(pes),
            "pos": np.array(frames), "d": np.array(diams), "L": L, "swap": stats}


def analyse(res, q=None):
    n = len(res["t"])
    half = n // 2
    pos, d = res["pos"][half:], res["d"][half:]
    big = d > np.median(d[0])                         # per frame: larger half at each origin
    if q is None:
        x = res["pos"][-1] - np.floor(res["pos"][-1] / res["L"]) * res["L"]
        q = dyn.first_peak_q(x, res["L"], select=res["d"][-1] > np.median(res["d"][-1]), q_min=4.0)
    frames = len(pos)
    lags = np.unique(np.round(np.logspace(0, math.log10(frames - 1), 30)).astype(int))
    lags = np.concatenate([[0], lags])
    F = dyn.self_intermediate_scattering(pos, q, select=big, lags=lags,
                                         origin_stride=max(1, frames // 40))
    dt_frame = res["t"][1] - res["t"][0]
    t = lags * dt_frame
    tau = dyn.relaxation_time(t, F)
    wall_per_t = (res["wall"][-1] - res["wall"][half]) / (res["t"][-1] - res["t"][half])
    return {"q": q, "t": t, "F": F, "tau": tau, "wall_per_t": wall_per_t,
            "e_end": float(np.mean(res["pe"][-max(1, n // 10):]))}


def compare(args, T):
    args.T = T
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        md = run("md", args, work, args.budget)
        sw = run("swap", args, work, args.budget)
    a_sw = analyse(sw)
    a_md = analyse(md, q=a_sw["q"])
    return md, sw, a_md, a_sw


def report(args, T, md, sw, a_md, a_sw):
    print(f"\n== T = {T}: N = {len(md['d'][0])}, {args.clock} budget {md['wall'][-1]:.0f} s / "
          f"{sw['wall'][-1]:.0f} s, q = {a_sw['q']:.3f} (first peak of S(q), larger particles)")
    att, acc, cand = sw["swap"]
    print(f"swap: {att:.0f} attempts, acceptance {acc / att:.3f} ({acc / cand:.3f} of those with "
          f"|d_i - d_j| < 0.2)")
    print(f"e_pot per particle vs {args.clock} time (mean over the frames in each interval):")
    print(f"{'s from':>7} {'s to':>7} {'MD e_pot':>10} {'swap e_pot':>10}")
    end = min(md["wall"][-1], sw["wall"][-1])
    edges = [0.0, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0]
    for a, b in zip(edges[:-1], edges[1:]):
        m = [r["pe"][(r["wall"] > a * end) & (r["wall"] <= b * end)] for r in (md, sw)]
        vals = [f"{x.mean():10.4f}" if len(x) else f"{'-':>10}" for x in m]
        print(f"{a * end:7.1f} {b * end:7.1f} {vals[0]} {vals[1]}")
    print(f"{'run':>5} {'MD time':>8} {'s/t':>8} {'e_end':>8} {'F_s(end)':>9} "
          f"{'tau_a (t)':>10} {'tau_a (s)':>10}")
    rows = {}
    for name, r, a in (("MD", md, a_md), ("swap", sw, a_sw)):
        tau = a["tau"]
        tt = tau.tau if tau.reached else tau.lower_bound
        mark = "" if tau.reached else ">"
        rows[name] = (tt, tau.reached, tt * a["wall_per_t"])
        print(f"{name:>5} {r['t'][-1]:8.1f} {a['wall_per_t']:8.3f} {a['e_end']:8.4f} {a['F'][-1]:9.3f} "
              f"{mark + format(tt, '.3g'):>10} {mark + format(tt * a['wall_per_t'], '.3g'):>10}")
    (t_md, ok_md, w_md), (t_sw, ok_sw, w_sw) = rows["MD"], rows["swap"]
    if ok_sw:
        bound = "" if ok_md else ">= "
        print(f"ratio tau_alpha(MD)/tau_alpha(swap): {bound}{t_md / t_sw:.3g} in MD time, "
              f"{bound}{w_md / w_sw:.3g} in {args.clock} time"
              + ("" if ok_md else "  (MD never reached F_s = 1/e: lower bounds)"))
    else:
        print("swap did not reach F_s = 1/e in its window: no ratio (raise --budget or T)")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--T", type=float, default=0.1)
    p.add_argument("--N", type=int, default=500)
    p.add_argument("--budget", type=float, default=100.0, help="seconds of dynamics per run (see --clock)")
    p.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                   help="budget clock: process CPU time (default; fair on a shared machine, the run "
                        "is serial and in-process) or wall-clock time")
    p.add_argument("--chunk", type=int, default=100, help="MD steps between frames")
    p.add_argument("--every", type=int, default=25, help="MD steps between swap sweeps")
    p.add_argument("--attempts", type=float, default=1.0, help="swap attempts per sweep per particle")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--scan", type=float, nargs="+", help="temperatures for a quick scan")
    args = p.parse_args()
    for T in args.scan or [args.T]:
        report(args, T, *compare(args, T))


if __name__ == "__main__":
    main()
