"""Pair potentials as data: one definition serves numpy (U, U', U'') and LAMMPS.

A model maps per-particle attributes (``types`` 1-based as in LAMMPS, and optionally
``diameters``) to per-pair parameters, and evaluates the radial function and its
derivatives on arrays of pair distances. The LAMMPS side is the list of ``pair_style`` /
``pair_coeff`` commands that realise exactly the same function.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PairTerms:
    """Per-pair arrays for a set of pairs (i, j): parameters keyed by name and cutoffs."""

    params: dict
    cutoff: np.ndarray


class PairModel:
    """Base class: subclasses define ``pair_terms``, ``u``, ``du``, ``d2u`` and ``lammps_commands``.

    ``u(r, p)``, ``du(r, p)`` (dU/dr), ``d2u(r, p)`` take an array of distances and a
    ``PairTerms.params`` dict of arrays of the same length; they must return 0 for
    r >= cutoff.
    """

    name: str = ""
    #: number of particle species (LAMMPS atom types) the model defines
    ntypes: int = 1
    #: human-readable citation of the definition
    reference: str = ""
    #: number fractions of the species (types 1..ntypes)
    fractions: tuple = (1.0,)
    #: registered name of a softer model with the same minima used to pre-relax NEB chains
    #: (two-step NEB, P2), or None
    neb_stand_in: str | None = None

    def pair_terms(self, types_i, types_j, diam_i=None, diam_j=None) -> PairTerms:
        raise NotImplementedError

    def u(self, r, p):
        raise NotImplementedError

    def du(self, r, p):
        raise NotImplementedError

    def d2u(self, r, p):
        raise NotImplementedError

    def max_cutoff(self, diameters=None) -> float:
        """Largest cutoff of any pair (used for neighbour searches)."""
        raise NotImplementedError

    def lammps_commands(self) -> list[str]:
        """``pair_style`` and ``pair_coeff`` lines reproducing ``u`` exactly in LAMMPS."""
        raise NotImplementedError

    def describe(self) -> dict:
        """Parameters recorded in every output's metadata."""
        return {"model": self.name, "reference": self.reference}
