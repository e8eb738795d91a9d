"""Who a page, a rule or a scope is asked about, as core sees it: core imports no app.

Two structural types (PEP 544 protocols) let core and the apps below orgs (workdays,
notifications) name a user without importing ``youjie.orgs``:

- ``Viewer``: anybody — a signed-in account or an anonymous visitor (Django's
  ``AnonymousUser``); what ``request.user`` is. Permission rules, the registries that ask them
  (navigation, home panels) and the scoping take a ``Viewer`` and answer "no" or "nothing" for a
  visitor who is not signed in.
- ``StaffUser``: a signed-in account with roles, i.e. ``youjie.orgs.models.User`` (a staff
  member or an integration's service account); what a service's ``actor`` is below orgs.

Above orgs, code names the concrete class: a function that needs a signed-in user takes
``youjie.orgs.models.User``, one that accepts anybody takes ``Viewer`` and narrows with
``isinstance(viewer, User)``. Below orgs, ``isinstance(viewer, StaffUser)`` narrows (the
protocol is runtime-checkable: an anonymous visitor has no ``has_role``).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class Viewer(Protocol):
    """What scoping and permission rules read from anybody, signed in or not."""

    @property
    def pk(self) -> int | None: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_staff(self) -> bool: ...

    @property
    def is_superuser(self) -> bool: ...


@runtime_checkable
class StaffUser(Viewer, Protocol):
    """A signed-in account with roles (``youjie.orgs.models.User``), as core sees it."""

    @property
    def pk(self) -> int: ...

    def has_role(self, *roles: str) -> bool: ...

    def get_full_name(self) -> str: ...

    def get_username(self) -> str: ...
