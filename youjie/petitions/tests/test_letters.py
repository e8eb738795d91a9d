"""Supervision letters (督办函): numbering per office and year without gaps or leading zeros, a
locked counter and a number already used refused, the .docx in the 信函 format, the events on
each matter, the outbox, the reply, overdue, and who sees which letter."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from docx import Document

from youjie.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.documents.models import IssuedDocument
from youjie.notifications.models import Notification
from youjie.orgs.models import User
from youjie.petitions import selectors, services
from youjie.petitions.choices import LetterStatus
from youjie.petitions.models import (
    DocumentNumberCounter,
    PetitionMatter,
    SupervisionLetter,
)

from .conftest import NOW, SHANGHAI, assign, make_matter, unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def shiguai_matter(city_officer: User, lead_official: User, title: str = "不服民事判决反复信访"):
    return assign(
        city_officer,
        make_matter(city_officer, region_code="150205", title=title),
        lead=lead_official,
    )


def draft(
    city_officer: User, matters: list[PetitionMatter], *, to: str = "150205-ZXB", **kwargs: Any
) -> SupervisionLetter:
    values: dict[str, Any] = {
        "actor": city_officer,
        "recipient_unit": unit(to),
        "matters": matters,
        "requirements": "请逐案核查，落实包案责任，限期化解。",
        "due_on": NOW.date() + timedelta(days=10),
    }
    values.update(kwargs)
    return services.letter_create(**values)


def verbs(record: Any) -> list[str]:
    return [event.verb for event in timeline_for(record)]


# --- numbering -------------------------------------------------------------------------------


def test_numbers_run_per_office_and_year_from_one_without_gaps_or_leading_zeros(
    city_officer, lead_official
):
    matter = shiguai_matter(city_officer, lead_official)
    letters = [
        draft(city_officer, [matter], due_on=date(2027, 1, 20 + index)) for index in range(4)
    ]
    assert all(letter.number == "" and letter.status == LetterStatus.DRAFT for letter in letters)
    # Sent out of drafting order; the second draft is never sent and uses no number.
    sent = [services.letter_send(actor=city_officer, letter=letters[i]) for i in (2, 0, 3)]
    assert [letter.number for letter in sent] == [
        "包政法专督〔2026〕1号",
        "包政法专督〔2026〕2号",
        "包政法专督〔2026〕3号",
    ]
    assert [letter.sequence for letter in sent] == [1, 2, 3]
    letters[1].refresh_from_db()
    assert letters[1].number == "" and letters[1].sequence is None
    # A new year starts again at 1 (the counter is per office, series and year).
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=SHANGHAI), tick=False):
        next_year = services.letter_send(actor=city_officer, letter=letters[1])
    assert next_year.number == "包政法专督〔2027〕1号"
    assert dict(
        DocumentNumberCounter.objects.filter(prefix="包政法专督").values_list("year", "last")
    ) == {2026: 3, 2027: 1}


def test_a_send_that_fails_takes_its_number_back(city_officer, lead_official):
    matter = shiguai_matter(city_officer, lead_official)
    first, failing, second = (draft(city_officer, [matter]) for _ in range(3))
    services.letter_send(actor=city_officer, letter=first)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.letter_send(actor=city_officer, letter=failing)
        raise RuntimeError("the transaction around the send fails after the number was taken")
    assert services.letter_send(actor=city_officer, letter=second).number == "包政法专督〔2026〕2号"
    failing.refresh_from_db()
    assert failing.status == LetterStatus.DRAFT and failing.number == ""


def test_the_counter_row_is_locked_for_update_while_a_letter_is_numbered(
    city_officer, lead_official, monkeypatch
):
    """Two concurrent sends: the second waits on the counter row the first holds (SELECT … FOR
    UPDATE on PostgreSQL; SQLite takes its write lock at BEGIN IMMEDIATE) and then reads the
    advanced value, so both get consecutive numbers."""
    matter = shiguai_matter(city_officer, lead_official)
    letter = draft(city_officer, [matter])
    locked_models: list[type] = []
    original = QuerySet.select_for_update

    def spy(self: QuerySet[Any], *args: Any, **kwargs: Any) -> QuerySet[Any]:
        locked_models.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    with CaptureQueriesContext(connection) as queries:
        services.letter_send(actor=city_officer, letter=letter)
    assert DocumentNumberCounter in locked_models
    counter_reads = [
        query["sql"]
        for query in queries.captured_queries
        if "petitions_documentnumbercounter" in query["sql"] and query["sql"].startswith("SELECT")
    ]
    assert counter_reads, "the counter is read"
    if connection.features.has_select_for_update:
        assert all("FOR UPDATE" in sql for sql in counter_reads), counter_reads
    else:
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_number_already_used_is_refused_and_nothing_is_written(city_officer, lead_official):
    matter = shiguai_matter(city_officer, lead_official)
    # A letter numbered outside the counter (imported from the old system) holds 1号.
    SupervisionLetter.objects.create(
        issuing_office=unit("BT-ZXB"),
        recipient_unit=unit("150205-ZXB"),
        title="旧系统导入的督办函",
        requirements="导入",
        due_on=date(2026, 12, 1),
        status=LetterStatus.SENT,
        prefix="包政法专督",
        year=2026,
        sequence=1,
        number="包政法专督〔2026〕1号",
        sent_on=date(2026, 11, 2),
    )
    letter = draft(city_officer, [matter])
    events_before = Event.objects.count()
    with pytest.raises(Conflict) as refused:
        services.letter_send(actor=city_officer, letter=letter)
    assert refused.value.code == "letter_number_used"
    assert "包政法专督〔2026〕1号已被使用" in refused.value.message
    letter.refresh_from_db()
    assert (letter.status, letter.number, letter.document_id) == (LetterStatus.DRAFT, "", None)
    assert not DocumentNumberCounter.objects.filter(last__gt=0).exists()
    assert IssuedDocument.objects.count() == 0
    assert Event.objects.count() == events_before
    assert "supervision_letter_sent" not in verbs(matter)
    # Once the counter is moved past it, the next send takes 2号.
    DocumentNumberCounter.objects.create(
        office=unit("BT-ZXB"), prefix="包政法专督", year=2026, last=1
    )
    assert services.letter_send(actor=city_officer, letter=letter).number == "包政法专督〔2026〕2号"


# --- the document, the events, the outbox ---------------------------------------------------


def test_sending_issues_the_letter_format_docx_records_events_and_tells_the_recipient(
    city_officer, county_officer, lead_official
):
    with time_machine.travel(datetime(2026, 3, 5, 9, 0, tzinfo=SHANGHAI), tick=False):
        first, second = (
            assign(
                city_officer,
                make_matter(
                    city_officer, region_code="150205", title=title, received_on=date(2026, 3, 2)
                ),
                lead=lead_official,
            )
            for title in ("房屋拆迁补偿信访", "执行款未到位信访")
        )
        letter = draft(
            city_officer, [first, second], due_on=date(2026, 3, 20), title="关于督促办理积案的函"
        )
        sent = services.letter_send(actor=city_officer, letter=letter)
    assert sent.status == LetterStatus.SENT and sent.sent_on == date(2026, 3, 5)
    issued = sent.document
    assert issued is not None and issued.number == "包政法专督〔2026〕1号"
    assert issued.kind == "letter" and issued.format == "letter" and len(issued.sha256) == 64
    docx = Document(io.BytesIO(issued.file.open("rb").read()))
    texts = [paragraph.text.strip() for paragraph in docx.paragraphs]
    assert "包政法专督〔2026〕1号" in texts
    assert "2026年3月5日" in texts  # 成文日期 without leading zeros
    assert "石拐区专项办：" in texts
    assert any("请于2026年3月20日前将办理情况书面报送中共包头市委政法委员会" in t for t in texts)
    assert any(first.number in t and "房屋拆迁补偿信访" in t for t in texts)
    assert docx.sections[0].different_first_page_header_footer  # no page number on page 1
    for matter in (first, second):
        event = Event.objects.get(
            subject_type="petitions.petitionmatter",
            subject_id=str(matter.pk),
            verb="supervision_letter_sent",
        )
        assert event.data["number"] == "包政法专督〔2026〕1号"
        assert event.data["due_on"] == "2026-03-20"
    assert verbs(sent) == ["created", "sent", "document_issued"]
    notes = Notification.objects.filter(
        subject_type="petitions.supervisionletter", subject_id=str(sent.pk)
    )
    assert notes.count() == 1  # the 石拐区 office officer, nobody else
    note = notes.get()
    assert "包政法专督〔2026〕1号" in note.subject
    assert "请于2026年3月20日前书面答复" in note.body
    assert selectors.letter_list(user=county_officer).get() == sent


def test_reply_by_the_recipient_counts_as_progress_and_is_marked_late_after_the_deadline(
    city_officer, county_officer, byeb_county_officer, lead_official
):
    matter = shiguai_matter(city_officer, lead_official)
    letter = services.letter_send(
        actor=city_officer, letter=draft(city_officer, [matter], due_on=date(2026, 11, 25))
    )
    assert not selectors.letter_list(user=city_officer, overdue=True).exists()
    later = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(later, tick=False):
        assert list(selectors.letter_list(user=city_officer, overdue=True)) == [letter]
        assert SupervisionLetter.objects.overdue(today=later.date()).get() == letter
        with pytest.raises(PermissionDenied):
            services.letter_reply(actor=byeb_county_officer, letter=letter, reply_text="无关单位")
        with pytest.raises(PermissionDenied):
            services.letter_reply(actor=city_officer, letter=letter, reply_text="发函单位")
        replied = services.letter_reply(
            actor=county_officer, letter=letter, reply_text="已约见信访人，正在落实补偿。"
        )
        assert not selectors.letter_list(user=city_officer, overdue=True).exists()
    assert replied.status == LetterStatus.REPLIED
    assert replied.replied_on == date(2026, 11, 27) and replied.replied_by == county_officer
    event = Event.objects.get(
        subject_type="petitions.petitionmatter",
        subject_id=str(matter.pk),
        verb="supervision_letter_replied",
    )
    assert event.data["late"] is True and event.data["number"] == letter.number
    matter.refresh_from_db()
    assert matter.last_progress_at == later
    assert Notification.objects.filter(
        subject_type="petitions.supervisionletter",
        subject_id=str(letter.pk),
        subject__contains="已答复",
    ).exists()
    with pytest.raises(InvalidTransition):
        services.letter_reply(actor=county_officer, letter=letter, reply_text="再答复一次")


# --- refusals ---------------------------------------------------------------------------------


def test_a_letter_is_refused_with_the_reason_and_nothing_is_written(
    city_officer, county_officer, lead_official
):
    shiguai = shiguai_matter(city_officer, lead_official)
    byeb = assign(city_officer, make_matter(city_officer, region_code="150206"), lead=lead_official)
    with pytest.raises(ValidationFailed) as outside:
        draft(city_officer, [shiguai, byeb])
    assert f"{byeb.number}不属于“石拐区专项办”的属地或职责范围" in outside.value.fields["matters"]
    with pytest.raises(ValidationFailed) as past:
        draft(city_officer, [shiguai], due_on=NOW.date() - timedelta(days=1))
    assert "答复期限不能早于今天" in past.value.fields["due_on"][0]
    with pytest.raises(ValidationFailed) as empty:
        draft(city_officer, [shiguai], requirements="   ")
    assert empty.value.fields["requirements"] == ["请填写督办要求"]
    with pytest.raises(ValidationFailed) as unprintable:
        draft(city_officer, [shiguai], requirements="请核查\x07")
    assert "控制字符" in unprintable.value.message
    with pytest.raises(ValidationFailed) as self_addressed:
        draft(city_officer, [shiguai], to="BT-ZXB")
    assert self_addressed.value.fields["recipient_unit"] == ["不能向本单位发督办函"]
    # A county office has no 发文机关代字 configured: it cannot send 督办函.
    with pytest.raises(ValidationFailed) as no_prefix:
        services.letter_create(
            actor=county_officer,
            recipient_unit=unit("150205-ZFW"),
            matters=[shiguai],
            requirements="请核查",
            due_on=NOW.date() + timedelta(days=5),
        )
    assert no_prefix.value.code == "letter_prefix_missing"
    assert not SupervisionLetter.objects.exists()


def test_only_the_issuing_office_sends_and_a_terminated_matter_stops_the_send(
    city_officer, county_officer, lead_official
):
    matter = shiguai_matter(city_officer, lead_official)
    letter = draft(city_officer, [matter])
    with pytest.raises(PermissionDenied):
        services.letter_send(actor=county_officer, letter=letter)
    PetitionMatter.objects.filter(pk=matter.pk).update(no_further_counting=True)
    with pytest.raises(ValidationFailed) as refused:
        services.letter_send(actor=city_officer, letter=letter)
    assert "已依法终结" in refused.value.message
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT
    assert not DocumentNumberCounter.objects.filter(last__gt=0).exists()


# --- who sees which letter --------------------------------------------------------------------


def test_a_county_officer_sees_only_the_letters_addressed_to_their_county(
    city_officer, county_officer, byeb_county_officer, lead_official, case_handler
):
    shiguai = shiguai_matter(city_officer, lead_official)
    byeb = assign(
        city_officer,
        make_matter(city_officer, region_code="150206"),
        lead=lead_official,
        handler=case_handler,
    )
    to_shiguai = services.letter_send(actor=city_officer, letter=draft(city_officer, [shiguai]))
    to_byeb = services.letter_send(
        actor=city_officer, letter=draft(city_officer, [byeb], to="150206-ZXB")
    )
    assert set(selectors.letter_list(user=city_officer)) == {to_shiguai, to_byeb}
    assert list(selectors.letter_list(user=county_officer)) == [to_shiguai]
    assert list(selectors.letter_list(user=byeb_county_officer)) == [to_byeb]
    # The handler of the matter a letter names sees that letter.
    assert list(selectors.letter_list(user=case_handler)) == [to_byeb]
    with pytest.raises(NotFound):
        selectors.letter_get(user=county_officer, pk=to_byeb.pk)
    assert selectors.letter_get(user=county_officer, pk=to_shiguai.pk) == to_shiguai
    # The matter's page lists the sent letters naming it, as the viewer may see them; a draft
    # is the office's own business until it is sent.
    also_draft = draft(city_officer, [shiguai])
    assert selectors.matter_supervision(user=county_officer, matter=shiguai).letters == [to_shiguai]
    assert also_draft not in selectors.matter_supervision(user=city_officer, matter=shiguai).letters
    assert not selectors.matter_supervision(user=case_handler, matter=shiguai)


def test_a_letter_sent_earlier_on_paper_is_recorded_with_its_dates(city_officer, lead_official):
    matter = shiguai_matter(city_officer, lead_official)
    earlier = NOW.date() - timedelta(days=20)
    drafted = draft(city_officer, [matter], due_on=earlier + timedelta(days=10), drafted_on=earlier)
    with pytest.raises(ValidationFailed) as future:
        services.letter_send(
            actor=city_officer, letter=drafted, sent_on=NOW.date() + timedelta(days=1)
        )
    assert "发文日期不能晚于今天" in future.value.message
    with pytest.raises(ValidationFailed) as late:
        services.letter_send(
            actor=city_officer, letter=drafted, sent_on=earlier + timedelta(days=11)
        )
    assert "答复期限不能早于发文日期" in late.value.message
    sent = services.letter_send(actor=city_officer, letter=drafted, sent_on=earlier)
    assert sent.sent_on == earlier and sent.number == "包政法专督〔2026〕1号"
    assert list(SupervisionLetter.objects.overdue(today=NOW.date())) == [sent]
    with pytest.raises(ValidationFailed) as not_yet:
        draft(city_officer, [matter], drafted_on=NOW.date() + timedelta(days=1))
    assert "拟稿日期不能晚于今天" in not_yet.value.message
