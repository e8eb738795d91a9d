"""Authentication backend: loads the user with their unit and its parent in one query.

Every page needs the unit (scoping, the court a receptionist works in); fetching it with the
user saves two queries on each request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from youjie.orgs.models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = (
            User._default_manager.select_related("org_unit", "org_unit__parent")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
