"""Benchmark: P3 mode lifetimes, MD against three-phonon theory, and the far-field exponent a.

Glass (P3's 50:50 r^-12 mixture) and FCC crystal at rho = 1.015, N = 256 by default, through the
library's P3 protocol (``glasstools.lammps.vibrations``): liquid at T = 1 (NVT ``--liquid``),
instantaneous quench, NVT anneal (``--anneal``), NVE production (``--glass-time`` /
``--crystal-time`` per temperature) with dumps every ``--glass-every`` / ``--crystal-every``, IS of
every frame ``--is-every`` apart (rearrangements; a run with events keeps its event-free start for
the lifetimes if that is longer than 100), then the MD tau_k (C_k = 1/e) and the classical
three-phonon tau_k = 1/Gamma_k of every ``--stride``-th mode at the default width and at the
absolute delta widths ``--sigma``, and tau of each degenerate multiplet's energy. Printed per
frequency band (``--band`` wide): undecayed modes, geometric means tau_MD and tau_theory, their
ratios, multiplet tau; then MD tau ~ T^-x between the two temperatures of each kind. The table is
written to ``<out>/md_vs_theory.parquet``; ``--reuse`` keeps the MD and IS already in ``--out``.

``--far-N``: a second, larger glass at T = ``--far-T`` whose IS trajectory (``--far-time``) is
searched for events; a (|Delta r_IS,i| ~ r^-a from the most displaced particle, fit window
[2, L/2]) of each event is printed (P3 Fig. 7: a = 2.5-3 at N = 256000).

Run: python benchmarks/p3_lifetimes.py --far-N 0   (README table: glass T = 0.01 / 0.001 for 500 /
     2000, crystal T = 0.01 / 0.05 for 1000 / 500; 28 min wall, 6.2 min CPU at load 8-12)
"""
from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from glasstools.analysis import mode_lifetimes as ml
from glasstools.analysis.harmonic import level_spacing, normal_modes
from glasstools.analysis.three_phonon import linewidths
from glasstools.config import p3_models
from glasstools.geometry import unwrap_to
from glasstools.io import read_table
from glasstools.io.tables import write_table
from glasstools.lammps.dump import iter_dump, read_dump, write_dump
from glasstools.lammps.protocols import prepare_sample
from glasstools.lammps.vibrations import VibrationSettings, inherent_trajectory, mode_lifetimes, vibration_run


def run_state(models, kind, N, T, seed, s, out, liquid, stride, band, lifetimes=True, is_every=None,
              sigmas=(), reuse=False, min_free=100.0):
    d = out / f"{kind}_N{N}_T{T:g}"
    t0 = time.process_time()
    if not (reuse and (d / "rearrangements.parquet").exists()):
        vibration_run(models[kind], kind, N=N, density=1.015, T=T, seed=seed, dump_out=d / "traj.lammpstrj",
                      frames_out=d / "frames.parquet", log=d / "md.log", settings=s, liquid_data=liquid)
        is_dump = d / "traj.lammpstrj"
        if is_every and is_every > s.every:          # IS of every (is_every / every)-th frame only
            k = int(round(is_every / s.every))
            write_dump((fr for i, fr in enumerate(iter_dump(is_dump)) if i % k == 0), d / "traj_is.lammpstrj")
            is_dump = d / "traj_is.lammpstrj"
        inherent_trajectory(models[kind], is_dump, d, dt=s.dt, log=d / "is.log")
    summary, _ = read_table(d / "rearrangements.parquet")
    summary = summary.iloc[0]
    print(f"\n{kind} N={N} T={T:g}: NVE {s.production_time:g} (frames every {s.every:g}), {summary['events']} "
          f"IS events in {summary['t_total']:g} (IS every {is_every or s.every:g}; noise floor "
          f"{summary['noise_floor']:.1e})")
    if summary["rearranges"]:
        ev, _ = read_table(d / "events.parquet")
        print(ev[["t", "dr", "dphi", "n_rearr", "a", "a_err", "n_fit", "r_max"]].to_string(index=False))
    if not lifetimes:
        return None
    traj, frames = d / "traj.lammpstrj", d / "frames.parquet"
    if summary["rearranges"]:
        # the IS is fixed before the first event: lifetimes from the frames before the last IS
        # checked without a change (the first event's t minus one IS interval)
        t_free = float(ev["t"].min()) - (is_every or s.every)
        if t_free < min_free:
            return None
        print(f"lifetimes from the event-free start t < {t_free:g}")
        md_frames, meta = read_table(frames)
        keep = md_frames["t"].to_numpy() < t_free
        traj, frames = d / "free_traj.lammpstrj", d / "free_frames.parquet"
        write_dump((fr for fr, ok in zip(iter_dump(d / "traj.lammpstrj"), keep) if ok), traj,
                   columns=["id", "type", "xu", "yu", "zu", "vx", "vy", "vz"])
        write_table(md_frames[keep], frames, {**meta, "event_free_before": t_free})
        s = replace(s, production_time=t_free)
    mode_lifetimes(models[kind], traj, d / "IS0.lammpstrj", frames, d, T=T, rearranges=False,
                   theory_stride=stride)
    modes, _ = read_table(d / "modes.parquet")
    extra = theory_and_multiplets(models[kind], d, traj, T, s, modes, sigmas)
    modes["band"] = np.floor(modes["omega"] / band) * band
    rows = []
    for b, g in modes.groupby("band"):
        md, th = g["tau"][g["decayed"]], g["tau_theory"].dropna()
        row = {"kind": kind, "N": N, "T": T, "t_run": s.production_time, "omega": f"{b:g}-{b + band:g}",
               "n": len(g), "undecayed": int((~g["decayed"]).sum()), "tau_md": ml.geometric_mean(md),
               "tau_theory": ml.geometric_mean(th), "ratio": ml.geometric_mean(md) / ml.geometric_mean(th)}
        for sig in sigmas:
            th_s = g[f"tau_theory_s{sig:g}"][g["decayed"]]
            row[f"ratio_s{sig:g}"] = ml.geometric_mean(md) / ml.geometric_mean(th_s)
        mult = extra[(extra["omega"] >= b) & (extra["omega"] < b + band) & extra["decayed"]]
        row["tau_md_multiplet"] = float(np.exp(np.average(np.log(mult["tau"]), weights=mult["size"]))) \
            if len(mult) else np.nan
        rows.append(row)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    print(f"equipartition <E_k>/T over all modes: {modes['e_mean_over_T'].mean():.3f}; undecayed (flagged) "
          f"modes {int((~modes['decayed']).sum())}/{len(modes)}; multiplets {len(extra)} "
          f"(sizes {sorted(set(extra['size']))}); CPU {time.process_time() - t0:.0f} s in this process "
          "(LAMMPS runs in it)")
    return table


def theory_and_multiplets(model, d, traj, T, s, modes, sigmas):
    """Three-phonon tau_k at absolute delta widths ``sigmas`` (columns tau_theory_s<sigma> of
    ``modes``) and MD tau of each degenerate multiplet's energy (``multiplet_lifetimes``)."""
    ref = read_dump(d / "IS0.lammpstrj")
    omega, vectors = normal_modes(ref, model)
    for sig in sigmas:
        th = linewidths(ref, model, omega, vectors, T, width=sig / level_spacing(omega))
        modes[f"tau_theory_s{sig:g}"] = th["tau"].to_numpy()
    pos, vel = [], []
    for fr in iter_dump(traj):
        pos.append(fr.unwrapped())
        vel.append(fr.velocities)
    pos = np.asarray(pos)
    A, Adot = ml.mode_amplitudes(pos, np.asarray(vel), unwrap_to(pos[0], ref.positions, ref.box_len), vectors)
    E = ml.mode_energies(A, Adot, omega)
    return ml.multiplet_lifetimes(E, omega, T, s.every, (len(E) - 1) // 2)


def per_state(values, temps, name):
    """One value per temperature (a single value is used for all)."""
    if not temps or len(values) == 1:
        return list(values) * len(temps)
    if len(values) != len(temps):
        raise SystemExit(f"--{name}: give one value or one per temperature ({len(temps)})")
    return list(values)


def t_scaling(table):
    """MD tau(T_lo) / tau(T_hi) per band and kind next to T_hi / T_lo (tau ~ 1/T; theory: exact)."""
    rows = []
    for (kind, band), g in table.groupby(["kind", "omega"], sort=False):
        if g["T"].nunique() == 2:
            lo, hi = g.sort_values("T").iloc[0], g.sort_values("T").iloc[1]
            rows.append({"kind": kind, "omega": band, "T_hi/T_lo": hi["T"] / lo["T"],
                         "md_tau_lo/tau_hi": lo["tau_md"] / hi["tau_md"],
                         "exponent": np.log(lo["tau_md"] / hi["tau_md"]) / np.log(hi["T"] / lo["T"])})
    return pd.DataFrame(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--N", type=int, default=256)
    ap.add_argument("--glass-T", type=float, nargs="*", default=[0.01, 0.001])
    ap.add_argument("--glass-time", type=float, nargs="*", default=[500.0, 2000.0])
    ap.add_argument("--glass-every", type=float, nargs="*", default=[0.1, 0.5])
    ap.add_argument("--crystal-T", type=float, nargs="*", default=[0.01, 0.05])
    ap.add_argument("--crystal-time", type=float, nargs="*", default=[1000.0, 500.0])
    ap.add_argument("--crystal-every", type=float, nargs="*", default=[0.2, 0.1])
    ap.add_argument("--is-every", type=float, default=2.0, help="time between the IS checked for events")
    ap.add_argument("--sigma", type=float, nargs="*", default=[0.2, 0.4],
                    help="absolute delta widths (std) of extra theory columns ratio_s<sigma>")
    ap.add_argument("--liquid", type=float, default=20.0)
    ap.add_argument("--anneal", type=float, default=20.0)
    ap.add_argument("--stride", type=int, default=1)
    ap.add_argument("--band", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--far-N", type=int, default=2000)
    ap.add_argument("--far-T", type=float, default=0.05)
    ap.add_argument("--far-time", type=float, default=10.0)
    ap.add_argument("--out", default=None)
    ap.add_argument("--reuse", action="store_true", help="keep the MD and IS of states already in --out")
    a = ap.parse_args()
    out = Path(a.out or tempfile.mkdtemp(prefix="p3bench."))
    models = p3_models({"model_params": {}})
    t0 = time.time()
    liquids = {}
    for N in {a.N if a.glass_T else 0, a.far_N} - {0}:
        liquids[N] = out / f"liquid_N{N}.data"
        if a.reuse and liquids[N].exists():
            continue
        prepare_sample(models["glass"], N=N, density=1.015, T=1.0, seed=a.seed, data_out=liquids[N],
                       log=out / f"liquid_N{N}.log", nvt_time=a.liquid, nve_time=0.0)
    tables = []
    for kind, temps, times, every, seed in (
            ("glass", a.glass_T, a.glass_time, a.glass_every, a.seed + 1),
            ("crystal", a.crystal_T, a.crystal_time, a.crystal_every, a.seed + 2)):
        for T, t_run, ev in zip(temps, per_state(times, temps, f"{kind}-time"),
                                per_state(every, temps, f"{kind}-every")):
            s = VibrationSettings(liquid_time=a.liquid, anneal_time=a.anneal, production_time=t_run, every=ev)
            tables.append(run_state(models, kind, a.N, T, seed, s, out, liquids.get(a.N), a.stride, a.band,
                                    is_every=a.is_every, sigmas=a.sigma, reuse=a.reuse))
    tables = [t for t in tables if t is not None]
    if tables:
        table = pd.concat(tables, ignore_index=True)
        write_table(table, out / "md_vs_theory.parquet",
                    {"N": a.N, "band": a.band, "sigma": a.sigma, "units": "reduced (P3)",
                     "tau": "geometric means over the decayed modes of each band; theory: default width "
                            "(5 level spacings) and ratio_s<sigma>: absolute delta std sigma"})
        print("\nMD / theory per band (geometric means over the decayed modes):")
        print(table.to_markdown(index=False, floatfmt=".3g"))
        scaling = t_scaling(table)
        if len(scaling):
            print("\nMD tau ~ T^-x between the two temperatures (three-phonon theory: x = 1 exactly):")
            print(scaling.to_markdown(index=False, floatfmt=".3g"))
    if a.far_N:
        far = VibrationSettings(liquid_time=a.liquid, anneal_time=a.anneal, production_time=a.far_time)
        run_state(models, "glass", a.far_N, a.far_T, a.seed + 3, far, out, liquids[a.far_N], 0, a.band,
                  lifetimes=False)
    print(f"\nwall time {time.time() - t0:.0f} s; files in {out}")


if __name__ == "__main__":
    main()
