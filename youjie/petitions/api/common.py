"""What the petitions endpoints share: the one ``router`` they register on (mounted at
/api/v1/petitions), the signed-in user, a matter fetched through the scoped selectors with the
stale-call check, the matter detail answer and the ``Idempotency-Key`` of a create.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from youjie.core.errors import ValidationFailed
from youjie.core.idempotency import body_fingerprint, check_key
from youjie.orgs.backends import signed_in_user
from youjie.orgs.models import User
from youjie.petitions import selectors, services
from youjie.petitions.models import PetitionMatter
from youjie.petitions.schemas import MatterDetailOut, matter_detail_out

router = Router(tags=["信访化解"])


def _user(request: HttpRequest) -> User:
    return signed_in_user(request)


def _matter(user: User, matter_id: int, expected_status: str | None = None) -> PetitionMatter:
    """The matter if the user may see it (else 404), refusing a stale call (422 ``stale``)."""
    matter = selectors.matter_get(user=user, pk=matter_id)
    if expected_status is not None and matter.status != expected_status:
        raise ValidationFailed(
            "该事项已被他人处理，请重新读取后再操作",
            code="stale",
            extra={"status": matter.status},
        )
    return matter


def _detail(user: User, matter: PetitionMatter) -> MatterDetailOut:
    fresh = selectors.matter_get(user=user, pk=matter.pk)
    return matter_detail_out(fresh, selectors.matter_detail(user=user, matter=fresh))


def _idempotency(
    user: User, key: str | None, what: str, body: dict[str, object]
) -> services.Idempotency | None:
    if key is None:
        return None
    return services.Idempotency(
        key=check_key(key),
        scope=f"petitions.api.{what}:{user.pk}",
        body_hash=body_fingerprint(body),
    )
