"""Documents' cases for the hostile-input sweeps (tests/hostile/cases.py says what goes here):
a bulletin the city officer issued without a subject (theirs to download, a 404 to everyone
else) and a letter about an organisation unit, which no app lets anybody see (a 404 to all but
the administrator's superuser account in the admin sweep)."""

from __future__ import annotations

from tests.hostile.cases import HostileCases, PathValues, World
from youjie.documents.choices import DocumentKind
from youjie.documents.services import document_issue
from youjie.documents.tests.factories import bulletin, letter
from youjie.orgs.models import OrgUnit


def build(world: World) -> None:
    officer = world.users["city_officer"]
    own = document_issue(actor=officer, document=bulletin(), kind=DocumentKind.BULLETIN)
    unseen = document_issue(
        actor=officer,
        document=letter(),
        kind=DocumentKind.LETTER,
        subject=OrgUnit.objects.get(code="150205-ZXB"),
    )
    world.put(issued_bulletin=own, issued_letter=unseen)


def path_values(world: World) -> PathValues:
    return {
        ("documents:download", "pk"): [
            str(world.issued_bulletin.pk),
            str(world.issued_letter.pk),
        ],
    }


CASES = HostileCases(
    users=("city_officer",),
    build=build,
    path_values=path_values,
    # A download is audited (youjie.core.audit): the one write a GET of it makes.
    get_may_write={"documents:download": frozenset({"core_auditentry"})},
    unresolvable=("/documents/", "/documents/1/", "/documents/-1/download/"),
)
