"""Benchmark: three-phonon theory of P3's FCC crystal, its delta-width plateau and tau_k ~ omega^-x.

1. sigma scan (``--cells``, ``--sigma``): for the perfect FCC crystal of N = 4 n^3 atoms at
   rho = 1.015 (``lammps.protocols.fcc_crystal``), Gamma_k / T of every mode at each absolute delta
   std sigma (``three_phonon.linewidths(sigma=...)``); printed: band means of Gamma / T (bands of
   width 2), the modes with Gamma_k = 0 (no two-mode level inside the delta window:
   ``mode_lifetimes.no_resonance``), time. A small crystal's two-mode spectrum is a comb, so Gamma_k
   depends on sigma until sigma covers its teeth (README P3, "Why the N = 256 crystal disagreed").
2. low-omega exponent (``--exponent-cells``): Gamma_k of one mode per degenerate multiplet
   (``mode_lifetimes.multiplets``; Gamma is the same for every mode of a multiplet, checked on the
   first and last mode of the 6 lowest) below ``--wmax``, and least squares of ln tau on ln omega,
   one point per multiplet, over windows [omega_min, w) for each w in ``--windows``: tau ~ omega^-x
   (P3 Fig. 2: x = 2), for all multiplets and per polarisation: a multiplet is longitudinal (L) or
   transverse (T) when its modes' plane-wave content |sum_i u_i exp(-i q.R_i)|^2 over the
   supercell's q (|h|, |k|, |l| <= 4) is > 80 % / < 20 % along q. Classical theory: tau T is T
   independent, so T = 1 here.

Run: python benchmarks/p3_crystal_theory.py [--cells 4 5 6 --sigma 0.05 0.1 0.2 0.4
     --exponent-cells 8 --exponent-sigma 0.1 0.2]   (README numbers: ~20 CPU-min on 2 cores)
"""
from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from glasstools.analysis.harmonic import normal_modes
from glasstools.analysis.mode_lifetimes import multiplets, no_resonance
from glasstools.analysis.three_phonon import linewidths
from glasstools.config import p3_models
from glasstools.lammps.dump import read_data_file
from glasstools.lammps.protocols import fcc_crystal

RHO = 1.015


def crystal_modes(model, cells, out):
    N = 4 * cells**3
    data = out / f"fcc_N{N}.data"
    fcc_crystal(model, N=N, density=RHO, data_out=data, log=out / f"fcc_N{N}.log")
    frame = read_data_file(data)
    t0 = time.process_time()
    omega, vectors = normal_modes(frame, model)
    print(f"\nFCC N = {N}: {len(omega)} modes, omega {omega[0]:.3f}-{omega[-1]:.3f}, "
          f"{multiplets(omega).max() + 1} degenerate multiplets, eigh {time.process_time() - t0:.0f} CPU s")
    return frame, omega, vectors


def sigma_scan(model, cells, sigmas, out):
    frame, omega, vectors = crystal_modes(model, cells, out)
    band = np.floor(omega / 2) * 2
    rows, zero = {}, {}
    for s in sigmas:
        t0 = time.process_time()
        g = linewidths(frame, model, omega, vectors, 1.0, sigma=s)["gamma"].to_numpy()
        rows[f"sigma {s:g}"] = pd.Series(g).groupby(band).mean()
        zero[f"sigma {s:g}"] = int(no_resonance(g).sum())
        print(f"  sigma = {s:g}: {time.process_time() - t0:.0f} CPU s (this process)", flush=True)
    table = pd.DataFrame(rows).T
    table.columns = [f"{b:g}-{b + 2:g}" for b in table.columns]
    print("band means of Gamma / T:")
    print(table.to_markdown(floatfmt=".3g"))
    print(f"modes with Gamma = 0: {zero}")


def longitudinal_fraction(frame, vectors, cells, hmax=4):
    """Per column of ``vectors``: the fraction of its plane-wave weight sum_q |F(q)|^2,
    F(q) = sum_i u_i exp(-i q.R_i), that lies along q (1: longitudinal, 0: transverse), q on the
    supercell's reciprocal grid with |h|, |k|, |l| <= hmax, q != 0."""
    h = np.arange(-hmax, hmax + 1)
    q = 2 * np.pi / frame.box_len[0] * np.stack(np.meshgrid(h, h, h, indexing="ij"), -1).reshape(-1, 3)
    q = q[np.any(q != 0, axis=1)]
    f = np.einsum("iq,idk->qdk", np.exp(-1j * frame.positions @ q.T), vectors.reshape(frame.n, 3, -1))
    along = np.abs(np.einsum("qd,qdk->qk", q / np.linalg.norm(q, axis=1)[:, None], f)) ** 2
    return along.sum(axis=0) / (np.abs(f) ** 2).sum(axis=(0, 1))


def fit(om, tau, label):
    if len(om) < 4:
        print(f"    {label}: {len(om)} multiplets, no fit")
        return
    p, cov = np.polyfit(np.log(om), np.log(tau), 1, cov=True)
    print(f"    {label}: {len(om)} multiplets, omega {om.min():.2f}-{om.max():.2f}, tau ~ omega^-x, "
          f"x = {-p[0]:.2f} +- {np.sqrt(cov[0, 0]):.2f}")


def exponent(model, cells, sigmas, wmax, windows, out):
    frame, omega, vectors = crystal_modes(model, cells, out)
    lab = multiplets(omega)
    size = np.bincount(lab)
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    low = np.flatnonzero(omega[first] < wmax)
    check = first[low[:6]] + size[low[:6]] - 1
    sel = np.unique(np.concatenate([first[low], check]))
    print(f"  {len(low)} multiplets below omega = {wmax:g} ({size[low].sum()} modes), Gamma of {len(sel)} modes")
    modes_low = np.arange(first[low[-1]] + size[low[-1]])
    lfrac = pd.Series(longitudinal_fraction(frame, vectors[:, modes_low], cells)).groupby(lab[modes_low]).mean()
    lfrac = lfrac.loc[lab[first[low]]].to_numpy()
    print(f"  longitudinal {int((lfrac > 0.8).sum())}, transverse {int((lfrac < 0.2).sum())}, mixed "
          f"{int(((lfrac >= 0.2) & (lfrac <= 0.8)).sum())} multiplets")
    for s in sigmas:
        t0 = time.time()
        th = linewidths(frame, model, omega, vectors, 1.0, modes=sel, sigma=s).set_index("mode")
        spread = np.abs(th.loc[check, "gamma"].to_numpy() / th.loc[first[low[:6]], "gamma"].to_numpy() - 1).max()
        om, tau = omega[first[low]], th.loc[first[low], "tau"].to_numpy()
        print(f"  sigma = {s:g}: {time.time() - t0:.0f} s wall; first vs last mode of the 6 lowest multiplets: "
              f"max relative difference {spread:.1e}")
        for w in windows:
            keep = om < w
            fit(om[keep], tau[keep], f"all, omega < {w:g}")
        fit(om[lfrac > 0.8], tau[lfrac > 0.8], f"longitudinal, omega < {wmax:g}")
        fit(om[lfrac < 0.2], tau[lfrac < 0.2], f"transverse, omega < {wmax:g}")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.2f} GB")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cells", type=int, nargs="*", default=[4, 5, 6])
    ap.add_argument("--sigma", type=float, nargs="*", default=[0.05, 0.1, 0.2, 0.4])
    ap.add_argument("--exponent-cells", type=int, default=8, help="0: no exponent fit")
    ap.add_argument("--exponent-sigma", type=float, nargs="*", default=[0.1, 0.2])
    ap.add_argument("--wmax", type=float, default=6.5)
    ap.add_argument("--windows", type=float, nargs="*", default=[4.0, 5.0, 6.5])
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    out = Path(a.out or tempfile.mkdtemp(prefix="p3crystal."))
    model = p3_models({"model_params": {}})["crystal"]
    t0 = time.time()
    for cells in a.cells:
        sigma_scan(model, cells, a.sigma, out)
    if a.exponent_cells:
        exponent(model, a.exponent_cells, a.exponent_sigma, a.wmax, a.windows, out)
    print(f"\nwall time {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
