"""Seconds per NEB pair at N = 1000 on the 2 cores of this machine: P2's WCA pair, and KA-LJ.

Part ``wca`` (the issue's case, P2 Fig. 7): a pair of inherent structures (IS) of two clones of
one polydisperse WCA glass (``wca_poly``, N = 1000, packing fraction 1.1), built like the
workflow: ``prepare_sample`` (hybrid swap NVT at T = 0.6 for ``--nvt-time``, swap every 25 steps
1000 attempts delta 0.2, then NVE for 1), two clones by ``run_clone`` (Berendsen to T = 0.005
from Maxwell velocities at T = 0.6, t_w = 100, tau = 1), FIRE IS (ftol 1e-10) of each clone at t_w by
``inherent_structure_at_tw`` (as workflow/scripts/clone_is.py); the second
clone's seed is advanced until the two IS differ (Delta0_AB >= 1e-4, the workflow's same_tol).
Files are cached in benchmarks/out/neb_wca/ (git-ignored), so reruns go straight to the NEBs.
Then ``neb_between_dumps`` (FIRE timestep 0.002, the schema default; 0.01 blew WCA bands up):
  (a) 8 images (10 ranks) to convergence, n1 = n2 = 3000 (the schema's caps);
  (b) 40 images (42 ranks, P2's default), first with an iteration cap (``--cap`` regular +
      ``--cap`` climbing); if its seconds per iteration times the iterations (a) needed project
      to less than ``--budget-min`` minutes it is rerun to convergence (n1 = n2 = 3000), else
      the projection is printed, labelled as an extrapolation (assumption: 40 images need as
      many iterations as 8; the true count may differ);
  (c) baseline: the 8-image NEB of (a) without the MPICH progress throttle (``THROTTLE_ENV``;
      ``glasstools.lammps.partitions.mpi_env`` is monkeypatched in this process) for
      ``--baseline-iters`` regular iterations only (no climbing), next to the throttled run of
      the same length from the same start.
Wall seconds include starting the ranks (mpiexec + Python + LAMMPS + plugin) and the dump I/O;
seconds per iteration = wall / (regular + climbing iterations).

Part ``ka_lj`` (the earlier benchmark): a KA-LJ (``ka_lj_fs``) N = 1000 adjacent IS pair: a
configuration (random, push-off CG, NVT MD at T = 0.8) quenched by CG to A; from A, short NVT
bursts at T = 0.4 (100 steps, fresh velocities) each followed by CG until the IS differs from A
(|E_B - E_A| > 1e-6 N): B. (CG vs FIRE IS of the same snapshot are too far apart, Delta ~ 0.09,
many events: the band did not converge in 2000 iterations with 8 images.) Then climbing-image
NEB (``run_neb``, FIRE timestep 0.01) for each image count in ``--ka-images``.

LAMMPS ``neb`` needs one rank per replica, so a NEB uses n_images + 2 MPI ranks whatever the
core count; on this 2-core machine they are oversubscribed with the MPICH progress throttle (set
automatically by ``mpi_env`` when ranks > cores).
Usage: python benchmarks/neb_timing.py [--parts wca ka_lj] [--quick] [--cap 300]
       [--budget-min 15] [--baseline-iters 100] [--baseline-images 8]
       [--cases a b c] [--ka-images 8 40] [--ka-n1 1000] [--ka-n2 1000]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from pathlib import Path

import numpy as np

import glasstools.lammps.partitions as launcher_mod
from glasstools.analysis.landscape import delta_ab
from glasstools.configuration import Frame
from glasstools.lammps.deck import system_commands
from glasstools.lammps.minimise import MinimiseSettings, minimise
from glasstools.lammps.neb import NEBSettings, run_neb
from glasstools.lammps.partitions import n_cores
from glasstools.lammps.session import lammps_session
from glasstools.models import get_model
from glasstools.systems import box_length

OUT = Path(__file__).resolve().parent / "out" / "neb_wca"


def load():
    return os.getloadavg()


# ------------------------------------------------------------------ KA-LJ adjacent IS pair

def make_configuration(n, seed=11, T=0.8, steps=2000):
    model = get_model("ka_lj_fs")
    box = box_length(n, 1.204)
    with lammps_session() as lmp:
        lmp.commands_list([*system_commands(model, N=n, box_len=box, seed=seed, overlap=0.7),
                           "neighbor 0.3 bin", "neigh_modify every 1 delay 0 check yes",
                           "minimize 0 1e-4 1000 10000", "reset_timestep 0", "timestep 0.005",
                           f"velocity all create {T} {seed} dist gaussian",
                           f"fix nvt all nvt temp {T} {T} 0.5", f"run {steps}"])
        x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).copy()
        t = np.ctypeslib.as_array(lmp.gather_atoms("type", 0, 1)).copy()
    return model, x, t, np.full(3, box)


def adjacent_minimum(model, A, types, box, T=0.4, steps=100, seed=5, tries=50):
    """IS reached by CG after short NVT bursts at T from the IS A, first one != A."""
    n = len(A.positions)
    with lammps_session() as lmp:
        lmp.commands_list(["units lj", "atom_style atomic", "atom_modify map array", "boundary p p p",
                           f"region box block 0 {float(box[0])!r} 0 {float(box[1])!r} 0 {float(box[2])!r}",
                           f"create_box {model.ntypes} box"])
        lmp.create_atoms(n, list(range(1, n + 1)), [int(t) for t in types],
                         [float(v) for v in A.positions.ravel()])
        lmp.commands_list(["mass * 1.0", *model.lammps_commands(), "neighbor 0.3 bin",
                           "neigh_modify every 1 delay 0 check yes", "timestep 0.005"])
        for k in range(tries):
            lmp.scatter_atoms("x", 1, 3, np.ctypeslib.as_ctypes(A.positions.ravel().copy()))
            lmp.commands_list([f"velocity all create {T} {seed + k} dist gaussian",
                               f"fix nvt all nvt temp {T} {T} 0.5", f"run {steps} post no",
                               "unfix nvt"])
            x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).copy()
            B = minimise(model, Frame(x, box, types), "cg", MinimiseSettings(ftol=1e-10))
            if B.converged and abs(B.energy - A.energy) > 1e-6 * n:
                return B, k + 1
    raise RuntimeError(f"no distinct minimum after {tries} bursts at T = {T}")


def ka_lj_part(args):
    model, x, types, box = make_configuration(args.n)
    s = MinimiseSettings(ftol=1e-10)
    A = minimise(model, Frame(x, box, types), "cg", s)
    B, bursts = adjacent_minimum(model, A, types, box)
    print(f"\nKA-LJ N = {args.n}: E_A/N = {A.energy / args.n:.6f} ({A.stop}), "
          f"E_B/N = {B.energy / args.n:.6f} ({B.stop}, after {bursts} bursts), "
          f"Delta_AB = {delta_ab(A.positions, B.positions, box):.4g}, cores = {n_cores()}, "
          f"load average {load()[0]:.1f}")
    print("| images | ranks | regular it | climbing it | stop | converged | V_AB | E_B - E_A "
          "| wall s | ms / iteration |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n_img in args.ka_images:
        st = NEBSettings(n_images=n_img, ftol=1e-4, n1=args.ka_n1, n2=args.ka_n2, nevery=50,
                         timestep=0.01)
        with tempfile.TemporaryDirectory(prefix="neb-bench.") as tmp:
            t0 = time.perf_counter()
            r = run_neb(model, Frame(A.positions, box, types), Frame(B.positions, box, types),
                        tmp, st)
            wall = time.perf_counter() - t0
        it = (r.info["regular_steps"] or 0) + (r.info["climb_steps"] or 0)
        print(f"| {n_img} | {r.info['ranks']} | {r.info['regular_steps']} | "
              f"{r.info['climb_steps']} | {r.info['stop']} | {r.converged} | {r.barrier:.5f} | "
              f"{r.e_b - r.e_a:.5f} | {wall:.1f} | {1e3 * wall / max(it, 1):.1f} |", flush=True)


# ------------------------------------------------------------------ P2: WCA clone IS pair

def wca_pair(args):
    """Cached glass -> two clones -> FIRE IS at t_w; returns (dump_a, dump_b, description)."""
    from glasstools.io import read_table
    from glasstools.lammps.clones import CloneSettings, inherent_structure_at_tw, run_clone
    from glasstools.lammps.dump import read_dump
    from glasstools.lammps.protocols import prepare_sample

    model = get_model("wca_poly")
    OUT.mkdir(parents=True, exist_ok=True)
    tag = f"N{args.n}_s{args.seed}_nvt{args.nvt_time:g}"
    data = OUT / f"glass_{tag}.data"
    meta_path = OUT / f"pair_{tag}.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if all(Path(meta[k]).exists() for k in ("dump_a", "dump_b")):
            return model, meta
    t0 = time.perf_counter()
    if not data.exists():
        prepare_sample(model, N=args.n, density=1.0, T=0.6, seed=args.seed, data_out=data,
                       log=OUT / f"glass_{tag}.log", dt=0.004, nvt_time=args.nvt_time,
                       nve_time=1.0, packing_fraction=1.1,
                       swap={"every": 25, "attempts": 1000, "delta": 0.2})
    t_glass = time.perf_counter() - t0
    cs = CloneSettings(T=0.005, T_parent=0.6, t_w=100.0, tau=1.0)
    mset = MinimiseSettings(ftol=1e-10, maxiter=100000, dmax=0.1)

    def clone_is(cseed):
        dump = OUT / f"clone_{tag}_c{cseed}.lammpstrj"
        table = OUT / f"clone_{tag}_c{cseed}.parquet"
        is_out = OUT / f"IS_{tag}_c{cseed}.lammpstrj"
        if not is_out.exists():
            if not (dump.exists() and table.exists()):
                run_clone(model, data, dump, table, cs, seed=cseed,
                          log=OUT / f"clone_{tag}_c{cseed}.log")
            frames, _ = read_table(table)
            r, _ = inherent_structure_at_tw(model, dump, frames, "fire", mset, is_out,
                                            log=OUT / f"IS_{tag}_c{cseed}.log")
            if not r.converged:
                print(f"warning: clone {cseed} IS not converged ({r.stop}, max|F| = {r.fmax_atom:.3g})")
        return is_out

    a = clone_is(1001)
    for cseed in range(1002, 1012):
        b = clone_is(cseed)
        fa, fb = read_dump(a), read_dump(b)
        d0 = float(delta_ab(fa.positions, fb.positions, fa.box_len))
        if d0 >= 1e-4:
            break
        print(f"clones 1001 and {cseed} share the IS (Delta0 = {d0:.3g}); next seed")
    else:
        raise RuntimeError("10 clone pairs all in the same IS")
    meta = {"dump_a": str(a), "dump_b": str(b), "delta0": d0, "clone_seeds": [1001, cseed],
            "glass": str(data), "build_s": time.perf_counter() - t0, "glass_s": t_glass}
    meta_path.write_text(json.dumps(meta, indent=1))
    return model, meta


def run_case(model, meta, label, st, throttle=True, timeout=None):
    from glasstools.lammps.neb import neb_between_dumps

    saved = launcher_mod.mpi_env
    if not throttle:
        def no_throttle_env(ranks, base=None):  # mpi_env without the MPICH progress throttle
            env = saved(ranks, base)
            for k in launcher_mod.THROTTLE_ENV:
                env.pop(k, None)
            return env
        launcher_mod.mpi_env = no_throttle_env
    la = load()[0]
    try:
        with tempfile.TemporaryDirectory(prefix="neb-bench.", dir=OUT) as tmp:
            t0 = time.perf_counter()
            r = neb_between_dumps(model, meta["dump_a"], meta["dump_b"], Path(tmp) / "neb.parquet",
                                  workdir=Path(tmp) / "work", settings=st, timeout=timeout)
            wall = time.perf_counter() - t0
            # LAMMPS loop time of each neb stage (partition 0 log): wall minus this = start-up
            txt = (Path(tmp) / "work" / "target.log.0").read_text()
            loop = sum(float(m) for m in re.findall(r"Loop time of (\S+) on", txt))
    finally:
        launcher_mod.mpi_env = saved
    reg, cl = r.info["regular_steps"] or 0, r.info["climb_steps"] or 0
    row = {"case": label, "images": st.n_images, "ranks": r.info["ranks"], "regular": reg,
           "climbing": cl, "stop": r.info["stop"], "converged": r.converged,
           "saddle_converged": r.info["saddle_converged"], "V_AB": r.barrier, "wall": wall,
           "s_per_it": wall / max(reg + cl, 1), "loop": loop,
           "loop_per_it": loop / max(reg + cl, 1), "load": (la + load()[0]) / 2}
    print_row(row)
    return row


def print_row(row):
    v = row["V_AB"]
    print(f"| {row['case']} | {row['images']} | {row['ranks']} | {row['regular']} + "
          f"{row['climbing']} | {row['converged']} ({row['stop']}) | {row['saddle_converged']} | "
          f"{v:.5f} | {row['wall']:.1f} | {row['s_per_it']:.3f} | "
          f"{row['loop_per_it']:.3f} | {row['load']:.1f} |", flush=True)


def wca_part(args):
    model, meta = wca_pair(args)
    print(f"\nP2 NEB pair: wca_poly N = {args.n}, phi = 1.1, clone IS at t_w = 100, T = 0.005 "
          f"(seeds {meta['clone_seeds']}), Delta0_AB = {meta['delta0']:.4g}; cores = {n_cores()}, "
          f"load average {'/'.join(f'{x:.1f}' for x in load())}"
          + (f"; pair built in {meta['build_s']:.0f} s" if "build_s" in meta else ""), flush=True)
    print("| case | images | ranks | iterations (regular + climbing) | converged (stop) "
          "| saddle_converged | V_AB | wall s | s / iteration | loop s / iteration | load (1 min) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    full = 200 if args.quick else 3000
    ts = 0.002
    if "a" in args.cases or "b" in args.cases:
        wca_ab(model, meta, args, full, ts)
    if "c" in args.cases:
        wca_baseline(model, meta, args, ts)


def wca_ab(model, meta, args, full, ts):
    a = run_case(model, meta, "(a) 8 images, to convergence",
                 NEBSettings(n_images=8, n1=full, n2=full, timestep=ts))
    if "b" not in args.cases:
        return
    cap = 50 if args.quick else args.cap
    n40 = 8 if args.quick else 40
    b = run_case(model, meta, f"(b) {n40} images, capped {cap} + {cap}",
                 NEBSettings(n_images=n40, n1=cap, n2=cap, timestep=ts))
    it_a = a["regular"] + a["climbing"]
    proj = b["s_per_it"] * it_a
    if b["converged"]:
        pass
    elif proj < 60 * args.budget_min and not args.quick:
        run_case(model, meta, f"(b) {n40} images, to convergence",
                 NEBSettings(n_images=n40, n1=full, n2=full, timestep=ts))
    else:
        print(f"| (b) {n40} images, EXTRAPOLATED (not run): {b['s_per_it']:.3f} s/it x {it_a} it "
              f"of (a) | {n40} | {n40 + 2} | {it_a} (assumed) | - | - | - | ~{proj:.0f} "
              f"| {b['s_per_it']:.3f} | {b['loop_per_it']:.3f} | - |")
        worst = b["s_per_it"] * 2 * full
        print(f"  (extrapolation; worst case n1 + n2 = {2 * full} iterations: ~{worst:.0f} s)")


def wca_baseline(model, meta, args, ts):
    nb = 10 if args.quick else args.baseline_iters
    ni = args.baseline_images
    st = NEBSettings(n_images=ni, n1=nb, n2=0, nevery=nb, timestep=ts)
    t = run_case(model, meta, f"(c) {ni} images, {nb} it, throttled", st)
    u = run_case(model, meta, f"(c) {ni} images, {nb} it, NO throttle (baseline)", st,
                 throttle=False, timeout=args.baseline_timeout)
    print(f"  baseline / throttled: {u['s_per_it'] / t['s_per_it']:.1f}x per iteration of wall "
          f"(start of the ranks included), {u['loop_per_it'] / t['loop_per_it']:.1f}x of LAMMPS "
          "loop time")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", nargs="+", choices=["wca", "ka_lj"], default=["wca", "ka_lj"])
    ap.add_argument("--quick", action="store_true",
                    help="short smoke run: caps 200/50 iterations, 8 images only")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7, help="glass seed (part wca)")
    ap.add_argument("--nvt-time", type=float, default=50.0, help="hybrid swap time of the glass")
    ap.add_argument("--cap", type=int, default=300,
                    help="regular and climbing iteration cap of the first 40-image run")
    ap.add_argument("--budget-min", type=float, default=15.0,
                    help="run 40 images to convergence only if projected below this")
    ap.add_argument("--baseline-iters", type=int, default=100)
    ap.add_argument("--baseline-images", type=int, default=8)
    ap.add_argument("--baseline-timeout", type=float, default=600.0,
                    help="s; the unthrottled run is killed (LammpsFailure) beyond this")
    ap.add_argument("--cases", nargs="+", choices=["a", "b", "c"], default=["a", "b", "c"],
                    help="WCA cases: (a) 8 images, (b) 40 images, (c) no-throttle baseline")
    ap.add_argument("--ka-images", type=int, nargs="+", default=[8, 40])
    ap.add_argument("--ka-n1", type=int, default=1000)
    ap.add_argument("--ka-n2", type=int, default=1000)
    args = ap.parse_args()
    if args.quick:
        args.ka_images, args.ka_n1, args.ka_n2 = [8], 200, 200
    if "wca" in args.parts:
        wca_part(args)
    if "ka_lj" in args.parts:
        ka_lj_part(args)


if __name__ == "__main__":
    main()
