"""Initial configurations: composition, box size from density or packing fraction, seeds."""
from .state import (box_length, density_from_packing_fraction, species_counts,
                    sample_seed)

__all__ = ["box_length", "density_from_packing_fraction", "species_counts", "sample_seed"]
