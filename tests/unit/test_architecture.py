"""The project's structure rules, checked on every test run.

1. Only the shell (app.py, app_pages/, ui/) imports Streamlit; tests and benchmarks may too.
2. No ``unsafe_allow_html`` anywhere: officers' and residents' text is never raw HTML; and
   ``unsafe_allow_javascript`` only in ui/assessment/survey.py, for its one scroll-to-top script.
3. Tests mirror the packages: ``questions/model.py`` has ``tests/unit/questions/test_model.py``.
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
    """One place runs a script in the page: ui/assessment/survey.py, a fixed scroll-to-top."""
    places = [
        (name, line)
        for name, tree in parsed()
        if not name.startswith("tests/")
        for line in unsafe_html_calls(tree, "unsafe_allow_javascript")
    ]
    assert [name for name, _ in places] == ["ui/assessment/survey.py"], places


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


#: Where the app's session and URL keys are named (each with a typed accessor).
STATE_MODULE = "ui/state.py"
_STATE_HOLDERS = {"session_state", "query_params"}
_MAPPING_METHODS = {
    "get", "pop", "setdefault", "clear", "keys", "items", "values", "update", "to_dict",
    "from_dict", "get_all",
}  # fmt: skip


def _holder(node: ast.AST) -> bool:
    """``st.session_state`` / ``st.query_params`` (as any attribute of that name)."""
    return isinstance(node, ast.Attribute) and node.attr in _STATE_HOLDERS


def _text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def literal_state_keys(tree: ast.AST) -> list[int]:
    """Lines that name a session or URL key with a string literal: ``st.session_state["x"]``,
    ``.get("x")``/``.pop("x")``/``.setdefault("x")``, ``"x" in st.query_params``,
    ``st.session_state.x``, and ``query_params={"x": ...}`` given to a page switch or link."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _holder(node.value) and _text(node.slice):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and _holder(func.value)
                and node.args
                and _text(node.args[0])
            ):
                lines.append(node.lineno)
            lines += [
                node.lineno
                for kw in node.keywords
                if kw.arg == "query_params"
                and isinstance(kw.value, ast.Dict)
                and any(_text(key) for key in kw.value.keys)
            ]
        elif isinstance(node, ast.Compare) and _text(node.left):
            if any(_holder(c) for c in node.comparators):
                lines.append(node.lineno)
        elif (
            isinstance(node, ast.Attribute)
            and _holder(node.value)
            and node.attr not in _MAPPING_METHODS
        ):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_session_and_url_keys_are_named_only_in_ui_state() -> None:
    """Issue 14: every session key and URL parameter is named once, in ui/state.py, with a
    typed accessor; a page that spelt a key itself could miss another page's silently."""
    offenders = [
        f"{name}:{line}"
        for name, tree in parsed()
        if name.startswith(("app.py", "app_pages/", "ui/")) and name != STATE_MODULE
        for line in literal_state_keys(tree)
    ]
    assert not offenders, (
        f"session or URL keys spelt outside {STATE_MODULE}; add the key there (a Slot or a "
        f"Param) and use its accessor: {offenders}"
    )


def test_the_key_check_sees_literal_keys() -> None:
    tree = ast.parse(
        "import streamlit as st\n"
        "st.session_state['token'] = 1\n"
        "x = st.query_params.get('r')\n"
        "if 'code' in st.query_params: pass\n"
        "y = st.session_state.token\n"
        "st.switch_page('a.py', query_params={'r': x})\n"
        "del st.session_state['step']\n"
        "st.session_state[KEY] = 2\n"
        "st.query_params.get(state.RESUME.name)\n"
        "st.switch_page('a.py', query_params=state.RESUME.to(x))\n"
        "st.session_state.to_dict()\n"
    )
    assert literal_state_keys(tree) == [2, 3, 4, 5, 6, 7]
    assert (ROOT / STATE_MODULE).is_file()
    state_tree = ast.parse((ROOT / STATE_MODULE).read_text(encoding="utf-8"))
    assert literal_state_keys(state_tree) == []  # it names keys through Slot and Param
