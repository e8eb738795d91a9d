"""The exports' cases for the hostile-input sweeps (tests/hostile/cases.py says what goes here):
every registered list's address (the lists' own query forms are their apps' cases), and a failed
background export of the receptionist's, which nobody can download (a 404 for its owner too)."""

from __future__ import annotations

from tests.hostile.cases import HostileCases, PathValues, World
from youjie.exports.choices import ExportJobStatus
from youjie.exports.models import ExportJob
from youjie.exports.registry import registered


def build(world: World) -> None:
    failed = ExportJob.objects.create(
        owner=world.users["receptionist"],
        list_name="courtcases.cases",
        title="法院案件清单",
        status=ExportJobStatus.FAILED,
        error="导出人已无权导出该清单，未生成文件",
    )
    world.put(export_job=failed)


def path_values(world: World) -> PathValues:
    names = sorted(export_list.name for export_list in registered())
    # The case list first: every signed-in persona may export it, so the hostile query strings
    # go through a list's form.
    names.remove("courtcases.cases")
    return {
        ("exports:export", "name"): ["courtcases.cases", *names, "nothing.here"],
        ("exports:download", "pk"): [str(world.export_job.pk)],
    }


CASES = HostileCases(
    users=("receptionist",),
    build=build,
    path_values=path_values,
    # An export is audited (youjie.core.audit), and a large one queues its job with its event:
    # the writes a GET of it makes. A download is audited too.
    get_may_write={
        "exports:export": frozenset({"core_auditentry", "exports_exportjob", "core_event"}),
        "exports:download": frozenset({"core_auditentry"}),
    },
    unresolvable=("/exports/1/", "/exports/courtcases.cases.csv", "/exports/-1/download/"),
)
