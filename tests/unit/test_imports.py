"""How the packages may import each other, checked on every test run (issue 14).

1. No import cycle between modules, nor between packages (a package is a folder:
   ``scoring`` and ``scoring.workshop`` are two). Imports made only for annotations
   (under ``if TYPE_CHECKING:``) and imports inside functions count too: a cycle hidden
   that way is still a cycle for whoever reads the code.
2. No folder holds more than 20 modules side by side.
3. ``common`` imports no other package of ours; ``storage`` imports none of scoring,
   reports, ui or app_pages.
4. One front door to storage: the app's code outside storage/ (app.py, app_pages/, ui/,
   reports/, scoring/, questions/, corpus/, common/) imports ``storage`` only, never
   its modules. Tests and benchmarks may reach inside: they check the modules one by one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("common", "questions", "corpus", "scoring", "storage", "reports", "ui", "app_pages")
APP_CODE = ("app", *PACKAGES)
MAX_MODULES = 20


def module_files() -> dict[str, Path]:
    """Dotted module name -> file, for app.py and every module of our packages."""
    found = {"app": ROOT / "app.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def package_of(module: str, modules: dict[str, Path]) -> str:
    """The folder a module sits in (a package's ``__init__`` belongs to the package)."""
    if modules.get(module, Path()).name == "__init__.py" or "." not in module:
        return module
    return module.rsplit(".", 1)[0]


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported module of ours, line) for every import in the file, wherever it sits.

    ``from pkg import name`` counts as importing ``pkg.name`` when that is a module of
    ours, else as importing ``pkg`` itself; relative imports are resolved.
    """
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in APP_CODE:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] not in APP_CODE:
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield (full if full in modules else base), node.lineno


def graph() -> dict[str, dict[str, int]]:
    """Module -> {module it imports: first line}, for our modules only."""
    modules = module_files()
    edges: dict[str, dict[str, int]] = {m: {} for m in modules}
    for module, path in modules.items():
        for target, line in imports_of(module, path, modules):
            if target in modules and target != module:
                edges[module].setdefault(target, line)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_cycle_between_modules() -> None:
    found = cycles({m: set(targets) for m, targets in graph().items()})
    assert not found, "modules that import each other, directly or round a loop: " + "; ".join(
        ", ".join(group) for group in found
    )


def test_no_cycle_between_packages() -> None:
    modules = module_files()
    edges: dict[str, set[str]] = {}
    for module, targets in graph().items():
        source = package_of(module, modules)
        for target in targets:
            other = package_of(target, modules)
            if other != source:
                edges.setdefault(source, set()).add(other)
    assert not cycles(edges), f"packages that import each other: {cycles(edges)}"


def test_no_folder_holds_more_than_20_modules() -> None:
    modules = module_files()
    counts: dict[str, int] = {}
    for module, path in modules.items():
        if path.name not in {"__init__.py", "__main__.py"}:
            counts[package_of(module, modules)] = counts.get(package_of(module, modules), 0) + 1
    crowded = {package: n for package, n in counts.items() if n > MAX_MODULES}
    assert not crowded, f"split these by job (more than {MAX_MODULES} modules): {crowded}"


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("common", ("questions", "corpus", "scoring", "storage", "reports", "ui", "app_pages")),
        ("corpus", ("questions", "scoring", "storage", "reports", "ui", "app_pages")),
        ("questions", ("scoring", "storage", "reports", "ui", "app_pages")),
        ("scoring", ("storage", "reports", "ui", "app_pages")),
        ("storage", ("scoring", "reports", "ui", "app_pages")),
        ("reports", ("ui", "app_pages")),
    ],
)
def test_layers_only_import_downwards(package: str, forbidden: tuple[str, ...]) -> None:
    wrong = [
        f"{module} imports {target} (line {line})"
        for module, targets in graph().items()
        if module.split(".")[0] == package
        for target, line in targets.items()
        if target.split(".")[0] in forbidden
    ]
    assert not wrong, "\n".join(wrong)


def test_storage_has_one_front_door() -> None:
    inside = [
        f"{module} imports {target} (line {line}): import it from `storage`"
        for module, targets in graph().items()
        if module.split(".")[0] != "storage"
        for target, line in targets.items()
        if target.startswith("storage.")
    ]
    assert not inside, "\n".join(inside)


def test_the_checks_see_what_they_look_for(tmp_path: Path) -> None:
    """The graph reads every kind of import, and the cycle finder finds loops."""
    modules = {"scoring.a": Path("a.py"), "scoring": Path("__init__.py"), "storage.b": Path("b.py")}
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from storage.b import x\n"
        "def f():\n    import scoring\n    from . import a\n"
    )
    file = tmp_path / "c.py"
    file.write_text(source)
    found = dict(imports_of("scoring.c", file, modules))
    assert found == {"storage.b": 3, "scoring": 5, "scoring.a": 6}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
