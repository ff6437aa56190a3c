"""Config validation: bad input fails before any job, naming the parameter."""
import math

import pytest
import yaml

from glasstools.config import ConfigError, validate


def base():
    return {"seed": 1, "systems": [{"model": "ka_lj_fs", "N": 500, "T": 2.0, "density": 1.204,
                                    "samples": 2}]}


def test_defaults_filled_and_demo_config_valid():
    cfg = validate(base())
    s = cfg["systems"][0]
    assert s["sd"]["dt"] == 5e-4 and s["sd"]["dt_start"] == pytest.approx(2.5e-5)
    assert s["equilibration"]["nvt_time"] == 100.0
    assert cfg["sd"]["logW_targets"][0] == -1.5 and cfg["sd"]["logW_targets"][-1] == -9.0
    demo = validate(yaml.safe_load(open("config.yaml")))
    hs = [s for s in demo["systems"] if s["model"] == "harmonic_spheres"][0]
    assert math.isinf(hs["T"])
    assert hs["density"] == pytest.approx(0.73 * 6 / math.pi)


@pytest.mark.parametrize("path, value, words", [
    (("model",), "lj_typo", "model"),
    (("T",), -1.0, "T"),
    (("T",), 0, "T"),
    (("density",), 50.0, "density"),
    (("N",), 501, "incompatible with the composition"),
    (("samples",), 0, "samples"),
    (("sd",), {"dt": 0.01}, "stability limit"),
    (("fit",), {"t_window": [1.0, 0.1]}, "t_window"),
])
def test_bad_values_are_named(path, value, words):
    cfg = base()
    cfg["systems"][0][path[0]] = value
    with pytest.raises(ConfigError, match=words):
        validate(cfg)


def test_density_xor_packing_fraction_and_unknown_keys():
    cfg = base()
    cfg["systems"][0]["packing_fraction"] = 0.7
    with pytest.raises(ConfigError):
        validate(cfg)
    cfg = base()
    cfg["temperature"] = 3
    with pytest.raises(ConfigError, match="temperature"):
        validate(cfg)


def test_duplicate_systems_rejected():
    cfg = base()
    cfg["systems"].append(dict(cfg["systems"][0]))
    with pytest.raises(ConfigError, match="duplicate"):
        validate(cfg)
