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
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = User.objects.select_related("org_unit", "org_unit__parent").filter(pk=pk).first()
        return user if user is not None and self.user_can_authenticate(user) else None
