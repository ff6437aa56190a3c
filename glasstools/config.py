"""Workflow configuration: JSON-schema validation with defaults, semantic checks, expansion.

``load_config(dict)`` fails with a message naming the offending parameter and the allowed
range before any job starts: unknown model, T <= 0, density or packing fraction out of range,
N incompatible with the composition, bad fit windows, etc.
"""
from __future__ import annotations

import copy
import inspect
import math
from pathlib import Path

import jsonschema
import numpy as np
import yaml

from .configuration import Frame
from .models import get_model
from .resources import SCHEMA_PATH
from .systems import (analytic_moments, box_length, density_from_packing_fraction, sample_seed,
                      species_counts)



class ConfigError(ValueError):
    pass


def _with_defaults(cls):
    validate_props = cls.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, sub in properties.items():
                if "default" in sub and name not in instance:
                    instance[name] = copy.deepcopy(sub["default"])
        yield from validate_props(validator, properties, instance, schema)

    return jsonschema.validators.extend(cls, {"properties": set_defaults})


def _path(err) -> str:
    return "config" + "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in err.absolute_path)


def _message(err) -> str:
    """One line naming the parameter: a missing key by name, and for the schema's ``oneOf``
    alternatives (density xor packing_fraction, T number or inf) the allowed choices, instead
    of jsonschema's dump of the whole instance."""
    where = _path(err)
    if err.validator == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        return f"{where}: missing required key {', '.join(repr(k) for k in missing)}"
    if err.validator == "oneOf":
        keys = [k for alt in err.validator_value for k in alt.get("required", [])]
        if keys and isinstance(err.instance, dict):
            given = [k for k in keys if k in err.instance]
            need = " or ".join(repr(k) for k in keys)
            if not given:
                return f"{where}: missing required key {need} (give exactly one)"
            return f"{where}: give only one of {need} (got {', '.join(repr(k) for k in given)})"
        if err.absolute_path and err.absolute_path[-1] == "T":
            return f"{where} = {err.instance!r}: must be a number > 0 or inf"
    return f"{where}: {err.message}"


def library_defaults() -> dict:
    """Schema sections whose defaults live in the library: ``{section path: [(key, callable,
    parameter)]}``. The library's dataclass field / keyword default is the only place of each
    such value; ``schema()`` copies it into the schema (whose YAML gives no literal default for
    these keys), so the workflow and a direct library call use the same number."""
    from .analysis.defects import sample_defects
    from .analysis.mesoelastic import fit_mesoelastic
    from .analysis.mobility_edge import binned_participation, mobility_edge
    from .analysis.mode_structure import correlation_lengths
    from .analysis.modes import inm
    from .lammps.clones import CloneSettings
    from .lammps.minimise import MinimiseSettings
    from .lammps.neb import NEBSettings
    from .lammps.protocols import SDSettings, prepare_sample
    from .lammps.replica_exchange import REMDSettings

    def same(src, *keys):
        return [(k, src, k) for k in keys]

    from .analysis.three_phonon import linewidths
    from .lammps.vibrations import VibrationSettings, inherent_trajectory, mode_lifetimes

    return {
        ("p3", "protocol"): same(VibrationSettings, "liquid_T", "liquid_time", "anneal_time", "tdamp", "dt",
                                 "every", "production_time", "minimise_quench"),
        ("p3", "inherent"): [("ftol", MinimiseSettings, "ftol"),
                             *same(inherent_trajectory, "method", "threshold", "energy_threshold", "window", "t_end",
                                  "stride")],
        ("p3", "lifetimes"): same(mode_lifetimes, "bin_width", "max_lag_fraction", "theory_stride"),
        ("p3", "theory"): same(linewidths, "width", "cutoff_sigmas"),
        ("sd",): same(SDSettings, "zeta", "logW_targets", "W_is", "max_time", "per_decade"),
        ("systems", "sd"): same(SDSettings, "t_start", "integrator", "tol", "snapshot_rtol"),
        ("systems", "equilibration"): same(prepare_sample, "dt", "tdamp", "nvt_time", "nve_time"),
        ("systems", "remd"): same(REMDSettings, "exchange_every", "equilibration_trials", "sampling_every",
                                  "dt", "tdamp", "ranks_per_replica", "histogram_bins"),
        ("systems", "clones"): same(CloneSettings, "dt", "tau_B", "t_w", "tau", "per_decade"),
        ("systems", "clones", "landscape", "neb"): same(NEBSettings, "n_images", "kspring", "ftol", "n1", "n2",
                                                        "nevery", "timestep"),
        ("minimisers",): same(MinimiseSettings, "ftol", "maxiter", "dmax"),
        ("p4", "models"): same(prepare_sample, "overlap"),
        ("p4", "models", "mesoelastic"): same(fit_mesoelastic, "min_tau_ratio", "n_boot"),
        ("defects",): same(sample_defects, "c", "c_out", "d2min_cutoff"),
        ("analysis",): [("dense_max_dof", inm, "dense_max_dof"), ("max_sparse_vectors", inm, "max_vectors"),
                        ("xi_bootstrap", correlation_lengths, "n_boot"),
                        ("mobility_bins", binned_participation, "bins"),
                        ("mobility_spacing", binned_participation, "spacing"),
                        ("mobility_min_count", mobility_edge, "min_count")],
    }


def _tol_schedule(sd: dict, W_is: float, where: str) -> None:
    """The RKC tolerance schedule: tol_late and tol_switch_W together, with integrator rkc, the
    switch level above the IS criterion W_is (else tol_late never applies)."""
    keys = [k for k in ("tol_late", "tol_switch_W") if k in sd]
    if not keys:
        return
    if len(keys) == 1:
        other = ({"tol_late", "tol_switch_W"} - set(keys)).pop()
        raise ConfigError(f"{where}['{keys[0]}']: the tolerance schedule needs both tol_late and "
                          f"tol_switch_W (missing '{other}')")
    if sd["integrator"] != "rkc":
        raise ConfigError(f"{where}['tol_late']: the tolerance schedule applies to integrator 'rkc' only "
                          f"(got integrator {sd['integrator']!r})")
    if sd["tol_switch_W"] <= W_is:
        raise ConfigError(f"{where}['tol_switch_W'] = {sd['tol_switch_W']}: must be above sd.W_is = {W_is} "
                          "(allowed: W_is < tol_switch_W)")


def schema_section(schema: dict, path: tuple) -> dict:
    """The sub-schema of the (dict) section at ``path`` (list items stepped through)."""
    node = schema
    for key in path:
        node = node["properties"][key]
        if node.get("type") == "array":
            node = node["items"]
    return node


def library_default(src, param: str):
    """Default of ``param`` in dataclass / function ``src`` (tuples as lists, as in YAML)."""
    value = inspect.signature(src).parameters[param].default
    return list(value) if isinstance(value, tuple) else value


def schema() -> dict:
    """The configuration JSON schema with the library's defaults filled in (``library_defaults``)."""
    out = yaml.safe_load(SCHEMA_PATH.read_text())
    for path, entries in library_defaults().items():
        props = schema_section(out, path)["properties"]
        for key, src, param in entries:
            props[key]["default"] = library_default(src, param)
    return out


def validate(config: dict) -> dict:
    """Return a validated copy of ``config`` with defaults filled in; raise ``ConfigError``."""
    schema_ = schema()
    cfg = copy.deepcopy(config)
    only = {"p3", "p4"} & set(cfg)       # sections that run without systems
    if "systems" not in cfg and (not only or "seed" not in cfg):
        raise ConfigError("config: missing required key 'systems'" if "seed" in cfg or not only
                          else "config: missing required key 'seed'")
    validator = _with_defaults(jsonschema.Draft202012Validator)(schema_)
    errors = sorted(validator.iter_errors(cfg), key=lambda e: list(e.absolute_path))
    if errors:
        raise ConfigError(_message(errors[0]))
    if "p3" in cfg:
        _p3(cfg["p3"])
    cfg.setdefault("systems", [])      # a p3- or p4-only configuration
    for k, s in enumerate(cfg["systems"]):
        where = f"config['systems'][{k}]"
        try:
            model = get_model(s["model"], **s["model_params"])
            species_counts(s["N"], model.fractions)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"{where}: {exc}") from None
        s["T"] = math.inf if s["T"] == "inf" else float(s["T"])
        dim = s["dim"]
        if dim == 2 and "clones" in s:
            raise ConfigError(f"{where}['clones']: clones and NEB are 3D only; dim = 2 systems go through "
                              "prepare, quench, INM, minimisers and defects (remove 'clones' or set dim: 3)")
        if model.needs_diameters:
            _polydisperse(s, model, where)
        else:
            for key in ("diameter_ratio", "diameter_sampling", "swap"):
                if key in s:
                    raise ConfigError(f"{where}['{key}']: only for polydisperse models with per-particle "
                                      f"diameters (e.g. soft_spheres_poly); {model.name} has none")
            if "packing_fraction" in s:
                diam = [1.0] if model.type_diameters is None else model.type_diameters
                s["density"] = density_from_packing_fraction(s["packing_fraction"], diam, model.fractions, dim)
        if "clones" in s:
            _clones(s, model, where)
        if "remd" in s:
            _remd(s, model, where)
        if math.isinf(s["T"]) and _diverges_at_contact(model):
            raise ConfigError(f"{where}['T'] = inf: random (T = inf) starts need a pair energy bounded at "
                              f"r -> 0 (e.g. harmonic_spheres); {model.name} diverges there, so overlapping "
                              "random atoms are shot out of the box (lost atoms). Use a finite T")
        s.setdefault("sd", {}).setdefault("dt", model.default_sd_dt)
        _tol_schedule(s["sd"], cfg["sd"]["W_is"], f"{where}['sd']")
        s["sd"].setdefault("max_time", cfg["sd"]["max_time"])
        s["sd"].setdefault("dt_start", s["sd"]["dt"] / 20)
        for key in ("dt", "dt_start"):
            dt = s["sd"][key]
            if dt > model.max_stable_sd_dt:
                raise ConfigError(f"{where}['sd']['{key}'] = {dt} exceeds the Euler stability limit "
                                  f"{model.max_stable_sd_dt} for {model.name} (allowed: 0 < {key} <= "
                                  f"{model.max_stable_sd_dt})")
        half_box = 0.5 * box_length(s["N"], s["density"], dim)
        _box_holds_cutoff(s, model, half_box, where)
        s["fit"].setdefault("xi_window", [min(2.0, 0.5 * half_box), half_box])
        for key in ("t_window", "beta_window", "logW_window", "xi_window"):
            w = s["fit"].get(key)
            if w is not None and not w[0] < w[1]:
                raise ConfigError(f"{where}['fit']['{key}'] = {w}: need lower < upper")
        if s["fit"]["xi_window"][1] > half_box + 1e-9:
            raise ConfigError(f"{where}['fit']['xi_window'] = {s['fit']['xi_window']}: the upper end must "
                              f"be <= L/2 = {half_box:.4g} (minimum-image distances)")
    names = [system_name(s) for s in cfg["systems"]]
    for k, n in enumerate(names):
        if n in names[:k]:
            j = names.index(n)
            differ = sorted(key for key in set(config["systems"][j]) | set(config["systems"][k])
                            if config["systems"][j].get(key) != config["systems"][k].get(key))
            raise ConfigError(f"config['systems'][{j}] and config['systems'][{k}] are both {n} (duplicate "
                              f"results directory; they differ in {differ or 'nothing'}): give them "
                              "distinct 'label's")
    if "p4" in cfg:
        for k, m in enumerate(cfg["p4"]["models"]):
            _p4_model(m, f"config['p4']['models'][{k}]")
        names = [p4_name(m) for m in cfg["p4"]["models"]]
        for k, n in enumerate(names):
            if n in names[:k]:
                raise ConfigError(f"config['p4']['models'][{k}]: {n} appears twice")
    d = cfg["defects"]
    if d["c_out"] is not None and d["c_out"] < d["c"]:
        raise ConfigError(f"config['defects']['c_out'] = {d['c_out']}: must be >= c = {d['c']} (or null)")
    from .lammps.protocols import fixed_w_dump_name as snapshot_name

    targets = cfg["sd"]["logW_targets"]
    files = [snapshot_name(lw) for lw in targets]
    clash = sorted({f for f in files if files.count(f) > 1})
    if clash:
        same = [lw for lw in targets if snapshot_name(lw) in clash]
        raise ConfigError(f"config['sd']['logW_targets']: {same} give the same snapshot file(s) {clash} "
                          "(levels are stored at 0.1 resolution in log10 W); give each level once")
    if math.log10(cfg["sd"]["W_is"]) >= min(targets):
        raise ConfigError(f"config['sd']['W_is'] = {cfg['sd']['W_is']} must be below every "
                          f"fixed-W target (min log10 W = {min(targets)})")
    return cfg


def p3_models(p3: dict) -> dict:
    """The P3 models of a validated ``p3`` block: {"glass": p3_ipl12(**model_params),
    "crystal": p3_ipl12(diameters=[1.0], fractions=[1.0])} (P3 Sec. II A)."""
    return {"glass": get_model("p3_ipl12", **p3["model_params"]),
            "crystal": get_model("p3_ipl12", diameters=[1.0], fractions=[1.0])}


def _p3(p3: dict) -> None:
    """Semantic checks of the ``p3`` block (in place): sizes (composition; FCC N = 4 n^3; box >=
    twice the largest cutoff, for the minimum image of the Hessian), Δt a whole number of δt, at
    least 3 frames, far-field window inside L/2."""
    from .lammps.protocols import fcc_cells

    where = "config['p3']"
    try:
        models = p3_models(p3)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}['model_params']: {exc}") from None
    half_boxes = []
    for kind, model in models.items():
        for N in p3[kind]["N"]:
            try:
                species_counts(N, model.fractions)
                if kind == "crystal":
                    fcc_cells(N)
            except ValueError as exc:
                raise ConfigError(f"{where}['{kind}']['N']: {exc}") from None
            half = 0.5 * box_length(N, p3["density"], 3)
            _box_holds_cutoff({"N": N, "density": p3["density"], "dim": 3}, model, half, f"{where}['{kind}']")
            half_boxes.append(half)
    pr = p3["protocol"]
    ratio = pr["every"] / pr["dt"]
    if abs(ratio - round(ratio)) > 1e-9 * ratio:
        raise ConfigError(f"{where}['protocol']['every'] = {pr['every']}: must be a whole number of dt = {pr['dt']}")
    if pr["production_time"] < 2 * pr["every"]:
        raise ConfigError(f"{where}['protocol']['production_time'] = {pr['production_time']}: need at least 3 "
                          f"frames (>= 2 every = {2 * pr['every']})")
    lo, hi = p3["inherent"]["window"]
    if lo is None or lo < 0 or (hi is not None and not lo < hi):
        raise ConfigError(f"{where}['inherent']['window'] = {[lo, hi]}: need 0 <= r_min < r_max (r_max null = L/2)")
    if half_boxes and hi is not None and hi > min(half_boxes) + 1e-9:
        raise ConfigError(f"{where}['inherent']['window'] = {[lo, hi]}: r_max must be <= L/2 = "
                          f"{min(half_boxes):.4g} of the smallest box (minimum image)")


def _diverges_at_contact(model) -> bool:
    """True if the pair energy of two type-0 unit-diameter particles at r = 1e-6 r_c exceeds 1e6
    (LJ, WCA, inverse powers), False for potentials bounded at overlap (harmonic spheres).
    A many-body model: the energy of two type-1 particles at that distance (``energy_forces``)."""
    if not model.is_pair:
        rc = model.max_cutoff()
        pos = np.array([[rc, rc, rc], [rc * (1 + 1e-6), rc, rc]])
        return not float(model.energy_forces(Frame(pos, np.full(3, 4.0 * rc), 1))[0]) < 1e6
    one = np.zeros(1, dtype=int)
    d = np.ones(1)
    pt = model.pair_terms(one, one, d, d)
    return not float(model.u(1e-6 * pt.cutoff, pt.params)[0]) < 1e6


def _box_holds_cutoff(s: dict, model, half_box: float, where: str) -> None:
    """Minimum image needs L >= 2 r_c (the largest pair cutoff; for polydisperse models that of
    two d_max particles): refuse an N whose box is smaller, naming the smallest N allowed."""
    d_max = s["diameter_moments"]["d_max"] if "diameter_moments" in s else None
    rc = model.max_cutoff(None if d_max is None else np.array([d_max]))
    if 2.0 * half_box < 2.0 * rc:
        n_min = math.ceil(s["density"] * (2.0 * rc) ** s["dim"])
        raise ConfigError(f"{where}['N'] = {s['N']}: box L = {2 * half_box:.4g} is smaller than twice the "
                          f"largest cutoff 2 r_c = {2 * rc:.4g} at density {s['density']:.4g}; need N >= {n_min}")


def _polydisperse(s: dict, model, where: str) -> None:
    """Diameter distribution, density and swap settings of a polydisperse system (in place).

    Diameters follow f(d) ~ d^-3 on [d_min, d_max] with <d> = 1 and d_min/d_max =
    ``diameter_ratio`` (default: the model class's ``default_diameter_ratio``; P0 0.449, P2 0.45).
    A ``packing_fraction`` phi is converted to the nominal number density with the analytic
    D-th moment of f(d) (``glasstools.systems.analytic_moments``):

        rho = phi / (pi/6 * s^3 * <d^3>)  (D = 3),   rho = phi / (pi/4 * s^2 * <d^2>)  (D = 2),
        s = model.phi_scale

    (s = 1 for soft/harmonic spheres; s = 2^(1/6) for P2's WCA, phi = sqrt(2) pi/(6V) sum sigma_i^3).
    That density is used for derived lengths (L/2 of the fit windows); each sample's box is then
    sized from its own diameter set (``glasstools prepare --packing-fraction``), so its phi is
    exact. With ``diameter_sampling: quantiles`` (default) the set's moments equal the analytic
    ones to O(N^-2), so the density equals the nominal one; with ``random`` it fluctuates by
    O(N^-1/2). ``dim`` (2 or 3) is the system's (P0's 2D soft and harmonic spheres).
    """
    ratio = s.setdefault("diameter_ratio", float(model.default_diameter_ratio))
    s.setdefault("diameter_sampling", "quantiles")
    try:
        mom = analytic_moments(ratio)
    except ValueError as exc:
        raise ConfigError(f"{where}['diameter_ratio']: {exc}") from None
    s["diameter_moments"] = mom
    if "packing_fraction" in s:
        s["phi_scale"] = float(model.phi_scale)
        s["density"] = s["packing_fraction"] / (
            math.pi / 6.0 * model.phi_scale**3 * mom["mean_cube"] if s["dim"] == 3 else
            math.pi / 4.0 * model.phi_scale**2 * mom["mean_sq"])
    sw = s.get("swap")
    if sw is None:
        return
    if math.isinf(s["T"]):
        raise ConfigError(f"{where}['swap']: swap Monte Carlo needs a finite temperature T "
                          "(T = inf samples are random configurations)")
    n_attempts = int(round(sw["attempts"] * s["N"]))
    if n_attempts < 1:
        raise ConfigError(f"{where}['swap']['attempts'] = {sw['attempts']}: gives "
                          f"round(attempts * N) = {n_attempts} attempts per sweep; need >= 1")
    eq = s["equilibration"]
    nvt_steps = int(round(eq["nvt_time"] / eq["dt"]))
    if sw["every"] > nvt_steps:
        raise ConfigError(f"{where}['swap']['every'] = {sw['every']} exceeds the NVT stage "
                          f"({nvt_steps} steps = equilibration.nvt_time / dt): no swap sweep would run")
    if sw["delta"] <= 0:
        raise ConfigError(f"{where}['swap']['delta'] = {sw['delta']}: need delta > 0")
    sw["attempts_per_sweep"] = n_attempts


def _remd(s: dict, model, where: str) -> None:
    """Replica-exchange settings of a system, in place: the ladder is either ``temperatures``
    or geometric from ``T_min`` (default: the system's T) to ``T_max`` with ``replicas``
    temperatures (``analysis.replica_exchange.geometric_ladder``); it must increase strictly
    and hold the system's T, the target (``check_ladder``). Resolved: ``temperatures``,
    ``target_index``."""
    from .analysis.replica_exchange import check_ladder, geometric_ladder

    r = s["remd"]
    w = f"{where}['remd']"
    if math.isinf(s["T"]):
        raise ConfigError(f"{where}['T'] = inf: replica exchange needs a finite target temperature")
    if model.needs_diameters:
        raise ConfigError(f"{w}: replica exchange starts from random configurations of a model "
                          f"with fixed types; {model.name} has per-particle diameters (use 'swap')")
    geometric = [k for k in ("T_min", "T_max", "replicas") if k in r]
    if "temperatures" in r:
        if geometric:
            raise ConfigError(f"{w}: give either 'temperatures' or the geometric ladder "
                              f"('T_max', 'replicas', optional 'T_min'), not both (got {geometric})")
        key = "temperatures"
    else:
        missing = [k for k in ("T_max", "replicas") if k not in r]
        if missing:
            raise ConfigError(f"{w}: missing required key {', '.join(repr(k) for k in missing)} "
                              "(or give the ladder as 'temperatures')")
        T_min = r.get("T_min", s["T"])
        if not T_min < r["T_max"]:
            raise ConfigError(f"{w}['T_max'] = {r['T_max']}: must exceed T_min = {T_min}")
        r["temperatures"] = geometric_ladder(T_min, r["T_max"], r["replicas"]).tolist()
        key = "T_min" if "T_min" in r else "T_max"
    try:
        r["target_index"] = check_ladder(r["temperatures"], s["T"])
    except ValueError as exc:
        if "not on the ladder" in str(exc):
            raise ConfigError(f"{where}['T'] = {s['T']}: the target temperature must be on the replica "
                              f"ladder {w}['{key}'] -> {r['temperatures']}") from None
        raise ConfigError(f"{w}['{key}']: {exc}") from None
    r["replicas"] = len(r["temperatures"])


def _clones(s: dict, model, where: str) -> None:
    """Clone settings of a system (P2), in place: clone temperatures default to the parent T;
    the landscape temperature must be one of them; the two-step NEB needs the model's
    harmonic stand-in (``model.neb_stand_in``, WCA only)."""
    c = s["clones"]
    if math.isinf(s["T"]):
        raise ConfigError(f"{where}['clones']: clones copy an equilibrium configuration; the parent "
                          "T must be finite (T = inf samples are random configurations)")
    c.setdefault("T", [s["T"]])
    if len(set(c["T"])) != len(c["T"]):
        raise ConfigError(f"{where}['clones']['T'] = {c['T']}: duplicate temperatures")
    if c["dt"] > c["t_w"]:
        raise ConfigError(f"{where}['clones']['t_w'] = {c['t_w']}: must be >= dt = {c['dt']}")
    if c["dt"] > c["tau"]:
        raise ConfigError(f"{where}['clones']['tau'] = {c['tau']}: must be >= dt = {c['dt']}")
    land = c.get("landscape")
    if land is None:
        return
    if land["T"] not in c["T"]:
        raise ConfigError(f"{where}['clones']['landscape']['T'] = {land['T']}: must be one of the "
                          f"clone temperatures {c['T']}")
    neb = land["neb"]
    if neb["stand_in"] and model.neb_stand_in is None:
        raise ConfigError(f"{where}['clones']['landscape']['neb']['stand_in']: {model.name} has no "
                          "harmonic stand-in (only wca_poly); set stand_in: false")
    for key in ("n1", "n2"):
        if neb[key] % neb["nevery"]:
            raise ConfigError(f"{where}['clones']['landscape']['neb']['{key}'] = {neb[key]}: must be "
                              f"a multiple of nevery = {neb['nevery']} (LAMMPS neb)")


def _whole_steps(value: float, dt: float, where: str, unit: str = "time steps dt") -> None:
    if abs(value / dt - round(value / dt)) > 1e-9 * max(1.0, value / dt) or round(value / dt) < 1:
        raise ConfigError(f"{where} = {value}: must be a whole number (>= 1) of {unit} = {dt}")


def _p4_model(m: dict, where: str) -> None:
    """Semantic checks of one P4 model entry (in place: defaults that depend on other keys)."""
    try:
        model = get_model(m["model"])
        species_counts(m["N"], model.fractions)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: {exc}") from None
    table = {"density": "rho", "dt": "dt", "tau_nh": "tau_nh", "q_max": "q_max"}
    for key, name in table.items():      # defaults: the model's P4 Table I state point
        if key not in m and name in model.state_point:
            m[key] = model.state_point[name]
        if key not in m and key != "q_max":
            raise ConfigError(f"{where}: missing required key {key!r} ({model.name} has no P4 Table I "
                              "state point to take it from)")
    if len(set(m["T"])) != len(m["T"]):
        raise ConfigError(f"{where}['T'] = {m['T']}: duplicate temperatures")
    dt, prod = m["dt"], m["production"]
    _whole_steps(prod["every"], dt, f"{where}['production']['every']")
    if prod["every"] * 2 > prod["t_run"]:
        raise ConfigError(f"{where}['production']['t_run'] = {prod['t_run']}: need >= 2 dump intervals "
                          f"(every = {prod['every']})")
    _box_holds_cutoff({"N": m["N"], "density": m["density"], "dim": 3}, model,
                      0.5 * box_length(m["N"], m["density"], 3), where)
    inh = m["inherent"]
    inh.setdefault("every", max(1, math.floor(prod["t_run"] / inh["n"] / prod["every"] + 1e-9)) * prod["every"])
    _whole_steps(inh["every"], prod["every"], f"{where}['inherent']['every']", "dump intervals production.every")
    if inh["n"] * inh["every"] > prod["t_run"] * (1 + 1e-12):
        raise ConfigError(f"{where}['inherent']: n * every = {inh['n'] * inh['every']} exceeds "
                          f"production t_run = {prod['t_run']}")
    m.setdefault("d_window", [prod["t_run"] / 5.0, prod["t_run"] / 2.0])
    lo, hi = m["d_window"]
    if not lo < hi <= prod["t_run"]:
        raise ConfigError(f"{where}['d_window'] = {m['d_window']}: need t_lo < t_hi <= t_run = {prod['t_run']}")
    tr = m.get("transitions")
    if tr is not None:
        _whole_steps(tr["every"], dt, f"{where}['transitions']['every']")
        if tr["every"] * 2 > tr["t_run"]:
            raise ConfigError(f"{where}['transitions']['t_run'] = {tr['t_run']}: need >= 2 intervals")
        tr.setdefault("T", list(m["T"]))
        if not set(tr["T"]) <= set(m["T"]):
            raise ConfigError(f"{where}['transitions']['T'] = {tr['T']}: must be among T = {m['T']}")
    pr = m.get("propensity")
    if pr is not None:
        if pr["T"] not in m["T"]:
            raise ConfigError(f"{where}['propensity']['T'] = {pr['T']}: must be one of T = {m['T']}")
        if not m["dynamics"]:
            raise ConfigError(f"{where}['propensity']: needs tau_alpha, i.e. dynamics: true")
        if pr["configurations"] > inh["n"]:
            raise ConfigError(f"{where}['propensity']['configurations'] = {pr['configurations']}: at most "
                              f"inherent.n = {inh['n']} (the parents of the IS ensemble)")


def p4_name(m: dict) -> str:
    """Results directory (below results/p4/) of a P4 model entry: ``{model}/N{N}``."""
    return f"{m['model']}/N{m['N']}"


def load_config(path) -> dict:
    return validate(yaml.safe_load(Path(path).read_text()))


def t_label(T: float) -> str:
    return "inf" if math.isinf(T) else f"{T:g}"


def _labelled(path: str, s: dict) -> str:
    """``path`` with the system's optional ``label`` appended to its last component."""
    return f"{path}_{s['label']}" if s.get("label") else path


def _model_dir(s: dict) -> str:
    """``{model}`` (3D) or ``{model}_2d`` (dim = 2): 2D and 3D systems never share a directory."""
    return s["model"] + ("_2d" if s.get("dim", 3) == 2 else "")


def system_name(s: dict) -> str:
    """Relative results directory of a system: ``{model}/N{N}/T{T}``, or ``{model}/N{N}/T{T}_{label}``
    when the system has a ``label`` (two densities or parameter sets at one (model, N, T));
    ``{model}_2d/...`` for dim = 2."""
    return _labelled(f"{_model_dir(s)}/N{s['N']}/T{t_label(s['T'])}", s)


def size_group_name(s: dict) -> str:
    """Directory of the systems that differ from ``s`` only in N (finite-size scaling):
    ``{model}/T{T}[_{label}]``."""
    return _labelled(f"{_model_dir(s)}/T{t_label(s['T'])}", s)


def temperature_group_name(s: dict) -> str:
    """Directory of the systems that differ from ``s`` only in T (observables versus T):
    ``{model}/N{N}[_{label}]``."""
    return _labelled(f"{_model_dir(s)}/N{s['N']}", s)


def sample_seeds(cfg: dict, s: dict) -> list[int]:
    return [sample_seed(cfg["seed"], system_name(s), k) for k in range(s["samples"])]
