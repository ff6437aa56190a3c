"""Benchmark: replica exchange against plain MD where plain MD equilibrates (issue 14 §1).

KA-LJ (force-shifted, rho = 1.204), N = 200, target T = 0.6 (tau_alpha ~ 15 for q = 7.25: plain MD
equilibrates in 100 time units). Two routes to the same canonical ensemble:

  (a) replica exchange: geometric ladder T = 0.6 ... T_max (``--replicas``, ratio ~1.07, i.e.
      acceptance 0.2-0.5 at this N), an exchange trial every 200 steps (1 time unit), 50
      equilibration trials, then ``--samples`` samples at T = 0.6, one every 25 trials;
  (b) plain MD: ``--samples`` independent samples from ``prepare_sample`` (random start, NVT
      Nose-Hoover 100 + NVE 10 time units), the workflow's prepare step.

Compared: <e_pot> at T = 0.6 (REMD: the target rung at every trial of the sampling phase; MD: a
200-time-unit NVT run from one sample, recorded every time unit after 20 of settling), errors
from 10 blocks; and F_s(q = 7.25, t) of the A particles from NVE runs (t <= 30, frames every
0.1) started at each sample with its own velocities, mean and standard error over samples.

Run: python benchmarks/remd_vs_md.py [--replicas 4 --samples 8]   (~ 2-4 min on 2 cores)
"""
from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import numpy as np

from glasstools.analysis.dynamics import block_mean, relaxation_time, self_intermediate_scattering
from glasstools.analysis.replica_exchange import geometric_ladder, walkers_at
from glasstools.lammps.dump import iter_dump
from glasstools.lammps.protocols import md_with_dumps, prepare_sample
from glasstools.lammps.replica_exchange import REMDSettings, run_replica_exchange
from glasstools.models import get_model

N, RHO, T, Q = 200, 1.204, 0.6, 7.25


def fs_of(model, data, work, tag):
    dump = work / f"{tag}.lammpstrj"
    md_with_dumps(model, data, dump, dt=0.005, every=0.1, t_end=30.0, log=work / f"{tag}.log",
                  ensemble="nve")
    frames = list(iter_dump(dump))
    pos = np.stack([f.positions for f in frames])
    return self_intermediate_scattering(pos, Q, select=frames[0].types == 1, origin_stride=10)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicas", type=int, default=4)
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    model = get_model("ka_lj_fs")
    work = Path(tempfile.mkdtemp(prefix="remd_vs_md."))
    temps = geometric_ladder(T, T * 1.07 ** (args.replicas - 1), args.replicas)
    s = REMDSettings(temperatures=temps, target=T, samples=args.samples, exchange_every=200,
                     equilibration_trials=50, sampling_every=25)
    t0 = time.perf_counter()
    res = run_replica_exchange(model, N=N, density=RHO, settings=s, seed=args.seed, outdir=work / "remd")
    t_remd = time.perf_counter() - t0
    rec = res.record
    at = walkers_at(rec.temp_of_walker)[s.equilibration_trials + 1:, s.target_index]
    e_remd = rec.energies[s.equilibration_trials + 1:][np.arange(len(at)), at] / N
    t0 = time.perf_counter()
    md_samples = []
    for k in range(args.samples):
        out = work / f"md_{k}.data"
        prepare_sample(model, N=N, density=RHO, T=T, seed=args.seed * 1000 + k, data_out=out,
                       log=work / f"prep_{k}.log", nvt_time=100.0, nve_time=10.0)
        md_samples.append(out)
    rows = md_with_dumps(model, md_samples[0], work / "md_e.lammpstrj", dt=0.005, every=1.0, t_end=220.0,
                         log=work / "md_e.log", T=T)
    e_md = np.array([r["pe"] for r in rows[20:]]) / N
    t_md = time.perf_counter() - t0
    fs_remd = np.array([fs_of(model, f, work, f"fs_remd_{j}") for j, f in enumerate(res.samples["file"])])
    fs_md = np.array([fs_of(model, f, work, f"fs_md_{j}") for j, f in enumerate(md_samples)])
    lag_t = 0.1 * np.arange(fs_remd.shape[1])
    print(f"KA-LJ N = {N}, T = {T}: ladder {np.round(temps, 4).tolist()}, {s.trials} trials; "
          f"REMD wall {t_remd:.0f} s, MD samples + e-run wall {t_md:.0f} s")
    print(res.pairs[["pair", "T_low", "T_high", "acceptance", "metropolis_mean", "histogram_overlap"]]
          .to_string(index=False))
    print(res.walkers.to_string(index=False))
    (m_remd, err_remd), (m_md, err_md) = block_mean(e_remd), block_mean(e_md)
    de, err = m_remd - m_md, math.hypot(err_remd, err_md)
    print(f"<e_pot>: REMD {m_remd:.4f} +- {err_remd:.4f} ({len(e_remd)} trials), "
          f"MD {m_md:.4f} +- {err_md:.4f}; difference {de:+.4f} = {de / err:+.1f} sigma")
    for tt in (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0):
        k = int(round(tt / 0.1))
        a, b = fs_remd[:, k], fs_md[:, k]
        ea, eb = a.std(ddof=1) / math.sqrt(len(a)), b.std(ddof=1) / math.sqrt(len(b))
        print(f"F_s(q={Q}, t={tt:>4}): REMD {a.mean():.3f} +- {ea:.3f}, MD {b.mean():.3f} +- {eb:.3f}, "
              f"difference {(a.mean() - b.mean()) / math.hypot(ea, eb):+.1f} sigma")
    ta = relaxation_time(lag_t[1:], fs_remd.mean(axis=0)[1:])
    tb = relaxation_time(lag_t[1:], fs_md.mean(axis=0)[1:])
    print(f"tau_alpha (F_s = 1/e): REMD {ta.tau:.2f}, MD {tb.tau:.2f}")
    print(f"files in {work}")


if __name__ == "__main__":
    main()
