"""Where the demo's time goes: per-rule totals of the Snakemake ``benchmark:`` files of a run.

Every rule of the demo (all but the local copy rules ``resolved_config`` and ``remd_sample``)
has a ``benchmark:`` directive writing ``results/**/logs/<job>.benchmark.tsv``: wall seconds
``s`` and ``cpu_time`` of the job's process tree. This sums them per rule (the job name:
``clone_T0.1_c1`` -> clone_md, ``clone_T0.1_c1_IS`` -> clone_is, ``neb_T0.1_0_4`` -> neb_pair,
``clone_overlaps_T0.1`` -> clone_overlaps, ``basin_T0.1`` -> basin, ``figure_clones_<fig>`` ->
figure_clones; else the file name) and per system, and prints a Markdown table sorted by wall
seconds.

Wall is the measure to add up: on an idle machine the jobs' summed wall is the core-seconds
they held (a 2-rank job holds 2 cores for its wall). ``cpu_time`` undercounts: Snakemake samples
the process tree every 0.5 s for the first ~15 s of a job and then every 30 s, and the CPU of
the time after the last sample is lost (a 40 s INM job shows ~13 CPU-s).

Usage: python benchmarks/demo_cost.py [results] [--by-system]
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

# job-name patterns of rules whose benchmark file carries wildcards (first match wins)
PATTERNS = [(re.compile(p), rule) for p, rule in (
    (r"^clone_T[^_]+_c\d+_IS$", "clone_is"), (r"^clone_T", "clone_md"), (r"^neb_T", "neb_pair"),
    (r"^clone_overlaps_T", "clone_overlaps"), (r"^basin_T", "basin"),
    (r"^figure_(clones|basin|remd)_", None))]


def rule_of(name: str) -> str:
    for pattern, rule in PATTERNS:
        m = pattern.match(name)
        if m:
            return rule or f"figure_{m.group(1)}"
    return name


def collect(results: Path) -> pd.DataFrame:
    rows = []
    for f in sorted(results.rglob("*.benchmark.tsv")):
        d = pd.read_csv(f, sep="\t").iloc[0]
        rel = f.relative_to(results).parts
        # the system or group: the folders above logs/, sample folders (s0, s1, ...) left out
        where = rel[:rel.index("logs")] if "logs" in rel else rel[:-1]
        system = "/".join(p for p in where if not (p.startswith("s") and p[1:].isdigit())) or "-"
        rows.append({"rule": rule_of(f.name.removesuffix(".benchmark.tsv")), "system": system,
                     "wall_s": float(d["s"]), "cpu_s": float(d["cpu_time"])})
    return pd.DataFrame(rows)


def table(df: pd.DataFrame, by: list[str]) -> str:
    g = df.groupby(by).agg(jobs=("wall_s", "size"), wall_s=("wall_s", "sum"), cpu_s=("cpu_s", "sum"))
    g = g.sort_values("wall_s", ascending=False)
    total = g["wall_s"].sum()
    lines = [f"| {' | '.join(by)} | jobs | wall s (summed) | share | CPU s (sampled) |",
             "|" + "---|" * (len(by) + 4)]
    for key, r in g.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        lines.append(f"| {' | '.join(key)} | {int(r.jobs)} | {r.wall_s:.0f} | {r.wall_s / total:.0%} | {r.cpu_s:.0f} |")
    lines.append(f"| total | {int(g['jobs'].sum())} | {total:.0f} | 100% | {g['cpu_s'].sum():.0f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="?", default="results")
    ap.add_argument("--by-system", action="store_true", help="one row per (rule, system)")
    args = ap.parse_args(argv)
    df = collect(Path(args.results))
    if df.empty:
        raise SystemExit(f"no *.benchmark.tsv under {args.results}")
    print(table(df, ["rule", "system"] if args.by_system else ["rule"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
