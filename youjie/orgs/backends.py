"""Authentication backend: loads the user with their unit and its parent in one query.

Every page needs the unit (scoping, the court a receptionist works in); fetching it with the
user saves two queries on each request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from youjie.orgs.models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        # ``get()`` as ModelBackend's own: ``first()`` would order the one row by its id, and
        # Django compiles that ORDER BY against the ~40 columns selected (every page pays it).
        try:
            user = User.objects.select_related("org_unit", "org_unit__parent").get(pk=pk)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def signed_in_user(request: HttpRequest) -> User:
    """The request's user, for a view behind ``login_required`` or an API operation behind the
    API's authentication: a staff ``User`` by then (the one place that says so for mypy)."""
    user = request.user
    assert isinstance(user, User), "the view or API authenticates the user before this"
    return user
