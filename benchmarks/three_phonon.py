"""Three-phonon linewidths Gamma_k of every mode (glasstools.analysis.three_phonon) on P3 glasses.

Glass: P3's force-shifted r^-12 mixture (``p3_ipl12``) at rho = 1.015, random start (create_atoms,
overlap 0.75), inherent structure by glasstools' FIRE (``glasstools.lammps.minimise``, max |F_i| <=
1e-10). Prints one table, a row per measurement, each with the 1-min load average (``os.getloadavg``)
at its end and the CPUs this process may use:
  * N = --n (default 1000): ``normal_modes`` (dense eigh) and ``linewidths`` for all 3N - 3 modes
    (windowed resonant triples, for each of --widths level spacings (default 5 and 10), cut at 3
    std), wall time, CPU time, peak RSS;
  * N = --dense-n (default 256): the same windowed runs and the dense brute force
    (``linewidths_dense``, every mode, first width) timed, their max relative difference, and the
    brute force extrapolated as N^4 to --n;
  * the convergence table: mean Gamma in omega bins of width 2 for each (N, width);
  * LAMMPS ``third_order`` (PHONON package, finite differences, third-order constants only, no Gamma)
    on N = --lammps-n (default 128; 0 skips), extrapolated as N^2 (it displaces every atom pair);
  * optional, --band-n (e.g. 4000): Gamma of the modes with omega in --band (default 9 10) only,
    time and peak RSS (the full eigh dominates: ~ (3N)^3).
Usage: python benchmarks/three_phonon.py [--n 1000] [--dense-n 256] [--lammps-n 128] [--band-n 4000]
"""
from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time

import numpy as np
import psutil

from glasstools.analysis import three_phonon as tp
from glasstools.analysis.harmonic import normal_modes
from glasstools.configuration import Frame
from glasstools.lammps.deck import system_commands
from glasstools.lammps.minimise import minimise
from glasstools.lammps.session import open_lammps
from glasstools.models import get_model
from glasstools.systems import box_length

RHO = 1.015
MODEL = get_model("p3_ipl12")


def random_start(n, seed=11):
    lmp = open_lammps()
    lmp.commands_list(system_commands(MODEL, N=n, box_len=box_length(n, RHO), seed=seed, overlap=0.75))
    x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).copy()
    t = np.ctypeslib.as_array(lmp.gather_atoms("type", 0, 1)).copy()
    lmp.close()
    return Frame(x, np.full(3, box_length(n, RHO)), t)


def inherent_structure(n):
    fr = random_start(n)
    res = minimise(MODEL, fr, "fire")
    if not res.converged:
        raise RuntimeError(f"FIRE did not converge for N = {n}: {res.stop}")
    return Frame(res.positions, fr.box_len, fr.types)


class PeakRSS:
    """Peak resident memory of this process (sampled every 20 ms) while the block runs."""

    def __enter__(self):
        self.proc, self.peak, self._stop = psutil.Process(), 0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            self._stop.wait(0.02)

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)
        self.gb = self.peak / 1e9


ROWS = []
GAMMA = {}   # (N, width) -> linewidths table, for the convergence table


def row(what, n, seconds, rss_gb=float("nan"), cpu=float("nan"), note=""):
    ROWS.append((what, n, seconds, cpu, rss_gb, os.getloadavg()[0], note))
    print(f"  ... {what} N={n}: {seconds:.1f} s {note}", flush=True)


def all_modes(n, widths, T, dense):
    """IS, normal modes and windowed Gamma for each width (and the dense brute force at widths[0])."""
    fr = inherent_structure(n)
    (om, e), *m = timed(lambda: normal_modes(fr, MODEL))
    row("normal_modes (dense eigh)", n, *m)
    for w in widths:
        df, dt, gb, cpu = timed(lambda: tp.linewidths(fr, MODEL, om, e, T, width=w))
        a = df.attrs
        row(f"linewidths windowed, all modes, width {w:g}", n, dt, gb, cpu,
            f"thread s: K {a['cpu_seconds_k_blocks']:.0f}, Y {a['cpu_seconds_y']:.0f}, "
            f"window {a['cpu_seconds_window']:.0f}")
        GAMMA[n, w] = df
    if dense:
        ref, *m = timed(lambda: tp.linewidths_dense(fr, MODEL, om, e, T, width=widths[0]))
        diff = float(np.max(np.abs(GAMMA[n, widths[0]]["gamma"] - ref["gamma"]) / ref["gamma"]))
        row(f"linewidths_dense (brute force), width {widths[0]:g}", n, *m,
            note=f"max rel. diff to windowed {diff:.1e}")
        return m[0], m[2]
    return None


def timed(fn):
    """(result, wall s, peak RSS GB, CPU s of this process: user + system, all threads)."""
    proc = psutil.Process()
    c0, t0 = sum(proc.cpu_times()[:2]), time.perf_counter()
    with PeakRSS() as mem:
        out = fn()
    return out, time.perf_counter() - t0, mem.gb, sum(proc.cpu_times()[:2]) - c0


def lammps_third_order(n):
    """(wall s, CPU s, output bytes) of LAMMPS ``third_order all regular 1e-5`` on the N-atom IS."""
    fr = inherent_structure(n)
    with tempfile.TemporaryDirectory() as tmp:
        lmp = open_lammps()
        lmp.commands_list([*system_commands(MODEL, N=n, box_len=float(fr.box_len[0]), seed=11, overlap=0.75),
                           "neighbor 0.3 bin"])
        lmp.scatter_atoms("x", 1, 3, np.ctypeslib.as_ctypes(fr.positions.ravel().copy()))
        _, dt, _, cpu = timed(lambda: lmp.command(f"third_order all regular 1e-5 file {tmp}/third.dat"))
        size = os.path.getsize(f"{tmp}/third.dat")
        lmp.close()
    return dt, cpu, size


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--dense-n", type=int, default=256)
    ap.add_argument("--lammps-n", type=int, default=128)
    ap.add_argument("--band-n", type=int, default=0)
    ap.add_argument("--band", type=float, nargs=2, default=[9.0, 10.0])
    ap.add_argument("--widths", type=float, nargs="+", default=[5.0, 10.0])
    ap.add_argument("--T", type=float, default=0.01)
    args = ap.parse_args()
    cpus = len(os.sched_getaffinity(0))

    widths = args.widths
    if args.dense_n:
        dt_d = all_modes(args.dense_n, widths, args.T, dense=True)
        if args.n:
            f = (args.n / args.dense_n) ** 4
            row("linewidths_dense, extrapolated N^4", args.n, dt_d[0] * f, cpu=dt_d[1] * f, note="estimate")

    if args.lammps_n:
        dt, cpu, size = lammps_third_order(args.lammps_n)
        row("LAMMPS third_order (FD constants only)", args.lammps_n, dt, cpu=cpu,
            note=f"text output {size / 1e6:.0f} MB")
        for m in sorted({args.dense_n, args.n} - {0}):
            f = (m / args.lammps_n) ** 2
            row("LAMMPS third_order, extrapolated N^2", m, dt * f, cpu=cpu * f, note="estimate")

    if args.n:
        all_modes(args.n, widths, args.T, dense=False)

    if args.band_n:
        fr = inherent_structure(args.band_n)
        (om, e), *m = timed(lambda: normal_modes(fr, MODEL))
        row("normal_modes (dense eigh)", args.band_n, *m)
        band = np.flatnonzero((om >= args.band[0]) & (om < args.band[1]))
        df, *m = timed(lambda: tp.linewidths(fr, MODEL, om, e, args.T, modes=band, width=widths[0]))
        row(f"linewidths, band {args.band[0]:g} <= omega < {args.band[1]:g}", args.band_n, *m,
            note=f"{len(band)} of {len(om)} modes, median Gamma {df['gamma'].median():.3g}")
        del e

    print(f"\nThree-phonon linewidths, P3 glass (p3_ipl12, rho {RHO}), T = {args.T}, widths {args.widths} "
          f"level spacings, cut 3 std; {cpus} CPUs; CPU s = user + system time of all threads")
    print(f"{'what':<50} {'N':>6} {'wall s':>8} {'CPU s':>8} {'peak RSS GB':>11} {'load':>5}  note")
    for what, n, s, cpu, gb, load, note in ROWS:
        print(f"{what:<50} {n:>6} {s:>8.1f} {cpu:>8.1f} {gb:>11.2f} {load:>5.1f}  {note}")
    if GAMMA:
        keys = sorted(GAMMA)
        edges = np.arange(0.0, 26.0, 2.0)
        print("\nConvergence: mean Gamma in omega bins (T = %g) for each (N, width in level spacings)" % args.T)
        print(f"{'omega bin':>11} " + " ".join(f"{f'N={n} w={w:g}':>14}" for n, w in keys))
        for lo, hi in zip(edges[:-1], edges[1:]):
            vals = []
            for k in keys:
                df = GAMMA[k]
                sel = (df["omega"] >= lo) & (df["omega"] < hi)
                vals.append(f"{df['gamma'][sel].mean():>14.4g}" if sel.any() else f"{'-':>14}")
            print(f"{lo:>5.0f}-{hi:<5.0f} " + " ".join(vals))


if __name__ == "__main__":
    main()
