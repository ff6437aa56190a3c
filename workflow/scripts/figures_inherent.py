"""Inherent-structure figures from tables and dumps only: <phi>, chi and IS distances versus T
per (model, N) (P0 Fig. 4), or for sample 0 of a system the displacement field between the CG and
FIRE minima (P0 Fig. 5) and the D2_min / phi_i snapshot (P0 Fig. 3)."""
from glasstools.io import read_table
from glasstools.lammps.dump import read_dump
from glasstools.plots import defects as pd_
from glasstools.plots.landscape import plot_displacement_field
from script_log import to_log

sm = snakemake  # noqa: F821
to_log(sm)
title = sm.params.title
if "fig" in sm.output.keys():
    defects, _ = read_table(sm.input.defects)
    dist, _ = read_table(sm.input.dist)
    pd_.plot_defects_vs_T(defects, dist, sm.output.fig, title=title)
else:
    a_name, b_name = sm.params.pair
    # arrows r^B - r^A at the A positions: A = second of the pair (FIRE), B = first (CG): r^CG - r^FIRE
    A, B = read_dump(sm.input.b, dim=sm.params.dim), read_dump(sm.input.a, dim=sm.params.dim)
    dist, _ = read_table(sm.input.dist)
    row = dist[((dist["a"] == a_name) & (dist["b"] == b_name)) | ((dist["a"] == b_name) & (dist["b"] == a_name))]
    delta = f", Δ = {row['delta'].iloc[0]:.3g}" if len(row) else ""
    if len(row) and row["delta"].iloc[0] < 1e-12:
        delta += " (same minimum to roundoff; arrows auto-scaled)"
    plot_displacement_field(A.positions, B.positions, A.box_len, sm.output.field,
                            title=f"{title}, s0: r({a_name}) − r({b_name}){delta}")
    parts, meta = read_table(sm.input.particles)
    xyz = [c for c in "xyz" if c in parts]
    pd_.plot_defect_snapshot(parts[xyz].to_numpy(), parts[[f"d{c}" for c in xyz]].to_numpy(), parts["phi"],
                             parts["d2min"], meta["box_len"], parts["diameter"], sm.output.snapshot,
                             title=f"{title}, s0: φ = {meta['phi']:.3f}, c = {meta['c']:g}")
