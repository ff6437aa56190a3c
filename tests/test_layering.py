"""Layering of the package: no import cycles between glasstools modules (module-level or inside
functions), and the numpy-level layers (analysis, models, systems, geometry, plots) never import
the LAMMPS layer."""
from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "glasstools"


def module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the glasstools modules it imports anywhere in its body (relative imports
    resolved; ``from pkg import name`` counts as importing ``pkg.name`` when that is a module)."""
    files = {module_name(p): p for p in PKG.rglob("*.py")}
    graph = {}
    for mod, path in files.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in files else base
                           for a in node.names]
            else:
                continue
            deps |= {t for t in targets if t in files and t != mod}
        graph[mod] = deps
    return graph


def cycles(graph) -> list[list[str]]:
    """Every elementary cycle found by depth-first search (one representative per cycle)."""
    found, seen = [], set()

    def visit(node, stack):
        for nxt in sorted(graph[node]):
            if nxt in stack:
                cyc = stack[stack.index(nxt):]
                key = frozenset(cyc)
                if key not in seen:
                    seen.add(key)
                    found.append(cyc + [nxt])
            elif len(stack) < 12:
                visit(nxt, stack + [nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


def test_graph_sees_lazy_imports():
    g = import_graph()
    assert "glasstools.lammps.session" in g["glasstools.lammps.minimise"]
    assert "glasstools.lammps.dump" in g["glasstools.lammps.minimise"]   # imported in a function


def test_no_import_cycles():
    # a module importing its own package's __init__ (re-exports) is not a cycle of its own
    g = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in import_graph().items()}
    assert cycles(g) == []


def test_numpy_layers_do_not_import_lammps():
    bad = {m: sorted(d for d in deps if d.startswith("glasstools.lammps"))
           for m, deps in import_graph().items()
           if m.split(".")[1:2] and m.split(".")[1] in ("analysis", "models", "systems", "plots")}
    assert {m: d for m, d in bad.items() if d} == {}
