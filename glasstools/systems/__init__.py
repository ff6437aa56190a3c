"""Initial configurations: composition, box size from density or packing fraction, seeds."""
from .polydisperse import (analytic_moments, density_for_packing_fraction, diameter_bounds,
                           packing_fraction, packing_fraction_for_density, polydispersity,
                           random_positions, sample_diameters, volume_for_packing_fraction,
                           write_lammps_data, write_random_start, WCA_PHI_SCALE, quantile_diameters,
                           RATIO_P0, RATIO_P2)
from .state import (box_length, density_from_packing_fraction, species_counts,
                    sample_seed)

__all__ = ["box_length", "density_from_packing_fraction", "species_counts", "sample_seed",
           "analytic_moments", "density_for_packing_fraction", "diameter_bounds",
           "packing_fraction", "packing_fraction_for_density", "polydispersity",
           "random_positions", "sample_diameters", "volume_for_packing_fraction",
           "write_lammps_data", "write_random_start", "quantile_diameters", "WCA_PHI_SCALE", "RATIO_P0", "RATIO_P2"]
