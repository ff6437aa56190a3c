"""The model contract: what every interaction model declares, and pair potentials as data.

``Model`` is the contract the rest of glasstools relies on (no attribute probing): every
capability below is declared here with its default, and a subclass overrides what differs.

* identity: ``name``, ``reference``, ``ntypes``, ``fractions`` (number fractions of types 1..ntypes);
* LAMMPS side: ``atom_style`` (``atomic`` or ``sphere``), ``needs_diameters`` (per-atom
  diameters are part of the configuration), ``plugin`` (the pair style comes from the glasstools
  LAMMPS plugin), ``lammps_commands()``;
* steepest descent: ``default_sd_dt`` and ``max_stable_sd_dt`` (explicit Euler needs
  dt < 2/lambda_max; LAMMPS_NOTES: KA-LJ 2e-3 loses atoms, 5e-4 is stable);
* lengths: ``max_cutoff(diameters)`` (interaction range: neighbour searches) and
  ``pair_length(...)`` (the size d_ij of a pair: neighbour criterion r < c d_ij of the defects);
  ``type_diameters`` (per-type diameters, or None) for packing fractions;
* sample preparation of polydisperse models: ``default_diameter_ratio`` and ``phi_scale``;
* P4: ``state_point`` (Table I: rho, N, dt, tau_nh, q_max), empty for other models;
* NEB: ``neb_stand_in`` (registered name of a softer model with the same minima, or None);
* serialisation: ``to_spec()`` -> ``{"name", "params"}`` (JSON-able), rebuilt by
  ``glasstools.models.from_spec``; two models are equal iff their specs are.

``PairModel`` adds the pair form E = sum_{i<j} U(r_ij): ``pair_terms`` maps per-particle
attributes (``types`` 1-based as in LAMMPS, optionally ``diameters``) to per-pair parameters,
and ``derivative(n, r, p)`` evaluates d^n U / dr^n (n = 0..3) on arrays of distances.
A many-body model subclasses ``Model`` and provides ``energy_forces(frame)`` and
``hessian(frame)`` itself (``glasstools.analysis.hessian`` dispatches on ``is_pair``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PairTerms:
    """Per-pair arrays for a set of pairs (i, j): parameters keyed by name and cutoffs."""

    params: dict
    cutoff: np.ndarray


class Model:
    """Base of every model; see the module docstring for the meaning of each attribute."""

    name: str = ""
    #: human-readable citation of the definition
    reference: str = ""
    #: number of particle species (LAMMPS atom types) the model defines
    ntypes: int = 1
    #: number fractions of the species (types 1..ntypes)
    fractions: tuple = (1.0,)
    #: LAMMPS ``atom_style`` of the decks
    atom_style: str = "atomic"
    #: per-particle diameters are part of a configuration (dump column ``diameter``/``radius``)
    needs_diameters: bool = False
    #: the LAMMPS pair style is provided by the glasstools plugin
    plugin: bool = False
    #: steepest-descent Euler step (default) and the largest step the config accepts
    default_sd_dt: float = 5.0e-4
    max_stable_sd_dt: float = 1.0e-3
    #: per-type diameters (packing fraction of type-based models), or None
    type_diameters: np.ndarray | None = None
    #: polydisperse preparation: d_min/d_max of f(d) ~ d^-3 and the effective-diameter factor s
    #: of phi = sum_i v_D(s d_i) / V (used only when ``needs_diameters``)
    default_diameter_ratio: float | None = None
    phi_scale: float = 1.0
    #: registered name of a softer model with the same minima used to pre-relax NEB chains
    #: (two-step NEB, P2), or None
    neb_stand_in: str | None = None
    #: E is a sum of pair terms (``PairModel``); otherwise the model computes its own
    #: ``energy_forces`` and ``hessian``
    is_pair: bool = False
    #: P4 Table I state point of the model (rho, N, dt, tau_nh, q_max of the largest species);
    #: empty for models outside P4 (the ``p4:`` config section then needs them given)
    state_point: dict = {}

    def params(self) -> dict:
        """Constructor keyword arguments (JSON-able) that rebuild this model."""
        return {}

    def to_spec(self) -> dict:
        """``{"name": ..., "params": {...}}``, JSON-able; ``models.from_spec`` rebuilds the model."""
        return {"name": self.name, "params": self.params()}

    def __eq__(self, other):
        return type(other) is type(self) and other.to_spec() == self.to_spec()

    def __hash__(self):
        return hash(json.dumps(self.to_spec(), sort_keys=True))

    def __repr__(self):
        return f"{type(self).__name__}(**{self.params()!r})"

    def max_cutoff(self, diameters=None) -> float:
        """Largest interaction range of any pair (used for neighbour searches)."""
        raise NotImplementedError

    def pair_length(self, types_i, types_j, diam_i=None, diam_j=None) -> np.ndarray:
        """Size d_ij of pairs (i, j) as the model defines it (sigma_ab, or the pair diameter)."""
        raise NotImplementedError

    def largest_type(self) -> int:
        """The type (1-based) with the largest like-pair size d_aa (``pair_length``): the species
        whose dynamics P4 follows (Sec. II B); the first of equal sizes, 1 for one species."""
        if self.ntypes == 1:
            return 1
        return 1 + int(np.argmax([self.pair_length(t, t) for t in range(1, self.ntypes + 1)]))

    def energy_forces(self, frame):
        """(E, forces (N, D)) of a ``Frame``; provided by many-body models."""
        raise NotImplementedError(f"{self.name}: energy_forces is not implemented")

    def hessian(self, frame):
        """Sparse Hessian (DN x DN) of a ``Frame``; provided by many-body models."""
        raise NotImplementedError(f"{self.name}: hessian is not implemented")

    def lammps_commands(self) -> list[str]:
        """``pair_style`` and ``pair_coeff`` lines reproducing the model exactly in LAMMPS."""
        raise NotImplementedError

    def describe(self) -> dict:
        """Parameters recorded in every output's metadata."""
        return {"model": self.name, "reference": self.reference}


class PairModel(Model):
    """Pair potential: subclasses define ``pair_terms``, ``_derivative``, ``pair_length``,
    ``max_cutoff`` and ``lammps_commands``.

    ``derivative(n, r, p)`` = d^n U / dr^n (n = 0..``max_derivative``) on an array of distances
    and a ``PairTerms.params`` dict of arrays of the same length; it is 0 for r >= cutoff.
    ``u``, ``du``, ``d2u``, ``d3u`` are ``derivative(0..3)``.
    """

    is_pair = True
    max_derivative = 3

    def pair_terms(self, types_i, types_j, diam_i=None, diam_j=None) -> PairTerms:
        raise NotImplementedError

    def derivative(self, n: int, r, p):
        """d^n U / dr^n at distances ``r`` for pair parameters ``p`` (0 beyond the cutoff)."""
        if n not in range(self.max_derivative + 1):
            raise ValueError(f"{self.name}: derivative order n = {n!r} not in 0..{self.max_derivative}")
        return self._derivative(n, r, p)

    def _derivative(self, n: int, r, p):
        raise NotImplementedError

    def u(self, r, p):
        return self.derivative(0, r, p)

    def du(self, r, p):
        return self.derivative(1, r, p)

    def d2u(self, r, p):
        return self.derivative(2, r, p)

    def d3u(self, r, p):
        return self.derivative(3, r, p)
