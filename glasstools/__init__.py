"""glasstools: the potential energy landscape of glass-forming liquids, with LAMMPS.

Library layers (data flows down): ``models`` (pair potentials as data), ``systems``
(initial configurations), ``lammps`` (decks, running, reading dumps), ``analysis``
(pure functions on arrays), ``io`` (Parquet tables with provenance), ``plots``.
"""
__version__ = "0.1.0"
