"""The test suite's own rule: no module of it imports a test module or a conftest. Fixtures
shared by several folders are plugins (tests/conftest.py's pytest_plugins: personas, rows,
brokers); other shared helpers are small modules that are no tests (tests/pages.py...).
Importing a test module runs its tests twice, or hides a fixture behind a `noqa`."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_modules(path: Path, source: str | None = None) -> list[str]:
    """Every module ``path`` (or ``source`` written there) imports, anywhere in it, as a dotted
    name from the project root (a name imported from a module, too: it may be a module)."""
    package = path.relative_to(TESTS.parent).with_suffix("").parts[:-1]
    names = []
    for node in ast.walk(ast.parse(source or path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *filter(None, [node.module])])
            names += [module] + [f"{module}.{alias.name}" for alias in node.names]
    return names


def is_test_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "tests" and any(p.startswith("test_") or p == "conftest" for p in parts)


def test_no_module_of_the_suite_imports_a_test_module_or_a_conftest():
    offences = [
        f"{path.relative_to(TESTS.parent)} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in imported_modules(path)
        if is_test_module(name)
    ]
    assert offences == []


def test_the_rule_sees_absolute_relative_and_local_imports():
    source = (
        "from tests.curation.test_pages import form_data\n"
        "from .conftest import people\n"
        "from . import test_workflow\n"
        "from tests.rows import row\n"
        "def f():\n    import tests.jmdc.test_celery_worker\n"
    )
    names = imported_modules(TESTS / "curation" / "test_example.py", source)
    assert [n for n in names if is_test_module(n)] == [
        "tests.curation.test_pages", "tests.curation.test_pages.form_data",
        "tests.curation.conftest", "tests.curation.conftest.people",
        "tests.curation.test_workflow",
        "tests.jmdc.test_celery_worker",
    ]  # fmt: skip
