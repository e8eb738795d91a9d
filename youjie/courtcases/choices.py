from django.db import models


class CaseStage(models.TextChoices):
    FILED = "filed", "已立案"
    IN_TRIAL = "in_trial", "审理中"
    JUDGED = "judged", "已判决"
    CLOSED = "closed", "已结案"
    ENFORCEMENT = "enforcement", "执行中"


class PartyRole(models.TextChoices):
    PLAINTIFF = "plaintiff", "原告"
    DEFENDANT = "defendant", "被告"
    THIRD_PARTY = "third_party", "第三人"
    APPELLANT = "appellant", "上诉人"
    APPELLEE = "appellee", "被上诉人"
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    ENFORCEMENT_APPLICANT = "enforcement_applicant", "申请执行人"
    ENFORCEMENT_RESPONDENT = "enforcement_respondent", "被执行人"
    DEFENDANT_CRIMINAL = "accused", "被告人"
    VICTIM = "victim", "被害人"
    OTHER = "other", "其他"


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", "已校验"
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"


class SecondInstanceResult(models.TextChoices):
    """二审结果: how the appeal against a first-instance case ended (from the case-list import).

    Blank: not appealed, or no result yet. 改判 and 发回重审 feed the 改判发回 figure
    (DOMAIN.md §9: the 2024 indicator system merged them into 二审改判-发回重审比).
    """

    AFFIRMED = "affirmed", "维持"
    REVERSED = "reversed", "改判"
    REMANDED = "remanded", "发回重审"
    WITHDRAWN = "withdrawn", "撤回上诉"
    OTHER = "other", "其他"


class HearingKind(models.TextChoices):
    """互联网+庭审: online through an external video-conference system, or in a courtroom."""

    ONLINE = "online", "在线庭审"
    IN_PERSON = "in_person", "现场开庭"


class HearingStatus(models.TextChoices):
    """A hearing's life (hearings.HEARING_TRANSITIONS is the one map). A postponed hearing
    stays as it was; its new date is a new hearing linked to it (``postponed_from``)."""

    SCHEDULED = "scheduled", "已排期"
    HELD = "held", "已开庭"
    POSTPONED = "postponed", "已延期"
    CANCELLED = "cancelled", "已取消"


class ParticipantRole(models.TextChoices):
    PARTY = "party", "当事人"
    AGENT = "agent", "诉讼代理人"
    WITNESS = "witness", "证人"
    OTHER = "other", "其他诉讼参与人"


class Attendance(models.TextChoices):
    """Recorded after the hearing, per participant (blank until then)."""

    PRESENT = "present", "到庭"
    ABSENT = "absent", "缺席"
    ABSENT_WITH_LEAVE = "absent_with_leave", "请假未到庭"
