"""Enumerations of the petitions app (信访化解). Labels are the Chinese shown on pages."""

from django.db import models


class MatterStatus(models.TextChoices):
    """A petition matter's life (docs/subsystems/petitions.md, "States")."""

    REGISTERED = "registered", "已登记"
    IN_PROGRESS = "in_progress", "办理中"
    RESOLVED = "resolved", "已化解（事了）"
    SETTLED = "settled", "事心双解"
    TERMINATED = "terminated", "依法终结"


# Still being worked on: counted as "in progress" and subject to the handling clock.
OPEN_MATTER_STATUSES = (MatterStatus.REGISTERED, MatterStatus.IN_PROGRESS)
# 事了 reached (with or without 心了): counted as resolved.
RESOLVED_MATTER_STATUSES = (MatterStatus.RESOLVED, MatterStatus.SETTLED)


class MatterCategory(models.TextChoices):
    """What the 涉法涉诉 petition is about: which political-legal organ's act it contests.

    Working categories (DOMAIN.md §1 Art. 28 ¶2, 31(1): 诉讼权利救济 in civil, administrative
    and criminal matters, handled by the 政法部门); no national list exists [C].
    """

    COURT_JUDGMENT = "court_judgment", "不服法院裁判"
    COURT_ENFORCEMENT = "court_enforcement", "执行类"
    PROCURATORATE = "procuratorate", "不服检察机关处理"
    POLICE = "police", "不服公安机关处理"
    JUSTICE = "justice", "司法行政类"
    STATE_COMPENSATION = "state_compensation", "国家赔偿"
    OTHER = "other", "其他涉法涉诉"


class MatterOrigin(models.TextChoices):
    """How the matter reached the office (信访工作条例 Art. 17 channels, plus assignment)."""

    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    ONLINE = "online", "网上"
    PHONE = "phone", "电话"
    ASSIGNED = "assigned", "交办"
    SUPERVISED = "supervised", "督办"
    DESK = "desk", "转自诉事速办"


class PetitionerRole(models.TextChoices):
    PETITIONER = "petitioner", "信访人"
    AGENT = "agent", "代理人"
    JOINT_REPRESENTATIVE = "joint_representative", "联名代表"


class TaskForceRole(models.TextChoices):
    HEAD = "head", "专班组长"
    MEMBER = "member", "成员"


class OutcomeType(models.TextChoices):
    """三到位一处理, 信访工作条例 Art. 27 (DOMAIN.md §2)."""

    SOLVED = "solved", "解决问题到位"
    EDUCATED = "educated", "思想教育到位"
    AIDED = "aided", "帮扶救助到位"
    HANDLED_BY_LAW = "handled_by_law", "依法处理"


class EvidenceKind(models.TextChoices):
    AGREEMENT = "agreement", "调解/和解协议"
    AID_PAID = "aid_paid", "救助金发放凭证"
    COMMITMENT = "commitment", "息诉罢访承诺书"
    HANDLING_OPINION = "handling_opinion", "处理意见书"
    OTHER = "other", "其他材料"


class ReturnVisitMethod(models.TextChoices):
    IN_PERSON = "in_person", "上门回访"
    PHONE = "phone", "电话回访"
    INTERVIEW = "interview", "约见回访"


class CampaignKind(models.TextChoices):
    HUNDRED_DAYS = "hundred_days", "百日攻坚"
    LOOK_BACK = "look_back", "回头看"
    OTHER = "other", "专项行动"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "筹备中"
    ACTIVE = "active", "进行中"
    CLOSED = "closed", "已结束"


class FollowUpStatus(models.TextChoices):
    """A matter's follow-up in one campaign (回头看)."""

    PENDING = "pending", "待回头看"
    STABLE = "stable", "确认稳定"
    REOPENED = "reopened", "已重新交办"


# The evidence each outcome needs before a resolution is accepted (DOMAIN.md §2): an agreement
# for a solved problem, a signed 息诉罢访 commitment for education done, aid paid plus the signed
# commitment local aid rules make its condition for 涉法涉诉 petitioners, and the written
# opinion (处理意见书, Art. 31(6)–32) for handling by law.
REQUIRED_EVIDENCE: dict[str, tuple[str, ...]] = {
    OutcomeType.SOLVED: (EvidenceKind.AGREEMENT,),
    OutcomeType.EDUCATED: (EvidenceKind.COMMITMENT,),
    OutcomeType.AIDED: (EvidenceKind.AID_PAID, EvidenceKind.COMMITMENT),
    OutcomeType.HANDLED_BY_LAW: (EvidenceKind.HANDLING_OPINION,),
}


# --- work records, coordination requests, aid (issue 13 item 4) -----------------------------


class WorkRecordKind(models.TextChoices):
    """What a work record records: a verification (核查) or a meeting with the petitioner."""

    SITE_VISIT = "site_visit", "实地走访"
    FILE_REVIEW = "file_review", "查阅卷宗"
    INDIVIDUAL_TALK = "individual_talk", "个别谈话"
    HEARING = "hearing", "听证"
    APPOINTMENT = "appointment", "约访"
    RECEPTION = "reception", "接访"
    HOME_VISIT = "home_visit", "走访"
    CASE_VISIT = "case_visit", "带案下访"


VERIFICATION_KINDS = (
    WorkRecordKind.SITE_VISIT,
    WorkRecordKind.FILE_REVIEW,
    WorkRecordKind.INDIVIDUAL_TALK,
    WorkRecordKind.HEARING,
)
# Meetings with the petitioner: a meeting the lead official attends, naming a petitioner,
# counts for 每案必见 (信访工作条例 Art. 18 ¶3: leaders 接访、下访 and 包案化解).
MEETING_KINDS = (
    WorkRecordKind.APPOINTMENT,
    WorkRecordKind.RECEPTION,
    WorkRecordKind.HOME_VISIT,
    WorkRecordKind.CASE_VISIT,
)


class PetitionerAttitude(models.TextChoices):
    """The petitioner's attitude after a meeting or a talk."""

    ACCEPTS = "accepts", "认可"
    MOSTLY_ACCEPTS = "mostly_accepts", "基本认可"
    OBJECTS = "objects", "仍有异议"
    CONFRONTS = "confronts", "对抗"


class CoordinationStatus(models.TextChoices):
    """A coordination request to a department (协调联动). Overdue is computed, not a state."""

    SENT = "sent", "待答复"
    REPLIED = "replied", "已答复"


class AidKind(models.TextChoices):
    JUDICIAL = "judicial", "国家司法救助"
    SOCIAL_INSURANCE = "social_insurance", "社会保险"
    CIVIL_AFFAIRS = "civil_affairs", "民政救助"
    SUBSISTENCE = "subsistence", "低保"
    TEMPORARY = "temporary", "临时救助"


class AidStatus(models.TextChoices):
    APPLIED = "applied", "已申请"
    APPROVED = "approved", "已批准"
    PAID = "paid", "已发放"
    REFUSED = "refused", "不予救助"


class AidApprovalKind(models.TextChoices):
    """One recorded approval step of an aid (who, when, opinion)."""

    CAP_EXCEEDED = "cap_exceeded", "超出上限特批"
    APPROVED = "approved", "批准救助"
    REFUSED = "refused", "不予救助"


# --- supervision letters, meetings, daily bulletins (issue 13 items 5–7) ---------------------


class LetterStatus(models.TextChoices):
    """A supervision letter (督办函). Overdue is computed (sent, past its deadline), not a state."""

    DRAFT = "draft", "草稿"
    SENT = "sent", "已发出"
    REPLIED = "replied", "已答复"


class MeetingKind(models.TextChoices):
    """An office meeting on matters: a leaders' dispatch meeting or the three-day review."""

    DISPATCH = "dispatch", "调度会"
    THREE_DAY = "three_day", "三日一研究"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "待召开"
    HELD = "held", "已召开"


class MeetingTaskStatus(models.TextChoices):
    """A meeting's decision as a task. Overdue is computed (open, past its deadline)."""

    OPEN = "open", "待落实"
    DONE = "done", "已落实"


# 政法单位 that answer for a matter (指导 responsibility), and the units that may handle one
# (直接), as OrgKind values (services check them, the forms and the API offer them).
RESPONSIBLE_UNIT_KINDS = frozenset({"committee", "court", "procuratorate", "police", "justice"})
HANDLING_UNIT_KINDS = RESPONSIBLE_UNIT_KINDS | {"division"}
