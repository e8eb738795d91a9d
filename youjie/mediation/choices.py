"""Enumerations of the mediation app (docs/subsystems/mediation.md)."""

from django.db import models


class MediationMode(models.TextChoices):
    """委派调解: the court delegates to a mediation organisation (an OrgUnit of kind mediation)
    and one of its mediators; 法官+调解: the court keeps the mediation, a judge or a mediator of
    the court conducts it."""

    DELEGATED = "delegated", "委派调解"
    COURT = "court", "法官+调解"


class MediationStatus(models.TextChoices):
    """A mediation's life (transitions.MEDIATION_TRANSITIONS is the one map)."""

    ASSIGNED = "assigned", "待调解员确认"
    ACCEPTED = "accepted", "调解中"
    AGREED = "agreed", "已达成协议"
    CLOSED_CONFIRMED = "closed_confirmed", "已司法确认结案"
    CLOSED_DOCUMENT = "closed_document", "已出具调解书结案"
    FAILED = "failed", "调解不成"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_MEDIATION_STATUSES = frozenset(
    {MediationStatus.ASSIGNED, MediationStatus.ACCEPTED, MediationStatus.AGREED}
)
CLOSED_MEDIATION_STATUSES = frozenset(
    {MediationStatus.CLOSED_CONFIRMED, MediationStatus.CLOSED_DOCUMENT}
)


class SessionKind(models.TextChoices):
    ONLINE = "online", "在线视频调解"
    IN_PERSON = "in_person", "现场调解"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "已安排"
    HELD = "held", "已进行"
    NOT_HELD = "not_held", "未进行"


class ConfirmationStatus(models.TextChoices):
    """司法确认: applied → accepted (立案, a 民特 case number) or not accepted (不予受理);
    accepted → confirmed (裁定确认有效) or refused (裁定驳回申请)."""

    APPLIED = "applied", "已申请"
    ACCEPTED = "accepted", "已受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    CONFIRMED = "confirmed", "确认有效"
    REFUSED = "refused", "驳回申请"


class CloseKind(models.TextChoices):
    CONFIRMATION = "confirmation", "司法确认"
    DOCUMENT = "document", "出具调解书"
