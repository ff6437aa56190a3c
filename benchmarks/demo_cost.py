"""Where the demo's time goes: per-rule totals of the Snakemake ``benchmark:`` files of a run.

Every rule with a ``benchmark:`` directive writes ``results/**/logs/<job>.benchmark.tsv`` (wall
seconds ``s`` and ``cpu_time`` of the job's process tree). This sums them per rule (the job
name's prefix: ``clone_T0.1_c1`` -> clone_md, ``neb_T0.1_0_4`` -> neb_pair, else the file name)
and per system, and prints a Markdown table sorted by CPU seconds. Rules without benchmark
files (tables, figures) are not in it.

Usage: python benchmarks/demo_cost.py [results] [--by-system]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

PREFIXES = {"clone": "clone_md", "neb": "neb_pair"}


def rule_of(name: str) -> str:
    head = name.split("_")[0]
    return PREFIXES.get(head, name)


def collect(results: Path) -> pd.DataFrame:
    rows = []
    for f in sorted(results.rglob("*.benchmark.tsv")):
        d = pd.read_csv(f, sep="\t").iloc[0]
        rel = f.relative_to(results).parts
        system = "/".join(p for p in rel[:3] if not p.startswith("s") or not p[1:].isdigit())
        rows.append({"rule": rule_of(f.name.removesuffix(".benchmark.tsv")), "system": system,
                     "wall_s": float(d["s"]), "cpu_s": float(d["cpu_time"])})
    return pd.DataFrame(rows)


def table(df: pd.DataFrame, by: list[str]) -> str:
    g = df.groupby(by).agg(jobs=("cpu_s", "size"), cpu_s=("cpu_s", "sum"), wall_s=("wall_s", "sum"))
    g = g.sort_values("cpu_s", ascending=False)
    total = g["cpu_s"].sum()
    lines = [f"| {' | '.join(by)} | jobs | CPU s | share | wall s (summed) |",
             "|" + "---|" * (len(by) + 4)]
    for key, r in g.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        lines.append(f"| {' | '.join(key)} | {int(r.jobs)} | {r.cpu_s:.0f} | {r.cpu_s / total:.0%} | {r.wall_s:.0f} |")
    lines.append(f"| total | {int(g['jobs'].sum())} | {total:.0f} | 100% | {g['wall_s'].sum():.0f} |")
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
