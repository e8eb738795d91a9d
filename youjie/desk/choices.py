from django.db import models


class RequestCategory(models.TextChoices):
    CONSULTATION = "consultation", "咨询"
    APPOINTMENT = "appointment", "预约"
    ERRAND = "errand", "办事"
    DEMAND = "demand", "诉求"
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"
    CALLBACK = "callback", "来电回拨"


class Channel(models.TextChoices):
    PHONE = "phone", "服务专线来电"
    WORK_PHONE = "work_phone", "法官工作手机"
    DEPUTIES_LINE = "deputies_line", "代表委员专线"
    WALK_IN = "walk_in", "来访"
    LETTER = "letter", "来信"
    PORTAL = "portal", "网上诉求"
    WECHAT = "wechat", "微信公众号"
    API = "api", "系统接口"


class RequestStatus(models.TextChoices):
    REGISTERED = "registered", "已登记"
    AWAITING_ACCEPTANCE = "awaiting_acceptance", "待签收"
    IN_PROGRESS = "in_progress", "办理中"
    PAUSED = "paused", "中止计时"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"
    MERGED = "merged", "并案"
    WITHDRAWN = "withdrawn", "撤回"


OPEN_STATUSES = (
    RequestStatus.REGISTERED,
    RequestStatus.AWAITING_ACCEPTANCE,
    RequestStatus.IN_PROGRESS,
    RequestStatus.PAUSED,
)
# Statuses in which the completion clock is still running (paused stops it).
RUNNING_STATUSES = (
    RequestStatus.REGISTERED,
    RequestStatus.AWAITING_ACCEPTANCE,
    RequestStatus.IN_PROGRESS,
)
ENDED_STATUSES = (RequestStatus.CLOSED, RequestStatus.MERGED, RequestStatus.WITHDRAWN)


class Priority(models.TextChoices):
    NORMAL = "normal", "普通"
    PRIORITY = "priority", "优先（代表委员）"


class DeadlineUnit(models.TextChoices):
    WORKDAYS = "workdays", "工作日"
    WORK_HOURS = "work_hours", "工作小时"


class RoutingRule(models.TextChoices):
    CASE = "case", "按关联案号"
    LINE = "line", "按来电线路"
    MATTER_TYPE = "matter_type", "按事项类型"
    MANUAL = "manual", "人工指定"


class ReplyKind(models.TextChoices):
    ANSWER = "answer", "答复"
    ON_THE_SPOT = "on_the_spot", "当场答复"
    INTERIM = "interim", "阶段性回复"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class ReturnVisitReason(models.TextChoices):
    COMPLAINT = "complaint", "投诉类必访"
    DISSATISFIED = "dissatisfied", "不满意必访"
    SAMPLE = "sample", "抽样回访"


class ReturnVisitStatus(models.TextChoices):
    PENDING = "pending", "待回访"
    DONE = "done", "已回访"


class ReturnVisitResult(models.TextChoices):
    RESOLVED = "resolved", "问题已解决"
    UNRESOLVED = "unresolved", "问题未解决"
    UNREACHABLE = "unreachable", "无法联系"


class ReturnVisitAction(models.TextChoices):
    NONE = "none", "无需处理"
    REOPEN = "reopen", "重新办理"
    ESCALATE = "escalate", "报庭长督办"
