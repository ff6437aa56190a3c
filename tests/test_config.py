"""Config validation: bad input fails before any job, naming the parameter."""
import inspect
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


@pytest.mark.parametrize("changes, drop, needle", [
    ({}, "density", r"config\['systems'\]\[0\]: missing required key 'density' or 'packing_fraction'"),
    ({"packing_fraction": 0.6}, None, "give only one of 'density' or 'packing_fraction'"),
    ({"T": "infinity"}, None, r"\['T'\] = 'infinity': must be a number > 0 or inf"),
    ({"T": -2.0}, None, r"\['T'\] = -2.0: must be a number > 0 or inf"),
])
def test_schema_alternatives_name_the_key_not_the_system_dict(changes, drop, needle):
    cfg = base()
    cfg["systems"][0].update(changes)
    if drop:
        del cfg["systems"][0][drop]
    with pytest.raises(ConfigError, match=needle) as err:
        validate(cfg)
    assert "samples" not in str(err.value)  # the whole system dict is not dumped


@pytest.mark.parametrize("drop", ["seed", "systems"])
def test_missing_required_top_level_key_is_named(drop):
    cfg = base()
    del cfg[drop]
    with pytest.raises(ConfigError, match=f"missing required key '{drop}'"):
        validate(cfg)


def test_p3_block_alone_is_a_config_and_its_sizes_are_checked():
    p3 = {"glass": {"N": [256], "T": [0.01]}, "crystal": {"N": [256], "T": [0.1]}}
    cfg = validate({"seed": 1, "p3": p3})
    assert cfg["systems"] == [] and cfg["p3"]["protocol"]["every"] == 0.1
    for kind, N, msg in (("glass", 108, "need N >= 198"), ("crystal", 300, "N = 4 n\\^3"),
                         ("glass", 255, "incompatible with the composition")):
        bad = {**p3, kind: {"N": [N], "T": [0.01]}}
        with pytest.raises(ConfigError, match=f"config\\['p3'\\]\\['{kind}'\\]\\['N'\\].*{msg}"):
            validate({"seed": 1, "p3": bad})
    with pytest.raises(ConfigError, match="whole number of dt"):
        validate({"seed": 1, "p3": {**p3, "protocol": {"every": 0.0123}}})


@pytest.mark.parametrize("system, needle", [
    ({"sd": {"dt_start": 2e-3}}, r"\['sd'\]\['dt_start'\] = 0.002 exceeds the Euler stability limit 0.001"),
    ({"T": "inf"}, r"\['T'\] = inf: random .* ka_lj_fs diverges"),
    ({"N": 100}, r"\['N'\] = 100: box L = .* 2 r_c = 5 at density 1.204; need N >= 151"),
    ({"model": "wca_poly", "N": 40, "T": "inf", "density": None, "packing_fraction": 1.1},
     r"\['T'\] = inf: random .* wca_poly diverges"),
    ({"model": "wca_poly", "N": 40, "density": None, "packing_fraction": 1.1}, r"\['N'\] = 40: box L"),
])
def test_accepted_but_failing_later_is_refused_at_validation(system, needle):
    cfg = base()
    cfg["systems"][0].update(system)
    cfg["systems"][0] = {k: v for k, v in cfg["systems"][0].items() if v is not None}
    with pytest.raises(ConfigError, match=needle):
        validate(cfg)


def test_box_limit_is_the_cutoff_and_bounded_potentials_allow_random_starts():
    cfg = base()
    cfg["systems"][0]["N"] = 155   # L = (155 / 1.204)^(1/3) = 5.05 > 2 r_c = 5
    validate(cfg)
    hs = {"seed": 1, "systems": [{"model": "harmonic_spheres", "N": 500, "T": "inf", "packing_fraction": 0.73,
                                  "samples": 1}]}
    assert math.isinf(validate(hs)["systems"][0]["T"])


@pytest.mark.parametrize("targets", [[-1.5, -2.0, -1.5], [-2.0, -2.01]])
def test_logW_targets_giving_one_snapshot_file_are_refused(targets):
    cfg = base()
    cfg["sd"] = {"logW_targets": targets}
    with pytest.raises(ConfigError, match=r"config\['sd'\]\['logW_targets'\]: .*fixedW_-(1.5|2.0)"):
        validate(cfg)


@pytest.mark.parametrize("sd, needle", [
    ({"integrator": "rkc", "tol_late": 0.1}, r"\['sd'\]\['tol_late'\]: .*needs both .*missing 'tol_switch_W'"),
    ({"integrator": "rkc", "tol_switch_W": 0.01}, r"\['sd'\]\['tol_switch_W'\]: .*missing 'tol_late'"),
    ({"tol_late": 0.1, "tol_switch_W": 0.01}, r"\['sd'\]\['tol_late'\]: .* integrator 'rkc' only"),
    ({"integrator": "rkc", "tol_late": 0.1, "tol_switch_W": 1e-17}, r"\['sd'\]\['tol_switch_W'\] = 1e-17: must be above sd.W_is"),
    ({"integrator": "rkc", "tol_late": 1.0, "tol_switch_W": 0.01}, r"\['sd'\]\['tol_late'\]"),
    ({"integrator": "rkc", "tol_late": 0.1, "tol_switch_W": 0}, r"\['sd'\]\['tol_switch_W'\]"),
])
def test_tol_schedule_is_checked(sd, needle):
    """The RKC tolerance schedule (sd.tol_late, sd.tol_switch_W): both keys, rkc only, a switch level
    above W_is, tol_late in (0, 1); absent (the default) = no schedule."""
    cfg = base()
    cfg["systems"][0]["sd"] = sd
    with pytest.raises(ConfigError, match=needle):
        validate(cfg)
    cfg["systems"][0]["sd"] = {"integrator": "rkc", "tol_late": 0.1, "tol_switch_W": 0.01}
    assert validate(cfg)["systems"][0]["sd"]["tol_late"] == 0.1
    assert "tol_late" not in validate(base())["systems"][0]["sd"]


def test_library_defaults_are_the_only_defaults():
    """One place per default: every schema parameter with a library counterpart (dataclass field or
    keyword of the function the workflow calls) gets the library's default, and the schema YAML
    holds no literal default of its own for it that could drift (NEB n1 3000 vs 5000, timestep
    0.002 vs 0.01 before). Also walks each mapped section for unmapped keys that the library has."""
    from glasstools.config import SCHEMA_PATH, library_default, library_defaults, schema_section

    raw = yaml.safe_load(SCHEMA_PATH.read_text())
    cfg = validate({"seed": 1, "systems": [{"model": "wca_poly", "N": 250, "T": 0.6, "packing_fraction": 1.1,
                                            "samples": 1, "clones": {"n": 2, "landscape": {"T": 0.6}}},
                                           {"model": "ka_lj_fs", "N": 200, "T": 0.5, "density": 1.2,
                                            "samples": 1, "remd": {"T_max": 0.6, "replicas": 2}}],
                    "p4": p4_base(),
                    "p3": {"glass": {"N": [256], "T": [0.01]}, "crystal": {"N": [256], "T": [0.1]}}})
    checked = 0
    for path, entries in library_defaults().items():
        props = schema_section(raw, path)["properties"]
        mapped = {key for key, _, _ in entries}
        node = cfg
        for k, key in enumerate(path):
            # a list (systems): its first item that holds the section
            node = (next(n for n in node[key] if k + 1 == len(path) or path[k + 1] in n)
                    if isinstance(node[key], list) else node[key])
        for key, src, param in entries:
            assert "default" not in props[key], (path, key)
            if key in node:   # per-system sd only holds t_start from the library
                assert node[key] == library_default(src, param), (path, key)
                checked += 1
        params = set().union(*(inspect.signature(src).parameters for _, src, _ in entries))
        for key, sub in props.items():
            if "default" in sub and key not in mapped:
                assert key not in params, f"{path} {key}: literal schema default shadows the library's"
    assert checked >= 30
    neb = cfg["systems"][0]["clones"]["landscape"]["neb"]
    assert (neb["n1"], neb["n2"], neb["timestep"]) == (3000, 3000, 0.002)


def p4_base():
    return {"models": [{"model": "ka_lj_fs", "N": 250, "T": [2.0, 1.0], "density": 1.2, "dt": 0.005,
                        "tau_nh": 0.2, "equilibration": 10.0, "production": {"t_run": 20.0, "every": 0.1},
                        "transitions": {"every": 0.05, "t_run": 1.0}, "propensity": {"T": 1.0}}]}


def test_p4_only_config():
    cfg = validate({"seed": 3, "p4": p4_base()})
    assert cfg["systems"] == [] and cfg["p4"]["models"][0]["inherent"]["n"] == 4
    with pytest.raises(ConfigError, match="missing required key 'seed'"):
        validate({"p4": p4_base()})


def test_p4_defaults():
    m = validate({**base(), "p4": p4_base()})["p4"]["models"][0]
    assert m["inherent"] == {"n": 4, "every": 5.0, "method": "cg", "dipoles": 200}
    assert m["d_window"] == [4.0, 10.0] and m["dynamics"] is True
    assert m["transitions"]["T"] == [2.0, 1.0] and m["propensity"]["runs"] == 20
    assert m["mesoelastic"] == {"min_tau_ratio": 10.0, "n_boot": 1000}
    cfg = {**base(), "p4": p4_base()}
    del cfg["p4"]["models"][0]["density"]
    with pytest.raises(ConfigError, match="density"):
        validate(cfg)


@pytest.mark.parametrize("change, words", [
    ({"model": "ipl_typo"}, "unknown model"),
    ({"N": 251}, "incompatible with the composition"),
    ({"N": 40}, r"\[.N.\] = 40: box L = .* twice the largest cutoff .*; need N >= 150"),
    ({"production": {"t_run": 20.0, "every": 0.0123}}, "whole number"),
    ({"T": [2.0, 2.0]}, "duplicate"),
    ({"inherent": {"n": 5, "every": 5.0}}, "exceeds"),
    ({"d_window": [8.0, 30.0]}, "d_window"),
    ({"propensity": {"T": 0.5}}, "must be one of"),
    ({"propensity": {"T": 1.0, "configurations": 9}}, "at most"),
    ({"dynamics": False}, "needs tau_alpha"),
    ({"transitions": {"every": 0.05, "t_run": 1.0, "T": [3.0]}}, "among"),
])
def test_p4_bad_values_are_named(change, words):
    cfg = {**base(), "p4": p4_base()}
    cfg["p4"]["models"][0].update(change)
    with pytest.raises(ConfigError, match=words):
        validate(cfg)
