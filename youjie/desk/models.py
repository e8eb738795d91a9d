"""诉事速办: matter types with their checklists, service requests and what happens to them.

``ServiceRequest.status`` is changed only by the services in ``youjie.desk.services``, which
hold the one transition map and write a timeline event in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from youjie.core.models import TimeStampedModel
from youjie.desk.choices import (
    ApprovalStatus,
    Channel,
    DeadlineUnit,
    Priority,
    ReplyKind,
    RequestCategory,
    RequestStatus,
    ReturnVisitAction,
    ReturnVisitReason,
    ReturnVisitResult,
    ReturnVisitStatus,
    RoutingRule,
)
from youjie.orgs.choices import Role

TITLE_MAX = 100
CONTENT_MAX = 5000


class MatterType(TimeStampedModel):
    """A kind of matter (立案咨询, 联系法官 …) with its deadlines and 一次告知 checklist."""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=50)
    category = models.CharField("类别", max_length=16, choices=RequestCategory.choices)
    default_division = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="默认承办庭室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_response_limit = models.PositiveSmallIntegerField("首次回应时限", default=1)
    first_response_unit = models.CharField(
        "首次回应单位", max_length=16, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKDAYS
    )
    completion_limit = models.PositiveSmallIntegerField("办结时限", default=5)
    completion_unit = models.CharField(
        "办结单位", max_length=16, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKDAYS
    )
    priority_first_response_limit = models.PositiveSmallIntegerField(
        "代表委员首次回应时限", null=True, blank=True, help_text="为空则取一半（至少1）"
    )
    priority_completion_limit = models.PositiveSmallIntegerField(
        "代表委员办结时限", null=True, blank=True, help_text="为空则取一半（至少1）"
    )
    is_public = models.BooleanField("群众可选", default=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "事项类型"
        verbose_name_plural = "事项类型"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ChecklistVersion(models.Model):
    """One published version of a matter type's 一次告知 checklist; versions are never edited."""

    matter_type = models.ForeignKey(MatterType, on_delete=models.CASCADE, related_name="checklists")
    version = models.PositiveIntegerField("版本")
    materials = models.TextField("所需材料", max_length=4000)
    steps = models.TextField("办理流程", max_length=4000)
    legal_basis = models.TextField("法律依据", max_length=2000, blank=True)
    fees = models.TextField("收费标准", max_length=1000, blank=True)
    time_limit_note = models.CharField("办理时限说明", max_length=200, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "一次告知清单"
        verbose_name_plural = "一次告知清单"
        ordering = ["matter_type", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter_type", "version"], name="uniq_checklist_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.matter_type} v{self.version}"


class RequestNumberCounter(models.Model):
    """Per-day sequence for request numbers (SS20261128-00001)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = "编号计数器"

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


def _present(fields: list[str], name: str) -> models.Index:
    """An index over the rows whose first field is set (a partial index)."""
    column = fields[0].lstrip("-")
    return models.Index(fields=fields, name=name, condition=Q(**{f"{column}__isnull": False}))


class ServiceRequest(TimeStampedModel):
    number = models.CharField("编号", max_length=20, unique=True)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    line = models.ForeignKey(
        "orgs.Line",
        verbose_name="线路",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
        db_index=False,  # desk_req_sparse_* (partial: only rows that have one)
    )
    requester = models.ForeignKey(
        "people.Person",
        verbose_name="诉求人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
        db_index=False,  # desk_req_requester leads with it
    )
    requester_name = models.CharField("诉求人姓名", max_length=50)
    requester_mobile_encrypted = models.TextField("联系电话（密文）", blank=True, default="")
    requester_mobile_hash = models.CharField(
        "联系电话摘要", max_length=64, blank=True, db_index=True
    )
    requester_mobile_masked = models.CharField("联系电话", max_length=20, blank=True)
    matter_type = models.ForeignKey(
        MatterType, verbose_name="事项类型", on_delete=models.PROTECT, related_name="requests"
    )
    category = models.CharField("类别", max_length=16, choices=RequestCategory.choices)
    title = models.CharField("标题", max_length=TITLE_MAX)
    content = models.TextField("内容", max_length=CONTENT_MAX)
    related_case = models.ForeignKey(
        "courtcases.CourtCase",
        verbose_name="关联案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
        db_index=False,  # desk_req_sparse_* (partial: only rows that have one)
    )
    court = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="受理法院",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # desk_req_court_status leads with it
    )
    division = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="承办庭室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="division_requests",
        db_index=False,  # desk_req_division_status leads with it
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_requests",
        db_index=False,  # desk_req_assignee_status leads with it
    )
    first_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="首接人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="first_contact_requests",
        db_index=False,  # desk_req_first_contact leads with it
        help_text="首接负责：在承办方签收前对诉求负责，签收后仍留存",
    )
    transfer_division = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="待签收庭室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # desk_req_sparse_* (partial: only rows that have one)
    )
    transfer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="待签收人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pending_transfers",
        db_index=False,  # desk_req_sparse_* (partial: only rows that have one)
    )
    transfer_sent_at = models.DateTimeField("转出时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=24, choices=RequestStatus.choices, default=RequestStatus.REGISTERED
    )
    priority = models.CharField(
        "优先级", max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    routing_rule = models.CharField(
        "分派规则", max_length=16, choices=RoutingRule.choices, blank=True
    )
    first_response_due = models.DateTimeField("首次回应期限")
    completion_due = models.DateTimeField("办结期限")
    first_responded_at = models.DateTimeField("首次回应时间", null=True, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    paused_at = models.DateTimeField("中止计时起", null=True, blank=True)
    calendar_warning = models.CharField("日历提示", max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_requests",
        db_index=False,  # desk_req_sparse_* (partial: only rows that have one)
    )
    repeat_of = models.ForeignKey(
        "self",
        verbose_name="重复于",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
        db_index=False,  # desk_req_sparse_* (partial: only rows that have one)
    )
    repeat_count = models.PositiveIntegerField("重复次数", default=0)
    reopened_count = models.PositiveIntegerField("重新办理次数", default=0)
    is_supervised = models.BooleanField("督办中", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # desk_req_sparse_* (partial: only rows that have one)
    )

    class Meta:
        verbose_name = "诉求"
        verbose_name_plural = "诉求"
        ordering = ["-id"]
        # Two partial indexes exist on PostgreSQL only, created by migrations (SQLite does not use
        # a partial index whose condition a query binds as parameters, and a registration would
        # pay for them): desk_req_running_due (0008, the overdue list) and desk_req_division_open
        # (0014, the division queue: each division's open requests by id).
        indexes = [
            models.Index(fields=["division", "status", "-id"], name="desk_req_division_status"),
            models.Index(fields=["assignee", "status", "-id"], name="desk_req_assignee_status"),
            models.Index(fields=["court", "status", "-id"], name="desk_req_court_status"),
            # Lists filtered by status, newest first (the API list, the search page's filter):
            # read in id order and stopped after the page. It replaced (status, completion_due),
            # with which a court's "closed" list sorted 960,000 rows (2 s at a million requests);
            # the overdue list reads the running requests through it and filters their deadline.
            models.Index(fields=["status", "-id"], name="desk_req_status_id"),
            models.Index(fields=["status", "first_response_due"], name="desk_req_status_first_due"),
            # The deputies' list (代表委员): newest first over ~1 % of requests, read in id order
            # and stopped after the page (with status in the middle it sorted them all).
            models.Index(fields=["priority", "-id"], name="desk_req_priority_id"),
            # Partial indexes for columns that most new requests leave empty: an API or portal
            # registration has no line, registering staff, first contact, person, case, merge,
            # repeat, transfer or reply yet, and an insert then touches none of these indexes
            # (each one an index page more written at every commit). A lookup by value
            # (``col = x``, ``col >= x``) implies NOT NULL and uses them on SQLite and PostgreSQL.
            _present(["requester", "-id"], "desk_req_requester"),
            _present(["first_contact", "status", "-id"], "desk_req_first_contact"),
            _present(["line"], "desk_req_sparse_line"),
            _present(["related_case"], "desk_req_sparse_case"),
            _present(["transfer_division"], "desk_req_sparse_transfer_div"),
            _present(["transfer_user"], "desk_req_sparse_transfer_user"),
            _present(["merged_into"], "desk_req_sparse_merged_into"),
            _present(["repeat_of"], "desk_req_sparse_repeat_of"),
            _present(["created_by"], "desk_req_sparse_created_by"),
            # The desk figures count requests by these dates (youjie.analytics.selectors).
            _present(["replied_at"], "desk_req_replied_at"),
            _present(["first_responded_at"], "desk_req_first_responded_at"),
            # The supervised list (督办) over a few hundred of a million requests; a new request
            # is never supervised, so registration does not touch it.
            models.Index(
                fields=["completion_due", "id"],
                name="desk_req_supervised",
                condition=Q(is_supervised=True),
            ),
            models.Index(fields=["completion_due"], name="desk_req_completion_due"),
            models.Index(fields=["first_response_due"], name="desk_req_first_response_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Reply(models.Model):
    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        "类型", max_length=16, choices=ReplyKind.choices, default=ReplyKind.ANSWER
    )
    body = models.TextField("答复内容", max_length=CONTENT_MAX)
    created_at = models.DateTimeField("答复时间", auto_now_add=True)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.service_request.number} {self.get_kind_display()}"


class ReplyTemplate(TimeStampedModel):
    """A reply the request page offers to fill in. Each of matter type, role and unit narrows
    who is offered it; left blank, it applies to every one (issue 12, item 14: a judge's
    answer about a hearing is not reception's answer about filing)."""

    name = models.CharField("名称", max_length=50)
    matter_type = models.ForeignKey(
        MatterType,
        verbose_name="适用事项",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reply_templates",
    )
    role = models.CharField(
        "适用角色",
        max_length=32,
        choices=Role.choices,
        null=True,
        blank=True,
        help_text="留空：所有角色均可使用",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="适用机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reply_templates",
        help_text="留空：所有机构；选定后本机构及其下属机构可用",
    )
    body = models.TextField(
        "模板内容", max_length=CONTENT_MAX, help_text="可用 {姓名} {编号} {事项}"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "答复模板"
        verbose_name_plural = "答复模板"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Feedback(models.Model):
    """The requester's rating, submitted through a tokenised link without login."""

    service_request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="feedback"
    )
    token = models.CharField("评价令牌", max_length=64, unique=True)
    satisfaction = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    comment = models.TextField("意见", max_length=1000, blank=True)
    disputed = models.BooleanField("对答复有异议", default=False)
    submitted_at = models.DateTimeField("评价时间", null=True, blank=True)
    created_at = models.DateTimeField("发出时间", auto_now_add=True)

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        indexes = [models.Index(fields=["submitted_at"], name="desk_feedback_submitted_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="feedback_satisfaction_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_request.number} 评价"


class ReturnVisit(models.Model):
    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="return_visits"
    )
    reason = models.CharField("回访原因", max_length=16, choices=ReturnVisitReason.choices)
    status = models.CharField(
        "状态", max_length=16, choices=ReturnVisitStatus.choices, default=ReturnVisitStatus.PENDING
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回访人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField(
        "回访结果", max_length=16, choices=ReturnVisitResult.choices, blank=True
    )
    action = models.CharField(
        "后续处理", max_length=16, choices=ReturnVisitAction.choices, blank=True
    )
    satisfaction = models.PositiveSmallIntegerField("回访满意度", null=True, blank=True)
    note = models.TextField("回访记录", max_length=2000, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    done_at = models.DateTimeField("回访时间", null=True, blank=True)

    class Meta:
        verbose_name = "回访"
        verbose_name_plural = "回访"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "id"]),
            models.Index(fields=["status", "done_at"], name="desk_visit_status_done_at"),
        ]

    def __str__(self) -> str:
        return f"{self.service_request.number} 回访"


class Supervision(models.Model):
    """督办: a superior flags a request with a new deadline; an overlay, not a state."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="supervisions"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="督办人", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("督办事由", max_length=1000)
    new_deadline = models.DateTimeField("督办期限")
    previous_deadline = models.DateTimeField("原期限")
    created_at = models.DateTimeField("督办时间", auto_now_add=True)
    resolved_at = models.DateTimeField("督办结束", null=True, blank=True)

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.service_request.number} 督办"


class ClockChange(models.Model):
    """A request to pause the clock or extend the deadline; it takes effect when approved."""

    class Kind(models.TextChoices):
        PAUSE = "pause", "中止计时"
        EXTENSION = "extension", "延期"

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="clock_changes"
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    reason = models.TextField("理由", max_length=1000)
    extra_workdays = models.PositiveSmallIntegerField("延长工作日", default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "审批状态", max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        verbose_name = "计时变更"
        verbose_name_plural = "计时变更"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.service_request.number} {self.get_kind_display()}"


class Attachment(models.Model):
    """A file received with a request (a scanned letter, a photo, a document)."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to="desk/%Y/%m/")
    original_name = models.CharField("文件名", max_length=100)
    content_type = models.CharField("类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
