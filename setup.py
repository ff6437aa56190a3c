"""Package data outside the package tree (everything else is in pyproject.toml).

``lammps_inputs/`` and ``workflow/schemas/`` stay at the top level for Snakemake's layout; a
wheel carries them as ``glasstools/_data/{lammps_inputs,schemas}`` (``glasstools.resources``).
"""
from setuptools import find_packages, setup

DATA = {"glasstools._data.lammps_inputs": "lammps_inputs",
        "glasstools._data.lammps_inputs.plugins": "lammps_inputs/plugins",
        "glasstools._data.schemas": "workflow/schemas"}

setup(packages=find_packages(include=["glasstools*"]) + list(DATA),
      package_dir=DATA,
      package_data={"glasstools._data.lammps_inputs": ["*.lmp"],
                    "glasstools._data.lammps_inputs.plugins": ["*.cpp", "*.h", "*.md"],
                    "glasstools._data.schemas": ["*.yaml"]})
