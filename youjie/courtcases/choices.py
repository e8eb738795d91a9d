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
