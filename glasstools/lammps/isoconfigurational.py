"""Isoconfigurational ensemble: many MD runs from one configuration with fresh velocities.

Widmer-Cooper, Harrowell, Fynewever, PRL 93, 135701 (2004); P4 (Kapteijns et al., JCP 155,
074502 (2021)) Sec. III B: 20 runs per configuration, each with velocities drawn from the
Maxwell-Boltzmann distribution at T, positions recorded after t = tau_alpha/10. Here every run
is NVT Nose-Hoover (``fix nvt``, damping ``tdamp``: P4's MD protocol, Table I tau_NH), restarted
from the same positions (image flags zeroed, a fresh thermostat) with the velocity seed
``seed + k`` for run k; all runs share one LAMMPS session. The mobility is computed from the
returned displacements by ``glasstools.analysis.propensity.mobility``.
"""
from __future__ import annotations

import math

import numpy as np

from ..configuration import Frame
from ..geometry import wrap
from .deck import create_system
from .session import LammpsFailure, lammps_session


def isoconfigurational_displacements(model, frame: Frame, *, T: float, t: float, runs: int, seed: int,
                                     dt: float, tdamp: float, log=None,
                                     neighbor_skin: float = 0.3) -> np.ndarray:
    """Displacements r_i(t) - r_i(0) (unwrapped, shape (runs, N, D)) of ``runs`` NVT runs of
    duration ``t`` (rounded to a whole number of steps dt, at least one) from ``frame``."""
    if runs < 1:
        raise ValueError(f"runs must be >= 1, got {runs}")
    for name, value in (("T", T), ("t", t), ("dt", dt), ("tdamp", tdamp)):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a finite number > 0, got {value}")
    steps = max(1, int(round(t / dt)))
    x0 = wrap(frame.positions, frame.box_len, frame.box_lo)
    flat = np.ctypeslib.as_ctypes(np.ascontiguousarray(x0.ravel()))
    out = np.empty((runs,) + x0.shape)
    with lammps_session(model=model, log=log, what="isoconfigurational MD") as lmp:
        create_system(lmp, model, frame.types, x0, frame.box_lo, frame.box_len, frame.diameters)
        lmp.commands_list([f"neighbor {neighbor_skin} bin", "neigh_modify every 1 delay 0 check yes",
                           "thermo_modify lost error norm no", f"timestep {dt!r}",
                           "compute xu all property/atom xu yu zu"])
        for k in range(runs):
            lmp.scatter_atoms("x", 1, 3, flat)
            lmp.commands_list([
                "set group all image 0 0 0", "reset_timestep 0",
                f"velocity all create {T!r} {seed + k} dist gaussian mom yes rot no loop geom",
                f"fix md all nvt temp {T!r} {T!r} {tdamp!r}", f"run {steps} post no", "unfix md"])
            if not math.isfinite(lmp.get_thermo("pe")):
                raise LammpsFailure(f"non-finite energy in isoconfigurational run {k} (see {log})")
            xu = np.array(lmp.gather("c_xu", 1, 3), float).reshape(x0.shape)
            out[k] = xu - x0
    return out
