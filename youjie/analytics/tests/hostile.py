"""The figures' cases for the hostile-input sweeps (tests/hostile/cases.py says what goes
here): the city-office officer, who sees the figures and no desk page, and the period form."""

from __future__ import annotations

from tests.hostile.cases import HostileCases
from youjie.analytics.forms import PeriodForm

CASES = HostileCases(
    personas=("city_officer",),
    query_forms=(PeriodForm,),
)
