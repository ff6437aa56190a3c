"""Sample k of a replica-exchange run as a prepared sample (start.data + prepare.parquet) for the quench."""
import shutil
from pathlib import Path

from glasstools.io import read_table, write_table
from glasstools.io.tables import atomic_path

sm = snakemake  # noqa: F821
k = int(sm.wildcards.sample)
samples, meta = read_table(sm.input.table)
row = samples[samples["sample"] == k]
with atomic_path(sm.output.data) as tmp:
    shutil.copyfile(Path(sm.input.samples) / f"s{k}.data", tmp)
info = {"N": meta["N"], "T": meta["target"], "seed": meta["seed"], "box_len": meta["box_len"],
        "density": meta["density"], **row.drop(columns=["file"]).iloc[0].to_dict()}
write_table(row.assign(N=meta["N"], T=meta["target"], box_len=meta["box_len"], density=meta["density"]),
            sm.output.table, {**meta, "protocol": "prepare", "equilibration": meta["protocol"],
                              "sample": k, "data": sm.output.data, **info})
