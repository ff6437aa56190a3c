"""The configuration Snakemake plans from: the user's --configfile is the whole truth (the demo
config.yaml is only the default when none is given), with the schema's defaults filled in."""
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from glasstools.config import schema as config_schema

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).parent / "snakemake"

CAMPAIGN = {"seed": 3, "systems": [{"model": "ka_lj_fs", "N": 200, "T": 2.0, "density": 1.204, "samples": 1}]}


def snakemake(workdir: Path, cfg: dict, *args):
    """Run in ``workdir`` holding the demo config.yaml, as a user does from the repository root."""
    (workdir / "config.yaml").write_text((ROOT / "config.yaml").read_text())
    (workdir / "user.yaml").write_text(yaml.safe_dump(cfg))
    return subprocess.run([str(SNAKEMAKE), "-s", str(ROOT / "Snakefile"), "--directory", str(workdir),
                           "--configfile", str(workdir / "user.yaml"), "--cores", "1", *args],
                          capture_output=True, text=True)


@pytest.mark.parametrize("cfg, key", [({"seed": 5}, "systems"), ({"systems": CAMPAIGN["systems"]}, "seed")])
def test_incomplete_user_config_is_refused_not_merged_into_the_demo(tmp_path, cfg, key):
    res = snakemake(tmp_path, cfg, "-n")
    assert res.returncode != 0
    assert f"missing required key '{key}'" in res.stdout + res.stderr
    assert "soft_spheres_poly" not in res.stdout + res.stderr  # the demo's systems are never planned


def test_campaign_config_gets_schema_defaults_not_the_demo_values(tmp_path):
    res = snakemake(tmp_path, CAMPAIGN, "results/config.resolved.yaml")
    assert res.returncode == 0, res.stderr[-2000:]
    cfg = yaml.safe_load((tmp_path / "results/config.resolved.yaml").read_text())
    schema = config_schema()["properties"]    # with the library's defaults filled in
    demo = yaml.safe_load((ROOT / "config.yaml").read_text())
    for section, key in (("analysis", "spectrum_bins"), ("analysis", "mobility_bins"), ("defects", "c_out")):
        assert cfg[section][key] == schema[section]["properties"][key]["default"]
        assert cfg[section][key] != demo[section][key]  # would be the demo's if Snakemake merged it
    assert [s["N"] for s in cfg["systems"]] == [200]
    res = snakemake(tmp_path, CAMPAIGN, "-n")
    assert res.returncode == 0 and "wca_poly" not in res.stdout


def test_two_densities_at_one_model_N_T_get_separate_directories(tmp_path):
    """A `label` tells apart systems at the same (model, N, T): own directories, seeds, groups."""
    dense = dict(CAMPAIGN["systems"][0])
    loose = {**dense, "density": 1.1, "label": "rho1.1"}
    res = snakemake(tmp_path, {"seed": 3, "systems": [dense, loose]}, "-n")
    assert res.returncode == 0, res.stderr[-2000:]
    for name in ("ka_lj_fs/N200/T2", "ka_lj_fs/N200/T2_rho1.1"):
        assert f"results/{name}/s0/start.data" in res.stdout
        assert f"results/{name}/fits.parquet" in res.stdout
    assert "results/figures/ka_lj_fs_N200_rho1.1_W_t.png" in res.stdout       # its own T group
    assert "results/ka_lj_fs/N200/defects_vs_T.parquet" in res.stdout          # the unlabelled one's
    # the same system without a label: an error naming both entries
    unlabelled = {k: v for k, v in loose.items() if k != "label"}
    res = snakemake(tmp_path, {"seed": 3, "systems": [dense, unlabelled]}, "-n")
    out = res.stdout + res.stderr
    assert res.returncode != 0
    assert "config['systems'][0] and config['systems'][1] are both ka_lj_fs/N200/T2" in out and "label" in out


def test_resolved_config_follows_the_config(tmp_path):
    """results/config.resolved.yaml is rewritten when the configuration changes (its text is a rule
    parameter), so the provenance file never describes an earlier run's settings."""
    assert snakemake(tmp_path, CAMPAIGN, "results/config.resolved.yaml").returncode == 0
    res = snakemake(tmp_path, {**CAMPAIGN, "seed": 4}, "results/config.resolved.yaml")
    assert res.returncode == 0, res.stderr[-2000:]
    assert yaml.safe_load((tmp_path / "results/config.resolved.yaml").read_text())["seed"] == 4
