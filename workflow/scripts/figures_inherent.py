"""Inherent-structure figures from tables and dumps only: <phi>, chi and IS distances versus T
of every (model, N) group (P0 Fig. 4), or for sample 0 of every system the displacement field
between the CG and FIRE minima (P0 Fig. 5) and the D2_min / phi_i snapshot (P0 Fig. 3); one
item of params.figs per group or system."""
from glasstools.io import read_table
from glasstools.lammps.dump import read_dump
from glasstools.plots import defects as pd_
from glasstools.plots.landscape import plot_displacement_field
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)


def defects_vs_T(inp, out, title):
    defects, _ = read_table(inp["defects"][0])
    dist, _ = read_table(inp["dist"][0])
    pd_.plot_defects_vs_T(defects, dist, out["defects_vs_T"], title=title)


def inherent_sample(inp, out, title, dim):
    a_name, b_name = sm.params.pair
    # arrows r^B - r^A at the A positions: A = second of the pair (FIRE), B = first (CG): r^CG - r^FIRE
    A, B = read_dump(inp["b"][0], dim=dim), read_dump(inp["a"][0], dim=dim)
    dist, _ = read_table(inp["dist"][0])
    row = dist[((dist["a"] == a_name) & (dist["b"] == b_name)) | ((dist["a"] == b_name) & (dist["b"] == a_name))]
    delta = f", Δ = {row['delta'].iloc[0]:.3g}" if len(row) else ""
    if len(row) and row["delta"].iloc[0] < 1e-12:
        delta += " (same minimum to roundoff; arrows auto-scaled)"
    plot_displacement_field(A.positions, B.positions, A.box_len, out["is_displacement"],
                            title=f"{title}, s0: r({a_name}) − r({b_name}){delta}")
    parts, meta = read_table(inp["particles"][0])
    xyz = [c for c in "xyz" if c in parts]
    pd_.plot_defect_snapshot(parts[xyz].to_numpy(), parts[[f"d{c}" for c in xyz]].to_numpy(), parts["phi"],
                             parts["d2min"], meta["box_len"], parts["diameter"], out["defects_snapshot"],
                             title=f"{title}, s0: φ = {meta['phi']:.3f}, c = {meta['c']:g}")


for item in sm.params.figs:
    if "dim" in item:
        inherent_sample(item["in"], item["out"], item["title"], item["dim"])
    else:
        defects_vs_T(item["in"], item["out"], item["title"])
