"""Who may see an issued document: whoever may see what it was issued about.

Documents are seen through their subject (a supervision letter, a daily bulletin …), and only
the subject's app knows who may see it. Each such app registers a predicate for its model from
its ``AppConfig.ready()``:

    register_document_access(SupervisionLetter, lambda user, letter: ...)

A document about a model nobody registered is seen by nobody; one without a subject, by the
person who issued it. Superusers see every document, as the scoping gives them every row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from youjie.core.viewers import Viewer
from youjie.orgs.models import User

AccessPredicate = Callable[[Viewer, Any], bool]

_ACCESS: dict[type[models.Model], AccessPredicate] = {}


def register_document_access(model: type[models.Model], predicate: AccessPredicate) -> None:
    """``predicate(user, subject)`` says whether ``user`` may see documents about ``subject``."""
    _ACCESS[model] = predicate


def access_predicate(model: type[models.Model]) -> AccessPredicate | None:
    return _ACCESS.get(model)


def may_see_issued_document(
    user: Viewer, *, issued_by_id: int, subject: models.Model | None, has_subject: bool
) -> bool:
    """``has_subject`` with ``subject`` None: the subject is gone, and so is the way to it."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not has_subject:
        return user.pk == issued_by_id
    if subject is None:
        return False
    predicate = _ACCESS.get(type(subject))
    return predicate is not None and bool(predicate(user, subject))
