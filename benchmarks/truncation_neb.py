"""How much a truncated LJ cutoff moves a NEB barrier: the vacancy hop of tests/test_neb.py
(fcc 3x3x3, one vacancy, 107 atoms) with ``LJForceShifted(shift="force")`` (P1, lj/smooth/linear)
and ``shift="none"`` (P0's plain truncation at 2.5, lj/cut), at the densities ``--rho``.

For each: the climbing-image NEB barrier (``run_neb``, 5 images) and the barrier from the
independent constrained-saddle minimisation (hopper pinned at the midpoint, ``vacancy_hop``).
With a continuous energy both agree to roundoff; with truncation every pair crossing r_c makes
E jump by U_LJ(r_c) = -0.0163 eps, so the two stationary points found differ.
Measured here (2 cores, load ~10): rho = 1.05: force-shifted 5.321034520 vs 5.321034520 (rel.
9e-13); truncated NEB 6.1516 vs constrained 6.0642 (+1.4 %, 0.087 eps, both "converged").
rho = 1.0 (5th fcc shell at 2.509, just beyond r_c = 2.5): force-shifted 4.2366850606 both
(1e-13); truncated: the constrained minimisation falls 0.69 eps *below* E_A and the NEB finds no
barrier (saddle not converged). LAMMPS_NOTES had 3 % on an LJ vacancy hop with lj/cut 2.5.
Run: python benchmarks/truncation_neb.py [--rho 1.05 1.0]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_neb import vacancy_hop  # noqa: E402  (the one construction of the hop and its reference)

from glasstools.configuration import Frame  # noqa: E402
from glasstools.lammps.neb import NEBSettings, run_neb  # noqa: E402
from glasstools.models.ka_lj import LJForceShifted  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rho", type=float, nargs="+", default=[1.05, 1.0])
    args = ap.parse_args()
    for rho in args.rho:
        for shift in ("force", "none"):
            model = LJForceShifted(shift=shift)
            t0 = time.time()
            hop = vacancy_hop(model, rho=rho)
            box = [hop["L"]] * 3
            ref = hop["es"] - hop["ea"]
            with TemporaryDirectory() as tmp:
                res = run_neb(model, Frame(hop["xa"], box, 1), Frame(hop["xb"], box, 1), tmp,
                              NEBSettings(n_images=5, ftol=1e-8, n1=3000, n2=1000, nevery=10,
                                          timestep=0.05, kspring=5.0))
            print(f"rho {rho} shift {shift}: NEB barrier {res.barrier:.10f}, constrained saddle "
                  f"{ref:.10f}, NEB - constrained {res.barrier - ref:+.3e} "
                  f"({(res.barrier - ref) / abs(ref):+.2e} relative), saddle converged "
                  f"{res.info.get('saddle_converged')}, {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
