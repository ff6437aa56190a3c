"""Replica exchange in the workflow: a system with a `remd` block gets its prepared samples from
the replica-exchange run (rule remd_sample instead of prepare), and the quench runs on them."""
import filecmp
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from glasstools.io import read_table

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
CFG = {
    "seed": 7,
    "systems": [{"model": "ka_lj_fs", "N": 200, "T": 0.6, "density": 1.204, "samples": 2,
                 "remd": {"T_max": 0.7, "replicas": 3, "exchange_every": 100, "equilibration_trials": 10,
                          "sampling_every": 5},
                 "fit": {"t_window": [0.01, 1.0]}}],
    "sd": {"logW_targets": [-1.5, -3.0], "W_is": 1.0e-12},
}
SYS = "results/ka_lj_fs/N200/T0.6"


def test_remd_samples_feed_the_quench(tmp_path):
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(CFG))
    targets = [f"{SYS}/s1/sd/snapshots.parquet", f"{SYS}/remd/pairs.parquet", f"results/figures/ka_lj_fs_N200_T0.6_remd.png"]
    res = subprocess.run([str(SNAKEMAKE), "-s", str(ROOT / "Snakefile"), "--directory", str(tmp_path),
                          "--configfile", str(tmp_path / "config.yaml"), "--cores", "2", *targets],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
    log = res.stdout + res.stderr
    assert "rule remd_sample:" in log and "rule prepare:" not in log and log.count("rule remd:") == 1
    samples, meta = read_table(tmp_path / SYS / "remd/samples.parquet")
    assert meta["replicas"] == 3 and meta["replayed_trials_not_reproduced"] == 0
    assert samples["trial"].tolist() == [15, 20]
    row = samples[samples["sample"] == 1].iloc[0]
    assert filecmp.cmp(tmp_path / SYS / "s1/start.data", tmp_path / SYS / "remd/samples/s1.data", shallow=False)
    prep, pmeta = read_table(tmp_path / SYS / "s1/prepare.parquet")
    assert pmeta["equilibration"].startswith("replica exchange") and prep["e_pot"].iloc[0] == row["e_pot"]
    # the quench started from that configuration: its t = 0 energy is the sample's
    traj, qmeta = read_table(tmp_path / SYS / "s1/sd/trajectory.parquet")
    assert qmeta["preparation"]["trial"] == 20 and qmeta["preparation"]["walker"] == row["walker"]
    assert traj.sort_values("t")["e_pot"].iloc[0] == pytest.approx(row["e_pot"], rel=1e-9)
    assert (tmp_path / "results/figures/ka_lj_fs_N200_T0.6_remd.png").stat().st_size > 1000


def test_remd_job_runtime_is_its_md_steps_at_1_us_per_atom_step(tmp_path):
    """Dry run of the P1 campaign: (350 000 + 45 x 10 000) trials x 2800 steps x N = 1000 at 1 us per
    atom-step = 37 333 min, plus 10 (the remd rule's runtime resource)."""
    res = subprocess.run([str(SNAKEMAKE), "-s", str(ROOT / "Snakefile"), "--directory", str(tmp_path),
                          "--configfile", str(ROOT / "configs/P1_remd.yaml"), "-n",
                          "results/ka_lj_fs/N1000/T0.3971/remd/pairs.parquet"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "rule remd:" in res.stdout and "tasks=18," in res.stdout and "runtime=37343," in res.stdout
