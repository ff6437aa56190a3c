"""Registry of models. A model's parameters live only in its module; the contract is
``glasstools.models.base.Model``."""
from __future__ import annotations

from .base import Model, PairModel, PairTerms
from .harmonic_spheres import HarmonicSpheres
from .ipl10 import IPL10
from .ipl12_fs import IPL12ForceShifted
from .ka_lj import KobAndersenFS, KobAndersenTruncated, LJForceShifted
from .mblj import ModifiedKobAndersen
from .polydisperse import HarmonicPoly, SoftSpheresPoly, WCAHarmonicStandin, WCAPoly
from .sticky_spheres import StickySpheres
from .stillinger_weber import StillingerWeber

MODELS = {
    "ka_lj_fs": KobAndersenFS,
    "ka_lj_trunc": KobAndersenTruncated,
    "lj_fs": LJForceShifted,
    "harmonic_spheres": HarmonicSpheres,
    "soft_spheres_poly": SoftSpheresPoly,
    "wca_poly": WCAPoly,
    "harmonic_poly": HarmonicPoly,
    "wca_harmonic_standin": WCAHarmonicStandin,
    "p3_ipl12": IPL12ForceShifted,
    "p4_ipl10": IPL10,
    "p4_mblj": ModifiedKobAndersen,
    "p4_sticky_spheres": StickySpheres,
    "p4_sw": StillingerWeber,
}


def get_model(name: str, **kwargs) -> Model:
    """Instantiate the model called ``name`` (see ``MODELS``)."""
    try:
        cls = MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; allowed: {sorted(MODELS)}") from None
    return cls(**kwargs)


def from_spec(spec: dict) -> Model:
    """Rebuild a model from ``Model.to_spec()`` (``{"name": ..., "params": {...}}``)."""
    try:
        name, params = spec["name"], spec.get("params", {})
    except (KeyError, TypeError):
        raise ValueError(f"model spec must be a dict with 'name' and 'params'; got {spec!r}") from None
    return get_model(name, **params)


__all__ = ["Model", "PairModel", "PairTerms", "MODELS", "from_spec", "get_model"]
