"""INM analysis time and peak memory vs N on instantaneous KA-LJ configurations.

Configuration per N: random (overlap 0.7) at rho = 1.204, 80:20, 50 CG steps to remove overlaps,
NVT at T = 2 for 1000 steps (dt = 0.005), then steepest descent (``min_style sd``) until
W = |F|^2/N <= 1e-2 (LAMMPS ftol = sqrt(N W)). Each (N, method) runs in its own subprocess
(``--child``), which reads the dump, builds the Hessian and runs ``inm`` (exact unstable count and
every unstable eigenpair with its vector: dense LAPACK by value, or sparse Pardiso inertia +
shift-invert ARPACK); it reports the times and its peak resident memory (``ru_maxrss``, whole process incl. ~0.1-0.2 GB of imports).
The child's address space is capped (``--mem-gb``) and its time limited (``--timeout``).
Usage: python benchmarks/inm_scaling.py [--sizes 1000 8000 32000] [--dense-sizes 1000]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def make_liquid(n, path, seed=11):
    from glasstools.lammps.deck import system_commands
    from glasstools.lammps.session import open_lammps
    from glasstools.systems import box_length
    from glasstools.models import get_model

    box = box_length(n, 1.204)
    lmp = open_lammps()
    lmp.commands_list([*system_commands(get_model("ka_lj_fs"), N=n, box_len=box, seed=seed, overlap=0.7),
                       "neighbor 0.3 bin",
                       "neigh_modify every 1 delay 0 check yes", "thermo_modify norm no",
                       "minimize 0 0 50 500", "reset_timestep 0", "timestep 0.005",
                       f"velocity all create 2.0 {seed} dist gaussian",
                       "fix nvt all nvt temp 2.0 2.0 0.5", "run 1000", "unfix nvt",
                       "min_style sd", f"minimize 0 {np.sqrt(n * 1e-2):.6g} 100000 1000000",
                       f"write_dump all custom {path} id type x y z modify sort id format float %.17g"])
    f = np.ctypeslib.as_array(lmp.gather_atoms("f", 1, 3))
    w = float(np.dot(f, f) / n)
    lmp.close()
    return w


def child(dump, method, mem_gb):
    lim = int(mem_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
    from glasstools.analysis.hessian import hessian
    from glasstools.analysis.modes import inm
    from glasstools.lammps.dump import read_dump
    from glasstools.models import get_model

    fr = read_dump(dump)
    t0 = time.perf_counter()
    h = hessian(fr.positions - fr.box_lo, fr.box_len, get_model("ka_lj_fs"), fr.types)
    t1 = time.perf_counter()
    res = inm(h, 3, method=method, dense_max_dof=10**9, n_lowest=1)
    t2 = time.perf_counter()
    print(json.dumps({"build_s": t1 - t0, "inm_s": t2 - t1, "f_u": res.f_u, "n_unstable": res.n_unstable,
                      "n_resolved": res.n_unstable_resolved,
                      "lam_min": float(res.eigenvalues[0]), "maxrss_gb": resource.getrusage(
                          resource.RUSAGE_SELF).ru_maxrss / 2**20}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 8000, 32000])
    ap.add_argument("--dense-sizes", type=int, nargs="*", default=[1000])
    ap.add_argument("--timeout", type=float, default=480.0)
    ap.add_argument("--mem-gb", type=float, default=14.0)
    ap.add_argument("--child", nargs=2, metavar=("DUMP", "METHOD"))
    args = ap.parse_args()
    if args.child:
        return child(*args.child, args.mem_gb)
    print(f"{'N':>6} {'W':>8} {'method':>7} {'build_s':>8} {'inm_s':>9} {'peak_GB':>8} {'n_u':>6} {'n_vec':>6} {'f_u':>8} {'lam_min':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            dump = Path(tmp) / f"liquid_{n}.lammpstrj"
            w = make_liquid(n, dump)
            for method in (["dense"] if n in args.dense_sizes else []) + ["sparse"]:
                cmd = [sys.executable, __file__, "--child", str(dump), method, "--mem-gb", str(args.mem_gb)]
                try:
                    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    print(f"{n:>6} {w:>8.2g} {method:>7}  timed out after {args.timeout:.0f} s", flush=True)
                    continue
                if out.returncode:
                    print(f"{n:>6} {w:>8.2g} {method:>7}  failed: {out.stderr.strip().splitlines()[-1]}", flush=True)
                    continue
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"{n:>6} {w:>8.2g} {method:>7} {r['build_s']:>8.3f} {r['inm_s']:>9.2f} {r['maxrss_gb']:>8.2f} "
                      f"{r['n_unstable']:>6} {r['n_resolved']:>6} {r['f_u']:>8.4f} {r['lam_min']:>9.3f}", flush=True)


if __name__ == "__main__":
    main()
