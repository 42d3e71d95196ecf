"""The house's layers, read from the source: no import circles, blueprints apart, and
`matching/` a plain library. Needs no app and no database."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "trustee_match"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, inside functions too, except under `if TYPE_CHECKING:` (those
    never run: they only name types for annotations)."""
    for child in ast.iter_child_nodes(node):
        if _is_type_checking(child):
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _import_nodes(child)


def imported_names(path: Path, modules: frozenset[str] = frozenset()) -> set[str]:
    """Dotted names a file imports. `from x import y` counts as x.y when that is one of
    `modules` (a submodule, as in `from . import emails`), else as x (and x.y, to be safe)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        if node.level:
            base_parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            base = ".".join(base_parts + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        for alias in node.names:
            name = f"{base}.{alias.name}"
            names.update((name,) if name in modules else (base, name))
    return names


def import_graph(package: str) -> dict[str, set[str]]:
    """module -> the modules of `package` it imports."""
    files = {_module_name(p): p for p in (ROOT / package).rglob("*.py")}
    modules = frozenset(files)
    return {name: imported_names(path, modules) & modules - {name} for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a path [a, b, ..., a], or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for target in sorted(graph[node]):
            if cycle := visit(target):
                return cycle
        path.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        if cycle := visit(start):
            return cycle
    return None


def _blueprint_packages() -> set[str]:
    """The subpackages of the app that define a Flask blueprint."""
    return {
        _module_name(path).split(".")[1]
        for path in (ROOT / APP).rglob("*.py")
        if "Blueprint(" in path.read_text() and path.parent != ROOT / APP
    }


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_module_of_the_app_imports_itself_in_a_circle():
    graph = import_graph(APP)
    assert len(graph) > 50, "the graph should cover every module of the app"
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_cycle_finder_finds_a_circle_and_passes_a_straight_line():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_relative_imports_resolve_to_the_modules_they_name():
    views = ROOT / APP / "staff" / "match_views.py"
    names = imported_names(views, frozenset(import_graph(APP)))
    assert f"{APP}.staff.blueprint" in names
    assert f"{APP}.matches.actions" in names
    assert f"{APP}.staff.views" not in names  # the old circle: views <-> match_views


def test_blueprints_do_not_import_each_other():
    blueprints = _blueprint_packages()
    assert {"auth", "volunteer", "charity", "staff", "respond"} <= blueprints
    crossings = [
        f"{module} imports {target}"
        for module, targets in import_graph(APP).items()
        for target in targets
        if _area(module) in blueprints and _area(target) in blueprints - {_area(module)}
    ]
    assert crossings == []


def test_services_and_models_do_not_import_blueprints():
    blueprints = _blueprint_packages()
    lower = {"models", "services", "matches", "ranking", "email", "permissions"}
    crossings = [
        f"{module} imports {target}"
        for module, targets in import_graph(APP).items()
        for target in targets
        if _area(module) in lower and _area(target) in blueprints
    ]
    assert crossings == []


def test_models_import_only_the_extensions_and_each_other():
    imports = {
        target
        for module, targets in import_graph(APP).items()
        if _area(module) == "models"
        for target in targets
    }
    # passwords.py is a leaf (argon2 only, nothing of the app): a user hashes its own password.
    allowed = ("models", "extensions", "passwords")
    assert {t for t in imports if _area(t) not in allowed} == set()


def test_matching_imports_nothing_of_the_app_flask_or_sqlalchemy():
    forbidden = {"trustee_match", "flask", "flask_login", "flask_sqlalchemy", "flask_wtf"}
    forbidden |= {"sqlalchemy", "werkzeug", "jinja2", "wtforms", "config"}
    found = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / "matching").rglob("*.py")
        for name in imported_names(path)
        if name.split(".")[0] in forbidden
    }
    assert found == set()


# `x.state == ...`, `x.status.value in (...)`, `state != ...`: a template deciding by state.
STATE_TEST = re.compile(r"([\w.]*\b(?:state|status))(?:\.value)?\s*(?:==|!=|not\s+in\b|in\b)")
# Each allowed comparison, with why it is showing rather than deciding.
ALLOWED_STATE_TESTS = {
    # The link service's verdict (LinkStatus): the page picks the words for each answer.
    ("respond/page.html", "view.status"),
    # The same for the other emailed links' pages (RecruitingLink, InviteLink, ...).
    ("links/recruiting.html", "view.status"),
    ("links/invitation.html", "view.status"),
}


def state_tests_in_templates() -> list[tuple[str, str, str]]:
    """(template, subject, line) for every state or status comparison in a template."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")) + sorted(
        (ROOT / "templates").rglob("*.txt")
    ):
        name = str(path.relative_to(ROOT / "templates"))
        for line in path.read_text().splitlines():
            found += [(name, m.group(1), line.strip()) for m in STATE_TEST.finditer(line)]
    return found


def test_the_state_test_pattern_finds_state_logic_and_not_tabs():
    for line in (
        "{% if match.state.value == 'proposed' %}",
        "{% if need.status.value in ('draft', 'paused') %}",
        "{% if m.state == 'withdrawn' %}",
        "{% if charity.status.value != 'verified' %}",
        "{% if need.status not in closed %}",
    ):
        assert STATE_TEST.search(line), line
    for line in ("{% if tab == value %}", "{{ status_tag(match.state.value) }}"):
        assert not STATE_TEST.search(line), line


def test_templates_ask_the_models_instead_of_comparing_states():
    found = state_tests_in_templates()
    assert found, "the respond page's allowed comparisons should be found"
    unexplained = [
        f"{name}: {line}"
        for name, subject, line in found
        if (name, subject) not in ALLOWED_STATE_TESTS
    ]
    assert unexplained == []


def test_every_relationship_is_typed():
    untyped = [
        f"{path.name}:{node.lineno}"
        for path in (ROOT / APP / "models").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", "") == "relationship"
    ]
    assert untyped == [], "write `name: Mapped[...] = relationship(...)`"
