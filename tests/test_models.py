"""The model contract: derivatives U', U'', U''' of every registered pair model against finite
differences of the lower derivative, serialisation round trips, declared capabilities."""
import json

import numpy as np
import pytest

from glasstools.models import MODELS, Model, PairModel, from_spec, get_model

#: every registered model with its default parameters, plus parameter sets that exercise params
CASES = [(name, {}) for name in MODELS] + [
    ("harmonic_spheres", {"diameters": [1.0, 1.4], "fractions": [0.5, 0.5], "v0": 2.5}),
    ("lj_fs", {"eps": [[1.0, 0.7], [0.7, 0.4]], "sigma": [[1.0, 1.1], [1.1, 1.2]],
               "fractions": [0.3, 0.7], "rc_over_sigma": 2.2}),
    ("soft_spheres_poly", {"eps_na": 0.1, "energy": 1.7}),
    ("wca_poly", {"eps_na": 0.0, "energy": 0.5}),
]
IDS = [f"{n}-{k}" for k, (n, _) in enumerate(CASES)]
#: the pair models among them (many-body models have no pair derivatives; see tests/test_p4_models.py)
PAIR = [(c, i) for c, i in zip(CASES, IDS) if MODELS[c[0]].is_pair]
PAIR_CASES, PAIR_IDS = [c for c, _ in PAIR], [i for _, i in PAIR]


def _pairs(model, n=400, seed=0):
    """Pair parameters and distances r strictly inside the cutoff (0.8 .. 0.97 of it, and above
    0.85 d_ij so that LJ-type cores are sampled where they are finite)."""
    rng = np.random.default_rng(seed)
    ti = rng.integers(1, model.ntypes + 1, n)
    tj = rng.integers(1, model.ntypes + 1, n)
    di = dj = None
    if model.needs_diameters:
        di, dj = rng.uniform(0.75, 1.3, n), rng.uniform(0.75, 1.3, n)
    terms = model.pair_terms(ti, tj, di, dj)
    length = model.pair_length(ti, tj, di, dj)
    lo = np.maximum(0.85 * length, 0.5 * terms.cutoff)
    r = lo + rng.random(n) * (0.97 * terms.cutoff - lo)
    assert np.all(r < terms.cutoff)
    return r, terms.params


def test_every_registered_model_is_covered():
    assert {n for n, _ in CASES} == set(MODELS)


@pytest.mark.parametrize("name,params", PAIR_CASES, ids=PAIR_IDS)
@pytest.mark.parametrize("order", [1, 2, 3])
def test_derivative_matches_finite_difference_of_lower_one(name, params, order):
    model = get_model(name, **params)
    r, p = _pairs(model)
    h = 1e-6
    fd = (model.derivative(order - 1, r + h, p) - model.derivative(order - 1, r - h, p)) / (2 * h)
    exact = model.derivative(order, r, p)
    scale = max(np.abs(exact).max(), np.abs(model.derivative(order - 1, r, p)).max())
    np.testing.assert_allclose(exact, fd, rtol=0, atol=1e-6 * scale)


@pytest.mark.parametrize("name,params", PAIR_CASES, ids=PAIR_IDS)
def test_aliases_and_zero_beyond_cutoff(name, params):
    model = get_model(name, **params)
    r, p = _pairs(model, n=50, seed=1)
    for n, fn in enumerate((model.u, model.du, model.d2u, model.d3u)):
        np.testing.assert_array_equal(fn(r, p), model.derivative(n, r, p))
    terms_cut = model.pair_terms(*_types_diams(model, 50))
    beyond = terms_cut.cutoff * 1.01
    for n in range(4):
        assert np.all(model.derivative(n, beyond, terms_cut.params) == 0.0)
    with pytest.raises(ValueError, match="derivative order n = 4 not in 0..3"):
        model.derivative(4, r, p)


def _types_diams(model, n):
    rng = np.random.default_rng(2)
    t = rng.integers(1, model.ntypes + 1, n)
    d = rng.uniform(0.75, 1.3, n) if model.needs_diameters else None
    return t, t[::-1].copy(), d, None if d is None else d[::-1].copy()


@pytest.mark.parametrize("name,params", CASES, ids=IDS)
def test_spec_round_trip(name, params):
    model = get_model(name, **params)
    spec = json.loads(json.dumps(model.to_spec()))     # through JSON: any process can rebuild it
    assert spec["name"] == name
    again = from_spec(spec)
    assert again == model and hash(again) == hash(model) and type(again) is type(model)
    assert again.describe() == model.describe()
    assert again.lammps_commands() == model.lammps_commands()
    if model.is_pair:
        r, p = _pairs(model, n=20, seed=3)
        np.testing.assert_array_equal(again.u(r, p), model.u(r, p))


def test_spec_distinguishes_parameters_and_rejects_bad_specs():
    a = get_model("harmonic_spheres", diameters=[1.0, 1.4], fractions=[0.5, 0.5])
    b = get_model("harmonic_spheres", diameters=[1.0, 1.2], fractions=[0.5, 0.5])
    assert a != b and from_spec(a.to_spec()) != b
    assert get_model("wca_poly") != get_model("wca_harmonic_standin")
    with pytest.raises(ValueError, match="unknown model 'nope'"):
        from_spec({"name": "nope", "params": {}})
    with pytest.raises(ValueError, match="'name' and 'params'"):
        from_spec(["wca_poly"])


def test_capabilities_declared_in_the_base_class():
    """Every capability other modules use is a plain attribute of every model."""
    names = ("atom_style", "needs_diameters", "plugin", "default_sd_dt", "max_stable_sd_dt",
             "type_diameters", "default_diameter_ratio", "phi_scale", "neb_stand_in", "is_pair",
             "ntypes", "fractions")
    for name in names:
        assert name in vars(Model), name
    for cls in MODELS.values():
        m = cls()
        assert isinstance(m, PairModel) == m.is_pair
        assert m.atom_style in ("atomic", "sphere")
        assert m.needs_diameters == (m.atom_style == "sphere")
        assert 0 < m.default_sd_dt <= m.max_stable_sd_dt
        assert m.neb_stand_in is None or m.neb_stand_in in MODELS
        if m.needs_diameters:
            assert m.default_diameter_ratio is not None and m.plugin
