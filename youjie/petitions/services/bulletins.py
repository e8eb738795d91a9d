"""每日一通报: every working day at the configured time (YOUJIE_PETITIONS_BULLETIN_TIME, 18:00
Beijing by default) a bulletin of the figures by region and by unit is issued by the configured
office, numbered in its yearly series (包政法通〔2026〕12号), rendered in the standard 文件 format
(``documents.render_document`` through ``document_issue``) and delivered through the outbox.

A bulletin is kept as issued: its figures are a JSON snapshot and its .docx the document
rendered from them; one per day (a unique date), never rewritten — issuing again for a day
returns the bulletin already issued. A bulletin for a future date is refused.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from youjie.core.errors import Conflict, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.documents.choices import DocumentFormat, DocumentKind
from youjie.documents.numbers import document_number
from youjie.documents.official import Heading, OfficialDocument, Paragraph, Table, chinese_date
from youjie.documents.services import document_issue
from youjie.notifications.services import notification_enqueue
from youjie.orgs.choices import Role
from youjie.orgs.models import OrgUnit, User
from youjie.petitions.models import DailyBulletin
from youjie.petitions.permissions import can_issue_bulletin
from youjie.petitions.policy import supervision_policy
from youjie.petitions.selectors import bulletin_figures
from youjie.petitions.services.common import today
from youjie.petitions.services.letters import document_sequence_next, issuing_authority
from youjie.workdays.calendar import SHANGHAI, is_workday

ADDRESSEE = "各旗县区委政法委、专项办，市直各政法单位"
FIGURE_COLUMNS = ("排名", "{what}", "总数", "已化解", "办理中", "当日进展", "超期", "化解率")


def bulletin_office() -> OrgUnit:
    code = supervision_policy().bulletin_office
    office = OrgUnit.objects.select_related("region").filter(code=code, is_active=True).first()
    if office is None:
        raise ValidationFailed(
            f"未找到发布每日通报的单位（YOUJIE_PETITIONS_BULLETIN_OFFICE={code}）",
            code="bulletin_office_missing",
        )
    return office


def bulletin_issuer(office: OrgUnit) -> User:
    """Who the periodic task issues the bulletin as: the configured user, else the issuing
    office's first active officer (an issued document always names a person)."""
    username = supervision_policy().bulletin_issuer
    users = User.objects.filter(is_active=True)
    issuer = (
        users.filter(username=username).first()
        if username
        else users.filter(org_unit=office, user_roles__role=Role.OFFICE_OFFICER)
        .order_by("pk")
        .first()
    )
    if issuer is None:
        raise ValidationFailed(
            f"“{office.name}”没有可署名发布每日通报的在岗干部（YOUJIE_PETITIONS_BULLETIN_ISSUER）",
            code="bulletin_issuer_missing",
        )
    return issuer


def bulletin_title(day: date) -> str:
    return f"关于{day.month}月{day.day}日涉法涉诉信访事项\n化解进展情况的通报"


def _table(rows: list[dict[str, object]], what: str, caption: str) -> Table:
    return Table(
        header=tuple(column.format(what=what) for column in FIGURE_COLUMNS),
        rows=tuple(
            (
                str(row["rank"]),
                str(row["name"]),
                str(row["total"]),
                str(row["resolved"]),
                str(row["in_progress"]),
                str(row["progress_today"]),
                str(row["overdue"]),
                f"{row['rate']}%",
            )
            for row in rows
        ),
        caption=caption,
        widths=(2, 6, 2, 2, 2, 2, 2, 3),
    )


def bulletin_document(
    *, figures: dict[str, object], number: str, day: date, office: OrgUnit
) -> OfficialDocument:
    """The bulletin in the standard 文件 format (GB/T 9704-2012 §7), from its snapshot only:
    the same figures give the same document."""
    totals = figures["totals"]
    regions = figures["regions"]
    units = figures["units"]
    assert isinstance(totals, dict) and isinstance(regions, list) and isinstance(units, list)
    as_of = datetime.fromisoformat(str(figures["as_of"])).astimezone(SHANGHAI)
    authority = issuing_authority(office)
    body: list[Paragraph | Heading | Table] = [
        Heading(1, "总体情况"),
        Paragraph(
            f"截至{chinese_date(as_of.date())}{as_of.hour}时{as_of.minute:02d}分，"
            f"纳入统计的涉法涉诉信访事项{totals['total']}件，已化解{totals['resolved']}件"
            f"（其中事心双解{totals['settled']}件），化解率{totals['rate']}%；"
            f"办理中{totals['in_progress']}件，当日有进展{totals['progress_today']}件，"
            f"超期{totals['overdue']}件。"
        ),
    ]
    if regions:
        body += [
            Heading(1, "各地区进展"),
            _table(regions, "地区", "各旗县区化解进展（按化解率排名）"),
        ]
    if units:
        body += [
            Heading(1, "各责任单位进展"),
            _table(units, "责任单位", "各责任单位化解进展（按化解率排名）"),
        ]
    late = [str(row["name"]) for row in regions if int(row["overdue"]) > 0]
    body.append(Heading(1, "工作要求"))
    if late:
        body.append(
            Paragraph(
                f"{'、'.join(late[:12])}{'等' if len(late) > 12 else ''}有超期事项"
                f"{totals['overdue']}件，请相关地区和单位逐件说明原因，于下一个工作日前报送办理情况。"
            )
        )
    body.append(
        Paragraph("各地区、各单位要坚持每案必见、逐案解剖，压实包案责任，确保按期化解、事心双解。")
    )
    return OfficialDocument(
        format=DocumentFormat.FILE,
        authority=authority,
        number=number,
        title=bulletin_title(day),
        addressee=ADDRESSEE,
        body=tuple(body),
        signatory=authority,
        date=day,
        printer=office.name,
        printed_on=day,
    )


def _deliver(bulletin: DailyBulletin) -> int:
    """The bulletin to every active office officer (e-mail, else the console channel the staff
    home shows) and to the configured addresses, through the outbox; once each."""
    totals = bulletin.figures["totals"]
    subject = f"每日通报 {chinese_date(bulletin.day)}（{bulletin.number}）"
    body = (
        f"{bulletin.number}：截至{chinese_date(bulletin.day)}，纳入统计的信访事项{totals['total']}件，"
        f"已化解{totals['resolved']}件，化解率{totals['rate']}%，办理中{totals['in_progress']}件，"
        f"超期{totals['overdue']}件。全文见“信访化解 · 每日通报”。"
    )
    recipients: list[tuple[str, str]] = []
    officers = (
        User.objects.filter(is_active=True, user_roles__role=Role.OFFICE_OFFICER)
        .distinct()
        .order_by("pk")
    )
    for officer in officers:
        recipients.append(
            ("email", officer.email) if officer.email else ("console", f"user:{officer.pk}")
        )
    recipients += [("email", address) for address in supervision_policy().bulletin_recipients]
    for channel, address in dict.fromkeys(recipients):
        notification_enqueue(
            channel=channel,
            recipient=address,
            subject=subject,
            body=body,
            about=bulletin,
            dedupe_key=f"petitions:bulletin:{bulletin.day.isoformat()}:{channel}:{address}"[:200],
        )
    return len(dict.fromkeys(recipients))


def bulletin_issue(
    *, actor: User | None = None, day: date | None = None, now: datetime | None = None
) -> DailyBulletin:
    """The bulletin of ``day`` (today): the one already issued, or issued now from the data.
    ``actor`` None: the periodic task (issued as ``bulletin_issuer``). Refused: a future date,
    an actor who is not an officer over the issuing office's region, a number already used."""
    moment = now or timezone.now()
    current = today()
    day = day or current
    if day > current:
        message = f"不能生成未来日期（{chinese_date(day)}）的通报"
        raise ValidationFailed(message, code="bulletin_future", fields={"day": [message]})
    office = bulletin_office()
    if actor is not None and not can_issue_bulletin(actor, office):
        raise PermissionDenied("只有市专项办干部可以生成每日通报")
    existing = DailyBulletin.objects.filter(day=day).first()
    if existing is not None:
        return existing
    issuer = actor or bulletin_issuer(office)
    prefix = supervision_policy().bulletin_prefix
    try:
        with transaction.atomic():
            sequence = document_sequence_next(office=office, prefix=prefix, year=day.year)
            number = document_number(prefix, day.year, sequence)
            if DailyBulletin.objects.filter(number=number).exists():
                raise Conflict(
                    f"发文字号{number}已被使用，不能重复编号；请系统管理员核对通报发文字号计数器",
                    code="bulletin_number_used",
                    extra={"number": number},
                )
            figures = bulletin_figures(office=office, day=day, now=moment)
            document = bulletin_document(figures=figures, number=number, day=day, office=office)
            bulletin = DailyBulletin.objects.create(
                day=day,
                office=office,
                prefix=prefix,
                year=day.year,
                sequence=sequence,
                number=number,
                title=document.title.replace("\n", ""),
                figures=figures,
                generated_at=moment,
                generated_by=actor,
            )
            issued = document_issue(
                actor=issuer,
                document=document,
                kind=DocumentKind.BULLETIN,
                subject=bulletin,
                inputs={"bulletin_id": bulletin.pk, "day": day.isoformat()},
            )
            bulletin.document = issued
            bulletin.save(update_fields=["document"])
            recipients = _deliver(bulletin)
            event_record(
                subject=bulletin,
                verb="issued",
                actor=actor or "系统",
                data={
                    "number": number,
                    "day": day.isoformat(),
                    "totals": figures["totals"],
                    "recipients": recipients,
                },
            )
    except IntegrityError:
        # Issued for that day meanwhile by another worker (the day is unique).
        existing = DailyBulletin.objects.filter(day=day).first()
        if existing is None:
            raise
        return existing
    return bulletin


def bulletin_issue_if_due(*, now: datetime | None = None) -> DailyBulletin | None:
    """The periodic task's step: on a working day, once the configured time has come, issue
    the day's bulletin if it is not issued yet."""
    moment = now or timezone.now()
    local = timezone.localtime(moment, SHANGHAI)
    day = local.date()
    if not is_workday(day) or local.time() < supervision_policy().bulletin_time:
        return None
    if DailyBulletin.objects.filter(day=day).exists():
        return None
    return bulletin_issue(day=day, now=moment)
