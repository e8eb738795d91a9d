"""The fee calculator's cases for the hostile-input sweeps (tests/hostile/cases.py says what goes
here). The page is public and reads only its query string: its form's fields get the sweep's
hostile query values, and the combinations below add amounts one value cannot make. The API
operation has no path parameters, so it needs no values from here."""

from __future__ import annotations

from tests.hostile.cases import HostileCases, Query, World
from youjie.fees.forms import FeeEstimateForm


def query_combinations(world: World) -> list[Query]:
    return [
        [("kind", "property"), ("amount", "10000000000000")],  # the largest amount accepted
        [("kind", "bankruptcy"), ("amount", "10000000000000.01")],
        [("kind", "divorce"), ("amount", "１２３，４５６．７８元")],
        [("kind", "preservation"), ("amount", "-0.00")],
        [("kind", "execution"), ("amount", "1e400")],
        [("kind", "payment_order"), ("amount", "9" * 40)],
        [("kind", "ip"), ("amount", "0.001")],
        [("kind", "property"), ("kind", "divorce"), ("amount", "1")],
        [
            ("kind", "administrative"),
            ("administrative_subject", "trademark_patent_maritime"),
            ("procedure", "simple"),
            ("settled", "mediation"),
        ],
    ]


CASES = HostileCases(
    query_forms=(FeeEstimateForm,),
    query_combinations=query_combinations,
    unresolvable=("/fees/estimate/", "/fees/a/b/"),
    # A well-formed estimate takes a slot of the portal's rate limit (per address).
    get_may_write={"fees:calculator": frozenset({"portal_ratelimitcounter"})},
)
