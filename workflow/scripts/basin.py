"""Landscape of one glass basin (P2 Fig. 7): Delta0_AB, P_AB, E_IS and NEB barriers V_AB of all
clone pairs, clones ordered by average-linkage clustering of V_AB."""
import numpy as np
import pandas as pd

from glasstools.analysis.landscape import barrier_matrix, clone_is_matrices, cluster_order, distinct_minima
from glasstools.io import read_table, write_table
from glasstools.lammps.dump import read_dump
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
s = sm.params.s
land = s["clones"]["landscape"]
frames = [read_dump(p) for p in sm.input.IS]
is_tab = pd.concat([read_table(p)[0] for p in sm.input.tables], ignore_index=True)
n = len(frames)
m = clone_is_matrices(np.stack([f.positions for f in frames]), frames[0].box_len, is_tab["energy"].to_numpy())
rows = []
for path in sm.input.neb:
    _, md = read_table(path)
    a, b = md["clone_a"], md["clone_b"]
    rows.append({"A": a, "B": b, "delta0": m["delta0"][a, b], "p_ab": m["p_ab"][a, b],
                 "barrier": md["barrier"], "e_saddle": md.get("e_saddle", np.nan),
                 "skipped": md["skipped"], "converged": md["converged"],
                 "saddle_converged": md.get("saddle_converged", False),
                 "saddle_at_endpoint": md.get("saddle_at_endpoint", False),
                 "stop": md["stop"], "neb_wall_s": md.get("wall_s", 0.0)})
pairs = pd.DataFrame(rows)
V = barrier_matrix(n, list(zip(pairs["A"], pairs["B"])), pairs["barrier"].to_numpy())
failed = int(np.isnan(V).sum() // 2)
Vfill = np.where(np.isnan(V), np.nanmax(V), V)          # failed NEB: ordered as the highest barrier
order = cluster_order(Vfill)
labels = distinct_minima(m["delta0"], land["same_tol"])
clones = pd.DataFrame({"clone": np.arange(n), "e_is": m["e_is"], "is_converged": is_tab["converged"].to_numpy(),
                       "fmax_atom": is_tab["fmax_atom"].to_numpy(), "minimum": labels,
                       "order": np.argsort(order)})
md = {"system": dict(s), "sample": int(sm.wildcards.sample), "clone_T": float(sm.wildcards.Tc),
      "n_clones": n, "n_distinct_minima": int(labels.max() + 1), "same_tol": land["same_tol"],
      "cluster_order": order.tolist(), "clustering": "average linkage on V_AB (scipy.cluster.hierarchy)",
      "neb_failed_pairs": failed, "neb_not_converged_pairs": int((~pairs["converged"]).sum()),
      "neb_saddle_not_converged_pairs": int((~pairs["saddle_converged"]).sum()),
      "neb": land["neb"], "definitions": "delta0 = (1/N) sum_i |r_i^A - r_i^B|^2 (min. image), "
      "p_ab = [sum (dr)^2]^2 / sum (dr)^4 (NaN: same IS), barrier = E_saddle - min(E_A, E_B) (0: same IS, "
      "NaN: NEB failed), energies total (not per atom)"}
write_table(pairs, sm.output.pairs, md)
write_table(clones, sm.output.clones, md)
print(f"basin: {n} clones, {md['n_distinct_minima']} distinct IS, {len(pairs) - int(pairs['skipped'].sum())} NEB, "
      f"{failed} failed, {md['neb_not_converged_pairs']} not converged")
