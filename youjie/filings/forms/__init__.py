"""Forms of the filings pages: the shared filing fields and parties formset (``fields``), the
public page's guarded forms (``public``) and the staff pages' forms (``staff``)."""

from youjie.filings.forms.fields import (
    PARTIES_PREFIX,
    BasePartyFormSet,
    FilingFieldsForm,
    PartyForm,
    party_formset,
)
from youjie.filings.forms.public import ApplyForm, SupplementForm
from youjie.filings.forms.staff import (
    AcceptForm,
    ActionForm,
    CounterForm,
    FilingFilterForm,
    ForwardForm,
    RefuseForm,
    RevealForm,
    SupplementRequestForm,
    WithdrawForm,
)

__all__ = [
    "PARTIES_PREFIX",
    "AcceptForm",
    "ActionForm",
    "ApplyForm",
    "BasePartyFormSet",
    "CounterForm",
    "FilingFieldsForm",
    "FilingFilterForm",
    "ForwardForm",
    "PartyForm",
    "RefuseForm",
    "RevealForm",
    "SupplementForm",
    "SupplementRequestForm",
    "WithdrawForm",
    "party_formset",
]
