"""Registry of pair models. A model's parameters live only in its module."""
from __future__ import annotations

from .base import PairModel, PairTerms
from .harmonic_spheres import HarmonicSpheres
from .ka_lj import KobAndersenFS, LJForceShifted
from .polydisperse import HarmonicPoly, SoftSpheresPoly, WCAHarmonicStandin, WCAPoly

MODELS = {
    "ka_lj_fs": KobAndersenFS,
    "lj_fs": LJForceShifted,
    "harmonic_spheres": HarmonicSpheres,
    "soft_spheres_poly": SoftSpheresPoly,
    "wca_poly": WCAPoly,
    "harmonic_poly": HarmonicPoly,
    "wca_harmonic_standin": WCAHarmonicStandin,
}


def get_model(name: str, **kwargs) -> PairModel:
    """Instantiate the model called ``name`` (see ``MODELS``)."""
    try:
        cls = MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; allowed: {sorted(MODELS)}") from None
    return cls(**kwargs)


__all__ = ["PairModel", "PairTerms", "MODELS", "get_model"]
