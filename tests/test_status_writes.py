"""An entity's ``status`` changes in one place (CONVENTIONS rule 4, issue "One way through Django").

Parses every module under ``youjie/`` (tests and migrations aside) and fails on a write of a
``status`` outside the functions listed in ``ALLOWED``:

- an assignment to an attribute named ``status`` (``request.status = …``, also augmented,
  annotated or in a tuple target);
- ``setattr(obj, "status", …)``;
- a QuerySet write naming it: ``.update(status=…)`` (``**{"status": …}`` too),
  ``.update_or_create(defaults={"status": …})``, ``.bulk_update(rows, ["status", …])``.

Creating a row in its first state (``Model(status=…)``, ``objects.create(status=…)``) is not a
transition and is not looked at. Each allowed function checks its entity's transition map (or,
for the outbox, a compare-and-set UPDATE) and writes the event the move needs; a new one is added
here with its reason, not scattered through the services.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (module, function) → what it moves. Keep it short: a new entity gets one helper.
ALLOWED: dict[tuple[str, str], str] = {
    # A service request: checks REQUEST_TRANSITIONS; ``transition`` saves it and writes the event.
    ("youjie/desk/services/common.py", "transition_apply"): "service request",
    # A clock change is decided once (CLOCK_CHANGE_TRANSITIONS); the request's timeline has it.
    ("youjie/desk/services/workflow.py", "_clock_change_decided"): "clock change",
    # A return visit is made once (RETURN_VISIT_TRANSITIONS); the request's timeline has it.
    ("youjie/desk/services/feedback.py", "_return_visit_done"): "return visit",
    # A case import: IMPORT_TRANSITIONS and its event.
    ("youjie/courtcases/services.py", "_set_status"): "case import",
    # The outbox moves a row with compare-and-set UPDATEs, fenced by ``attempts``, so that two
    # workers never both record an outcome (youjie/notifications/services.py, "Delivery
    # guarantees"): one statement per move, each in its own function of that module.
    ("youjie/notifications/services.py", "notification_claim"): "notification",
    ("youjie/notifications/services.py", "_finish_sent"): "notification",
    ("youjie/notifications/services.py", "_finish_dead"): "notification",
    ("youjie/notifications/services.py", "_finish_failed"): "notification",
    ("youjie/notifications/services.py", "notification_resend"): "notification",
    # Petitions (信访化解): one helper per entity, each checking its map in
    # youjie/petitions/transitions.py and writing the event in the caller's transaction.
    ("youjie/petitions/services/common.py", "matter_status_set"): "petition matter",
    ("youjie/petitions/services/common.py", "campaign_status_set"): "campaign",
    ("youjie/petitions/services/common.py", "follow_up_status_set"): "campaign matter follow-up",
    # Supervision letters (draft → sent → replied) and meetings (scheduled → held) with their
    # tasks (open → done): LETTER_, MEETING_ and MEETING_TASK_TRANSITIONS, event in the same
    # transaction.
    ("youjie/petitions/services/letters.py", "letter_status_set"): "supervision letter",
    ("youjie/petitions/services/meetings.py", "meeting_status_set"): "meeting",
    ("youjie/petitions/services/meetings.py", "meeting_task_status_set"): "meeting task",
    # A coordination request to a department is answered once (COORDINATION_TRANSITIONS); aid
    # goes applied → approved → paid or refused (AID_TRANSITIONS). Each helper writes the
    # entity's event; the services write the matter's beside it.
    ("youjie/petitions/services/coordination.py", "coordination_status_set"): "coordination",
    ("youjie/petitions/services/aid.py", "aid_status_set"): "aid",
    # A hearing (HEARING_TRANSITIONS): scheduled → held | postponed | cancelled, the event on
    # the court case's timeline.
    ("youjie/courtcases/hearings.py", "hearing_status_set"): "hearing",
    # A filing (FILING_TRANSITIONS): mediation and the fee sweep move it through this helper too.
    ("youjie/filings/services/common.py", "filing_status_set"): "filing",
    # Fees (码上缴费): a fee notice, a payment order, a refund and a relief application, each
    # through its helper checking its map in youjie/fees/transitions.py and writing its event.
    ("youjie/fees/services/common.py", "notice_status_set"): "fee notice",
    ("youjie/fees/services/common.py", "order_status_set"): "payment order",
    ("youjie/fees/services/common.py", "refund_status_set"): "refund",
    ("youjie/fees/services/common.py", "relief_status_set"): "relief application",
    # Pre-litigation mediation (诉前调解): a mediation (assigned → accepted → agreed → closed, or
    # failed / withdrawn), its sessions (scheduled → held | not held) and its judicial
    # confirmation (applied → accepted → confirmed | refused, or not accepted): one helper each,
    # checking youjie/mediation/transitions.py and writing the event in the caller's transaction.
    ("youjie/mediation/services/common.py", "mediation_status_set"): "mediation",
    ("youjie/mediation/services/common.py", "session_status_set"): "mediation session",
    ("youjie/mediation/services/common.py", "confirmation_status_set"): "judicial confirmation",
    # A background export (queued → running → done → expired, or failed): EXPORT_JOB_TRANSITIONS,
    # its event on the job's own timeline.
    ("youjie/exports/services.py", "export_job_status_set"): "export job",
}

QUERYSET_WRITES = {"update", "update_or_create", "bulk_update"}


def _names_status(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == "status"


def _dict_has_status(node: ast.expr) -> bool:
    return isinstance(node, ast.Dict) and any(
        key is not None and _names_status(key) for key in node.keys
    )


def _writes_status(node: ast.AST) -> bool:
    if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return any(
            isinstance(part, ast.Attribute)
            and part.attr == "status"
            and isinstance(part.ctx, ast.Store)
            for target in targets
            for part in ast.walk(target)
        )
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    if isinstance(function, ast.Name) and function.id == "setattr":
        return len(node.args) >= 2 and _names_status(node.args[1])
    if not (isinstance(function, ast.Attribute) and function.attr in QUERYSET_WRITES):
        return False
    for keyword in node.keywords:
        if keyword.arg == "status":
            return True
        if keyword.arg is None and _dict_has_status(keyword.value):  # **{"status": …}
            return True
        if keyword.arg == "defaults" and _dict_has_status(keyword.value):
            return True
    return any(
        isinstance(argument, ast.List | ast.Tuple) and any(map(_names_status, argument.elts))
        for argument in node.args
    )


class _StatusWrites(ast.NodeVisitor):
    """Every status write of a module, with the (dotted) function it sits in."""

    def __init__(self) -> None:
        self.scope: list[str] = []
        self.found: list[tuple[str, int]] = []

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _enter

    def generic_visit(self, node: ast.AST) -> None:
        if _writes_status(node):
            self.found.append((".".join(self.scope) or "<module>", getattr(node, "lineno", 0)))
        super().generic_visit(node)


def status_writes(source: str, filename: str = "<source>") -> list[tuple[str, int]]:
    """(function, line) of each status write in ``source``."""
    visitor = _StatusWrites()
    visitor.visit(ast.parse(source, filename=filename))
    return visitor.found


def project_modules() -> list[Path]:
    found = []
    for path in sorted((ROOT / "youjie").rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        found.append(path)
    return found


def all_status_writes() -> list[tuple[str, str, int]]:
    writes = []
    for path in project_modules():
        relative = path.relative_to(ROOT).as_posix()
        for function, line in status_writes(path.read_text("utf-8"), relative):
            writes.append((relative, function, line))
    return writes


def test_status_is_written_only_by_the_transition_helpers() -> None:
    outside = [
        f"{module}:{line} in {function}() writes a status"
        for module, function, line in all_status_writes()
        if (module, function) not in ALLOWED
    ]
    assert not outside, (
        "A status changes only through its entity's transition helper (tests/"
        "test_status_writes.py ALLOWED), which checks the map and writes the event:\n"
        + "\n".join(outside)
    )


def test_every_allowed_helper_still_writes_a_status() -> None:
    """An entry that no longer writes anything is removed, so that the list stays the truth."""
    writers = {(module, function) for module, function, _ in all_status_writes()}
    assert sorted(set(ALLOWED) - writers) == []


def test_the_scan_sees_each_kind_of_status_write() -> None:
    source = """
def sneaky(request, queryset, rows):
    request.status = "closed"
    request.status += ""
    request.status: str = "closed"
    request.status, other = "closed", 1
    setattr(request, "status", "closed")
    queryset.update(status="closed")
    queryset.filter(pk=1).update(**{"status": "closed"})
    queryset.update_or_create(pk=1, defaults={"status": "closed"})
    queryset.bulk_update(rows, ["status"])

class Helper:
    def nested(self, request):
        def inner():
            request.status = "closed"
"""
    writes = status_writes(source)
    assert [line for _, line in writes] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 16]
    assert {function for function, _ in writes} == {"sneaky", "Helper.nested.inner"}


def test_the_scan_leaves_reads_and_creations_alone() -> None:
    source = """
def fine(request, queryset, Model, rows):
    status = request.status
    queryset.filter(status="open").update(title="x")
    Model(status="registered")
    Model.objects.create(status="registered")
    request.save(update_fields=["status"])
    rows[request.status] = 1
    request.status.label = "x"
    return {"status": status}
"""
    assert status_writes(source) == []
