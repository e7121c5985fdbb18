"""Every audit action has exactly one service function that writes it (issue 15).

Read from the source (``ast``), not by running it: a second writer of an action, or an audit
entry written outside the ``curation/services/`` package (a view, the admin, a task saving its own
entry), fails here before it reaches a curator who wonders which of two code paths wrote what.
``_move`` is the transition helper several services share: the writer counted is the service
that passes it the action."""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

from curation.models import AuditEntry

APPS = ["accounts", "curation", "jmdc", "obsportal", "lib", "portal"]
SERVICES = "curation/services"

# One action written by two functions on purpose. IDENTIFY is "a curator named a star by hand",
# listed under "Identified by hand" with its outcome: done (identify_star, in the transaction
# that changes the star and merges it) or refused (identification_refused, called by the worker
# when SIMBAD's answer, or its absence, left nothing to change: the entry is the only write).
# Two outcomes of one request, not one fact written twice.
TWO_OUTCOMES = {
    AuditEntry.Action.IDENTIFY: {
        f"{SERVICES}/stars.py:identify_star",
        f"{SERVICES}/stars.py:identification_refused",
    }
}


def _is_audit_write(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in ("AuditEntry", "_move")
    return (
        isinstance(func, ast.Attribute)
        and func.attr in ("create", "get_or_create", "update_or_create")
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "objects"
        and isinstance(func.value.value, ast.Name)
        and func.value.value.id == "AuditEntry"
    )


def _action_named(node: ast.expr) -> str | None:
    """``Action.X`` or ``AuditEntry.Action.X``: the action's value, else None."""
    if not isinstance(node, ast.Attribute):
        return None
    owner = node.value
    if (isinstance(owner, ast.Name) and owner.id == "Action") or (
        isinstance(owner, ast.Attribute) and owner.attr == "Action"
    ):
        return AuditEntry.Action[node.attr].value
    return None


def audit_writers() -> tuple[dict[str, set[str]], list[str]]:
    """Each action -> the functions that write it; and the writes naming no action literally."""
    writers: dict[str, set[str]] = defaultdict(set)
    unnamed: list[str] = []
    base = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((base / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = str(path.relative_to(base))
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if not (isinstance(node, ast.Call) and _is_audit_write(node)):
                        continue
                    named = [
                        action
                        for arg in [*node.args, *(k.value for k in node.keywords)]
                        if (action := _action_named(arg))
                    ]
                    where = f"{module}:{function.name}"
                    for action in named:
                        writers[action].add(where)
                    # _move writes the action it is given: its callers name it.
                    if not named and not (
                        module == f"{SERVICES}/transitions.py" and function.name == "_move"
                    ):
                        unnamed.append(f"{where} (line {node.lineno})")
    return writers, unnamed


def test_every_audit_action_has_exactly_one_service_that_writes_it():
    writers, unnamed = audit_writers()
    assert unnamed == [], "audit entries written with an action the reader cannot name"
    for action in AuditEntry.Action:
        found = writers.get(action.value, set())
        assert found, f"nothing writes the audit action {action.value!r}"
        assert all(where.startswith(f"{SERVICES}/") for where in found), (
            f"{action.value!r} is written outside the services: {sorted(found)}"
        )
        if action in TWO_OUTCOMES:
            assert found == TWO_OUTCOMES[action]
        else:
            assert len(found) == 1, f"{action.value!r} has several writers: {sorted(found)}"


def test_the_reader_finds_the_writers_it_should():
    """The reader itself, on what is known: a transition through _move, a write in a helper,
    the per-star entries made in a generator."""
    writers, _ = audit_writers()
    assert writers["submit"] == {f"{SERVICES}/review.py:submit"}
    assert writers["edit"] == {f"{SERVICES}/transitions.py:_record_edit"}
    assert writers["retry_identification"] == {f"{SERVICES}/stars.py:retry_identification"}
