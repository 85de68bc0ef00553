"""The project's structure rules, checked on every test run.

3. Tests mirror the packages: ``questions/model.py`` has ``tests/unit/questions/test_model.py``.
2. No ``unsafe_allow_html`` anywhere: officers' and residents' text is never raw HTML; and
   ``unsafe_allow_javascript`` only in ui/survey.py, for its one fixed scroll-to-top script.
3. Tests mirror the packages: ``common/yamlfile.py`` has ``tests/unit/questions/test_load.py``.
4. Pages live in app_pages/, never pages/ (that name triggers Streamlit's old discovery).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STREAMLIT_ALLOWED = ("app.py", "app_pages/", "ui/", "tests/", "bench/")
MIRRORED_PACKAGES = ("common", "questions", "scoring", "corpus", "storage", "reports")
_SKIP_DIRS = {"__pycache__", "node_modules", "data"}


def project_files() -> Iterator[Path]:
    """Every .py file in the project, skipping hidden folders (.venv, .git) and caches."""
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts[:-1]
        if any(p.startswith(".") or p in _SKIP_DIRS for p in parts):
            continue
        yield path


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def streamlit_imports(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name == "streamlit" or name.startswith("streamlit.") for name in names):
            lines.append(node.lineno)
    return lines


def unsafe_html_calls(tree: ast.AST, keyword: str = "unsafe_allow_html") -> list[int]:
    """Lines of calls passing ``keyword`` anything but a literal False."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == keyword
        and not (isinstance(kw.value, ast.Constant) and kw.value.value is False)
    ]


def parsed() -> Iterator[tuple[str, ast.AST]]:
    for path in project_files():
        yield rel(path), ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_only_the_shell_imports_streamlit() -> None:
    offenders = [
        f"{name}:{line}"
        for name, tree in parsed()
        if not name.startswith(STREAMLIT_ALLOWED)
        for line in streamlit_imports(tree)
    ]
    assert not offenders, (
        "Streamlit is imported outside app.py, app_pages/ and ui/; move the UI code there and "
        f"keep the core plain Python: {offenders}"
    )


def test_no_unsafe_html() -> None:
    offenders = [f"{name}:{line}" for name, tree in parsed() for line in unsafe_html_calls(tree)]
    assert not offenders, f"unsafe_allow_html is not allowed: {offenders}"


def test_javascript_only_in_the_survey_scroll() -> None:
    """One place runs a script in the page: ui/survey.py, a fixed scroll-to-top."""
    places = [
        (name, line)
        for name, tree in parsed()
        if not name.startswith("tests/")
        for line in unsafe_html_calls(tree, "unsafe_allow_javascript")
    ]
    assert [name for name, _ in places] == ["ui/survey.py"], places


def test_the_checks_see_what_they_look_for() -> None:
    tree = ast.parse(
        "import streamlit as st\nfrom streamlit.testing.v1 import AppTest\n"
        # Spelt in two parts so repository-wide greps for the flag find only real uses.
        "st.markdown('x', unsafe_allow_"
        "html=True)\nst.markdown('y', unsafe_allow_html=False)\n"
    )
    assert streamlit_imports(tree) == [1, 2]
    assert unsafe_html_calls(tree) == [3]
    assert any(rel(p) == "app.py" for p in project_files())
    assert not any(".venv" in rel(p) for p in project_files())


def modules_needing_tests() -> list[str]:
    return [
        rel(path)
        for package in MIRRORED_PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path.name not in {"__init__.py", "__main__.py"} and "__pycache__" not in path.parts
    ]


@pytest.mark.parametrize("module", modules_needing_tests())
def test_module_has_mirrored_tests(module: str) -> None:
    *folders, name = Path(module).parts
    expected = ROOT / "tests" / "unit" / Path(*folders) / f"test_{name}"
    assert expected.is_file(), f"{module} has no tests: expected {rel(expected)}"


def test_pages_folder_is_app_pages() -> None:
    assert not (ROOT / "pages").exists(), "use app_pages/ with st.navigation, not pages/"
    assert (ROOT / "app_pages" / "home.py").is_file()
