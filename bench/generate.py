"""Load 1,000,000 desk requests with realistic Chinese text into var/bench.sqlite3.

    .venv/bin/python bench/generate.py [--rows 1000000] [--db var/bench.sqlite3]

What it builds, over the last ~700 days up to yesterday (today stays free for the create
workload's request numbers):

- requests across the demo court's divisions and its 32 judges, every channel and matter type,
  with deadlines from the working-day calendar, a realistic life (routed, accepted, answered on
  time or late, rated, closed; some withdrawn, merged, paused, supervised, or forgotten and
  overdue) and a status that follows from where "now" falls in that life;
- their replies, feedback, return visits, supervisions and 3–7 timeline events each;
- their full-text index rows. jieba segments ~5,000 sentences a second, so 5,000 distinct
  documents are segmented once and their token strings reused (the same text → the same tokens
  that ``youjie.core.textsearch.index_text`` would write).

The database is separate (``DATABASE_URL=sqlite:///…/var/bench.sqlite3``), migrated and seeded
with ``seed_demo`` and the default matter types first. Rows go in with ``executemany`` on a raw
sqlite3 connection in large transactions, with the secondary indexes dropped during the load
and rebuilt after (sorting once is much faster than a million random index inserts).

Idempotent: a table ``bench_meta`` records the load. A complete load is skipped; an interrupted
one (the marker says "loading") makes the next run delete the file and start again.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import time
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from youjie.desk.search import SQLITE_SCOPE_TOKENS  # noqa: E402 - needs no settings

DEFAULT_DB = ROOT / "var" / "bench.sqlite3"
DOCUMENTS = 5_000
MOBILES = 50_000
NAMES = 3_000
SPAN_DAYS = 700
CHUNK = 25_000
SHANGHAI_OFFSET = 8 * 3600  # Asia/Shanghai has no daylight saving time
LOADED_TABLES = (
    "desk_servicerequest",
    "desk_reply",
    "desk_feedback",
    "desk_returnvisit",
    "desk_supervision",
    "core_event",
)


def setup_django(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()


def log(message: str) -> None:
    print(f"[generate {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the bench_meta marker -------------------------------------------------------------------


def meta_get(db_path: Path, key: str) -> str | None:
    if not db_path.exists():
        return None
    connection = sqlite3.connect(db_path)
    try:
        row = connection.execute("SELECT value FROM bench_meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        connection.close()
    return None if row is None else str(row[0])


def meta_set(connection: sqlite3.Connection, key: str, value: str) -> None:
    connection.execute("CREATE TABLE IF NOT EXISTS bench_meta (key TEXT PRIMARY KEY, value TEXT)")
    connection.execute(
        "INSERT INTO bench_meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def remove_database(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


# --- reference data (through Django, before the raw load) ------------------------------------


@dataclass
class Reference:
    court_id: int
    divisions: dict[str, int]
    judges_by_division: dict[int, list[tuple[int, str]]]
    reception_id: int
    divhead_id: int
    leader_id: int
    fixed_line_id: int
    deputies_line_id: int
    line_of_user: dict[int, int]
    matter_types: dict[str, dict[str, Any]]
    mobiles: list[tuple[str, str, str]]  # encrypted, hash, masked
    names: list[str]
    documents: list[tuple[str, str, str, str, str, str]]  # type, title, content, reply, tokens×2


def prepare_reference() -> Reference:
    from django.core.management import call_command

    from bench.textpool import documents, names
    from youjie.core.crypto import encrypt_text
    from youjie.core.textsearch import index_text
    from youjie.demo.services import SeedReport, seed_all
    from youjie.desk.catalog import install_default_matter_types
    from youjie.desk.models import MatterType
    from youjie.orgs.models import Line, OrgUnit, User
    from youjie.people.identity import phone_hash
    from youjie.people.validators import mask_mobile

    log("migrating and loading the demo organisation (seed_demo, matter types)")
    call_command("migrate", verbosity=0, interactive=False)
    seed_all(report=SeedReport())
    install_default_matter_types()

    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    divisions = dict(OrgUnit.objects.filter(parent=court).values_list("code", "id"))
    judges_by_division: dict[int, list[tuple[int, str]]] = {}
    for user in User.objects.filter(user_roles__role="judge").order_by("id"):
        if user.org_unit_id is not None:
            judges_by_division.setdefault(user.org_unit_id, []).append(
                (user.pk, user.get_full_name())
            )
    line_of_user = {
        int(owner): int(line)
        for line, owner in Line.objects.filter(kind="work_phone").values_list("id", "owner_user")
        if owner is not None
    }
    matter_types: dict[str, dict[str, Any]] = {
        row["code"]: dict(row)
        for row in MatterType.objects.values(
            "id",
            "code",
            "category",
            "default_division_id",
            "first_response_limit",
            "first_response_unit",
            "completion_limit",
            "completion_unit",
        )
    }
    log(f"encrypting {MOBILES:,} synthetic mobiles and segmenting {DOCUMENTS:,} documents")
    mobiles = []
    for n in range(MOBILES):
        mobile = f"199{(n * 7919) % 100_000_000:08d}"
        mobiles.append((encrypt_text(mobile), phone_hash(mobile), mask_mobile(mobile)))
    started = time.monotonic()
    pool = []
    for document in documents(DOCUMENTS):
        pool.append(
            (
                document.matter_type,
                document.title,
                document.content,
                document.reply,
                index_text(document.title, document.content),
                index_text(document.title, document.content, document.reply),
            )
        )
    log(f"segmented the pool in {time.monotonic() - started:.1f} s")
    return Reference(
        court_id=court.pk,
        divisions=divisions,
        judges_by_division=judges_by_division,
        reception_id=User.objects.get(username="reception").pk,
        divhead_id=User.objects.get(username="divhead").pk,
        leader_id=User.objects.get(username="leader").pk,
        fixed_line_id=Line.objects.get(kind="fixed").pk,
        deputies_line_id=Line.objects.get(kind="deputies").pk,
        line_of_user=line_of_user,
        matter_types=matter_types,
        mobiles=mobiles,
        names=names(NAMES),
        documents=pool,
    )


# --- the calendar, as plain numbers ----------------------------------------------------------


class Calendar:
    """Working days around the generated span, from youjie.workdays (with its holidays)."""

    def __init__(self, first: date, last: date) -> None:
        from youjie.workdays.calendar import is_workday

        self.first = first
        self.days: list[date] = []
        self.workday: list[bool] = []
        day = first
        while day <= last:
            self.days.append(day)
            try:
                self.workday.append(is_workday(day))
            except Exception:
                self.workday.append(day.weekday() < 5)
            day += timedelta(days=1)
        self.workday_indexes = [i for i, flag in enumerate(self.workday) if flag]

    def index(self, day: date) -> int:
        return (day - self.first).days

    def add_workdays(self, index: int, count: int) -> int:
        """The index of the ``count``-th working day after day ``index`` (the day not counted)."""
        position = bisect_right(self.workday_indexes, index)
        target = min(position + count - 1, len(self.workday_indexes) - 1)
        return self.workday_indexes[target]

    def midnight(self, index: int) -> int:
        """Local midnight of day ``index`` as a UTC epoch second."""
        day = self.days[index]
        return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()) - SHANGHAI_OFFSET


OPEN_AT = 8 * 3600 + 1800  # 08:30
CLOSE_AT = 17 * 3600 + 1800  # 17:30
LUNCH = (12 * 3600, 14 * 3600)


def stamp(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


# --- one chunk of requests ----------------------------------------------------------------------

CHANNELS = (
    ("phone", 34),
    ("work_phone", 20),
    ("walk_in", 15),
    ("portal", 12),
    ("wechat", 12),
    ("letter", 3),
    ("api", 3),
    ("deputies_line", 1),
)
CASE_DIVISIONS = ("BT-BYEB-MS", "BT-BYEB-MS", "BT-BYEB-MS", "BT-BYEB-XS", "BT-BYEB-ZX")
SATISFACTION = (5,) * 12 + (4,) * 5 + (3, 3, 2, 1)  # ≥4: 81%, ≤2 (dissatisfied): 9.5%


@dataclass
class Batch:
    requests: list[tuple[Any, ...]]
    replies: list[tuple[Any, ...]]
    feedback: list[tuple[Any, ...]]
    visits: list[tuple[Any, ...]]
    supervisions: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]
    fts: list[tuple[int, str]]


class Generator:
    def __init__(self, reference: Reference, calendar: Calendar, now: int, seed: int = 1) -> None:
        self.ref = reference
        self.cal = calendar
        self.now = now
        self.rng = random.Random(seed)
        self.channels = [name for name, _w in CHANNELS]
        self.channel_weights = [weight for _n, weight in CHANNELS]
        self.documents_by_type: dict[str, list[int]] = {}
        for index, document in enumerate(reference.documents):
            self.documents_by_type.setdefault(document[0], []).append(index)
        self.all_documents = list(range(len(reference.documents)))
        self.division_names = {value: key for key, value in reference.divisions.items()}

    # deadlines ---------------------------------------------------------------------------------
    def _work_hours_after(self, created: int, hours: int) -> int:
        """``hours`` office hours after ``created`` (approximate: lunch ignored within a day)."""
        day = (created - self.cal.midnight(0)) // 86400
        midnight = self.cal.midnight(day)
        seconds_into_day = created - midnight
        remaining = hours * 3600
        if self.cal.workday[day] and seconds_into_day < CLOSE_AT:
            start = max(seconds_into_day, OPEN_AT)
            available = CLOSE_AT - start
            if remaining <= available:
                return midnight + start + remaining
            remaining -= available
        next_day = self.cal.add_workdays(day, 1)
        return self.cal.midnight(next_day) + OPEN_AT + min(remaining, CLOSE_AT - OPEN_AT)

    def _due(self, created: int, day: int, limit: int, unit: str) -> int:
        if unit == "work_hours":
            return self._work_hours_after(created, limit)
        return self.cal.midnight(self.cal.add_workdays(day, limit)) + CLOSE_AT

    # one request ---------------------------------------------------------------------------------
    def build(self, first_id: int, day_plan: list[tuple[int, int]]) -> Batch:
        """``day_plan``: (calendar day index, sequence number within the day) per request."""
        rng = self.rng
        ref = self.ref
        batch = Batch([], [], [], [], [], [], [])
        for offset, (day, sequence) in enumerate(day_plan):
            pk = first_id + offset
            channel = rng.choices(self.channels, self.channel_weights)[0]
            midnight = self.cal.midnight(day)
            if channel in ("portal", "wechat", "api") and rng.random() < 0.35:
                created = midnight + rng.randrange(7 * 3600, 23 * 3600)
            else:
                created = midnight + rng.randrange(OPEN_AT, CLOSE_AT)
            if channel == "work_phone":
                document_index = rng.choice(
                    self.documents_by_type.get("contact_judge", self.all_documents)
                    + self.documents_by_type.get("case_query", [])
                )
            else:
                document_index = rng.choice(self.all_documents)
            matter_code, title, content, reply_body, tokens, tokens_replied = ref.documents[
                document_index
            ]
            matter = ref.matter_types[matter_code]
            # Division and judge: case-related matters go to the trial divisions.
            if matter_code in ("contact_judge", "case_query"):
                division_id = ref.divisions[rng.choice(CASE_DIVISIONS)]
            else:
                division_id = matter["default_division_id"] or ref.divisions["BT-BYEB-LAT"]
            judges = ref.judges_by_division.get(division_id) or []
            assignee = rng.choice(judges) if judges else None
            assignee_id = assignee[0] if assignee else None
            line_id = None
            first_contact = None
            if channel in ("phone", "walk_in", "letter"):
                first_contact = ref.reception_id
                line_id = ref.fixed_line_id if channel == "phone" else None
            elif channel == "work_phone" and assignee_id is not None:
                first_contact = assignee_id
                line_id = ref.line_of_user.get(assignee_id)
            elif channel == "deputies_line":
                first_contact = ref.leader_id
                line_id = ref.deputies_line_id
            priority = "priority" if channel == "deputies_line" else "normal"
            first_limit = matter["first_response_limit"]
            completion_limit = matter["completion_limit"]
            if priority == "priority":
                first_limit = max(1, first_limit // 2)
                completion_limit = max(1, completion_limit // 2)
            first_due = self._due(created, day, first_limit, matter["first_response_unit"])
            completion_due = self._due(created, day, completion_limit, matter["completion_unit"])
            first_due = min(first_due, completion_due)

            mobile = rng.choice(ref.mobiles) if rng.random() < 0.9 else ("", "", "")
            name = rng.choice(ref.names)
            events: list[tuple[str, int, str, str, int | None, str, dict[str, Any]]] = []
            actor_reception = first_contact
            events.append(
                ("registered", created, "", "registered", actor_reception, "", {"channel": channel})
            )

            status = "registered"
            first_responded = replied = closed = paused_at = transfer_sent = None
            transfer_division = transfer_user = None
            division = None
            routing_rule = ""
            merged_into = None
            is_supervised = False
            reply_rows: list[tuple[Any, ...]] = []
            feedback_row: tuple[str, int | None, int | None, int] | None = None
            visit_rows: list[tuple[Any, ...]] = []
            supervision_rows: list[tuple[Any, ...]] = []
            final_assignee = None

            fate = rng.random()
            on_the_spot = (
                matter["category"] == "consultation"
                and channel
                in (
                    "phone",
                    "walk_in",
                )
                and rng.random() < 0.35
            )
            if fate < 0.015:  # withdrawn by the requester
                at = created + rng.randrange(600, 2 * 86400)
                if at <= self.now:
                    status = "withdrawn"
                    events.append(
                        (
                            "withdrawn",
                            at,
                            "registered",
                            "withdrawn",
                            first_contact,
                            "诉求人撤回",
                            {},
                        )
                    )
            elif fate < 0.025 and pk > first_id + 100:  # a duplicate, merged into an earlier one
                at = created + rng.randrange(600, 86400)
                if at <= self.now:
                    status = "merged"
                    merged_into = pk - rng.randrange(1, 100)
                    events.append(
                        ("merged", at, "registered", "merged", first_contact, "重复诉求并案", {})
                    )
            elif on_the_spot:
                at = created + rng.randrange(120, 1200)
                if at <= self.now:
                    status = "replied"
                    first_responded = replied = at
                    final_assignee = first_contact
                    division = ref.divisions["BT-BYEB-LAT"]
                    reply_rows.append(("on_the_spot", reply_body, at, first_contact))
                    events.append(
                        ("replied_on_the_spot", at, "registered", "replied", first_contact, "", {})
                    )
            else:
                routed = created + rng.randrange(60, 1800)
                accepted = routed + rng.randrange(300, 4 * 3600)
                forgotten = fate > 0.997  # never answered: the overdue backlog
                paused = 0.992 < fate <= 0.997 and created > self.now - 30 * 86400
                late_first = rng.random() < 0.07
                late_reply = rng.random() < 0.10
                if late_first:
                    responded_at = first_due + rng.randrange(3600, 3 * 86400)
                else:
                    responded_at = accepted + int(
                        (max(first_due, accepted + 60) - accepted) * rng.random() * 0.9
                    )
                if late_reply:
                    reply_at = completion_due + rng.randrange(3600, 10 * 86400)
                else:
                    reply_at = responded_at + int(
                        max(completion_due - responded_at, 600) * rng.random() * 0.95
                    )
                reply_at = max(reply_at, responded_at)
                if routed <= self.now:
                    status = "awaiting_acceptance"
                    routing_rule = "line" if line_id and channel == "work_phone" else "matter_type"
                    transfer_division, transfer_user, transfer_sent = (
                        division_id,
                        assignee_id,
                        routed,
                    )
                    events.append(
                        (
                            "routed",
                            routed,
                            "registered",
                            "awaiting_acceptance",
                            first_contact,
                            "自动分派",
                            {"division": self.division_names.get(division_id, "")},
                        )
                    )
                if accepted <= self.now:
                    status = "in_progress"
                    division, final_assignee = division_id, assignee_id
                    transfer_division = transfer_user = transfer_sent = None
                    events.append(
                        (
                            "accepted",
                            accepted,
                            "awaiting_acceptance",
                            "in_progress",
                            assignee_id,
                            "",
                            {},
                        )
                    )
                if paused and status == "in_progress":
                    pause_at = accepted + rng.randrange(3600, 86400)
                    if pause_at <= self.now:
                        status = "paused"
                        paused_at = pause_at
                        events.append(
                            (
                                "paused",
                                pause_at,
                                "in_progress",
                                "paused",
                                assignee_id,
                                "等待诉求人补充材料",
                                {},
                            )
                        )
                if status == "in_progress" and not forgotten:
                    if responded_at <= self.now:
                        first_responded = responded_at
                        if responded_at < reply_at - 3600:
                            reply_rows.append(
                                (
                                    "interim",
                                    "您好，您的诉求已收到，正在办理中，办理结果将及时答复。",
                                    responded_at,
                                    assignee_id,
                                )
                            )
                            events.append(
                                ("interim_reply", responded_at, "", "", assignee_id, "", {})
                            )
                    if late_reply and rng.random() < 0.3:
                        supervised_at = completion_due + rng.randrange(3600, 86400)
                        if supervised_at <= self.now:
                            new_deadline = supervised_at + 3 * 86400
                            supervision_rows.append((supervised_at, completion_due, new_deadline))
                            events.append(
                                (
                                    "supervised",
                                    supervised_at,
                                    "",
                                    "",
                                    ref.divhead_id,
                                    "超期督办",
                                    {},
                                )
                            )
                            completion_due = new_deadline
                            is_supervised = True
                    if reply_at <= self.now:
                        status = "replied"
                        replied = reply_at
                        is_supervised = False
                        if first_responded is None:
                            first_responded = reply_at
                        reply_rows.append(("answer", reply_body, reply_at, assignee_id))
                        events.append(
                            ("replied", reply_at, "in_progress", "replied", assignee_id, "", {})
                        )
            if status == "replied" and replied is not None:
                token = f"bench-{pk}-{rng.getrandbits(64):016x}"
                rated = rng.random() < 0.6
                satisfaction = rng.choice(SATISFACTION) if rated else None
                rated_at = replied + rng.randrange(600, 3 * 86400) if rated else None
                window_end = (
                    self.cal.midnight(
                        self.cal.add_workdays((replied - self.cal.midnight(0)) // 86400, 5)
                    )
                    + CLOSE_AT
                )
                if rated and rated_at is not None and rated_at <= self.now:
                    feedback_row = (token, satisfaction, rated_at, replied)
                    events.append(
                        (
                            "feedback_received",
                            rated_at,
                            "",
                            "",
                            None,
                            "",
                            {"satisfaction": satisfaction},
                        )
                    )
                    closed = rated_at
                    events.append(
                        ("closed_by_feedback", rated_at, "replied", "closed", None, "", {})
                    )
                else:
                    feedback_row = (token, None, None, replied)
                    if window_end <= self.now:
                        closed = window_end
                        events.append(
                            (
                                "closed_feedback_window",
                                window_end,
                                "replied",
                                "closed",
                                None,
                                "答复后5个工作日内未评价，自动办结",
                                {},
                            )
                        )
                if closed is not None:
                    status = "closed"
                    must = matter["category"] == "complaint" or (satisfaction or 5) <= 2
                    if must or rng.random() < 0.2:
                        reason = (
                            "complaint"
                            if matter["category"] == "complaint"
                            else ("dissatisfied" if (satisfaction or 5) <= 2 else "sample")
                        )
                        events.append(
                            ("return_visit_queued", closed, "", "", None, "", {"reason": reason})
                        )
                        done_at = closed + rng.randrange(86400, 5 * 86400)
                        if done_at <= self.now:
                            result = rng.choices(
                                ("resolved", "unresolved", "unreachable"), (85, 8, 7)
                            )[0]
                            visit_rows.append(
                                (reason, "done", result, "none", done_at, ref.reception_id, closed)
                            )
                            events.append(
                                (
                                    "return_visit_done",
                                    done_at,
                                    "",
                                    "",
                                    ref.reception_id,
                                    "",
                                    {"result": result},
                                )
                            )
                        else:
                            visit_rows.append((reason, "pending", "", "", None, None, closed))

            updated = max(event[1] for event in events)
            local_day = self.cal.days[day]
            number = f"SS{local_day:%Y%m%d}-{sequence:05d}"
            batch.requests.append(
                (
                    pk,
                    stamp(created),
                    stamp(updated),
                    number,
                    channel,
                    name,
                    mobile[0],
                    mobile[1],
                    mobile[2],
                    matter["category"],
                    title,
                    content,
                    stamp(transfer_sent),
                    status,
                    priority,
                    routing_rule,
                    stamp(first_due),
                    stamp(completion_due),
                    stamp(first_responded),
                    stamp(replied),
                    stamp(closed),
                    stamp(paused_at),
                    "",
                    0,
                    0,
                    1 if is_supervised else 0,
                    final_assignee,
                    ref.court_id,
                    first_contact,
                    division,
                    first_contact,
                    line_id,
                    matter["id"],
                    merged_into,
                    None,
                    None,
                    None,
                    transfer_division,
                    transfer_user,
                )
            )
            for kind, body, at, author in reply_rows:
                batch.replies.append((kind, body, stamp(at), author, pk))
            if feedback_row is not None:
                token, satisfaction, submitted, created_fb = feedback_row
                batch.feedback.append(
                    (token, satisfaction, "", 0, stamp(submitted), stamp(created_fb), pk)
                )
            for reason, visit_status, result, action, done_at, visitor, queued in visit_rows:
                batch.visits.append(
                    (
                        reason,
                        visit_status,
                        result,
                        action,
                        None,
                        "",
                        stamp(queued),
                        stamp(done_at),
                        visitor,
                        pk,
                    )
                )
            for supervised_at, previous, new_deadline in supervision_rows:
                resolved = stamp(replied) if replied else None
                batch.supervisions.append(
                    (
                        "超期未办结，请于督办期限内答复",
                        stamp(new_deadline),
                        stamp(previous),
                        stamp(supervised_at),
                        resolved,
                        pk,
                        ref.divhead_id,
                    )
                )
            subject_id = str(pk)
            for verb, at, from_state, to_state, actor, reason, data in sorted(
                events, key=lambda e: e[1]
            ):
                batch.events.append(
                    (
                        "desk.servicerequest",
                        subject_id,
                        verb,
                        "",
                        from_state,
                        to_state,
                        reason,
                        json.dumps(data, ensure_ascii=False) if data else "{}",
                        stamp(at),
                        actor,
                    )
                )
            batch.fts.append((pk, tokens_replied if reply_rows else tokens))
        return batch


INSERTS = {
    "requests": (
        "INSERT INTO desk_servicerequest (id, created_at, updated_at, number, channel, "
        "requester_name, requester_mobile_encrypted, requester_mobile_hash, "
        "requester_mobile_masked, category, title, content, transfer_sent_at, status, priority, "
        "routing_rule, first_response_due, completion_due, first_responded_at, replied_at, "
        "closed_at, paused_at, calendar_warning, repeat_count, reopened_count, is_supervised, "
        "assignee_id, court_id, created_by_id, division_id, first_contact_id, line_id, "
        "matter_type_id, merged_into_id, related_case_id, repeat_of_id, requester_id, "
        "transfer_division_id, transfer_user_id) VALUES (" + ",".join("?" * 39) + ")"
    ),
    "replies": (
        "INSERT INTO desk_reply (kind, body, created_at, author_id, service_request_id) "
        "VALUES (?,?,?,?,?)"
    ),
    "feedback": (
        "INSERT INTO desk_feedback (token, satisfaction, comment, disputed, submitted_at, "
        "created_at, service_request_id) VALUES (?,?,?,?,?,?,?)"
    ),
    "visits": (
        "INSERT INTO desk_returnvisit (reason, status, result, action, satisfaction, note, "
        "created_at, done_at, visitor_id, service_request_id) VALUES (?,?,?,?,?,?,?,?,?,?)"
    ),
    "supervisions": (
        "INSERT INTO desk_supervision (reason, new_deadline, previous_deadline, created_at, "
        "resolved_at, service_request_id, supervisor_id) VALUES (?,?,?,?,?,?,?)"
    ),
    "events": (
        "INSERT INTO core_event (subject_type, subject_id, verb, actor_label, from_state, "
        "to_state, reason, data, created_at, actor_id) VALUES (?,?,?,?,?,?,?,?,?,?)"
    ),
    # The scope tokens from the request inserted just before (desk migration 0011).
    "fts": (
        "INSERT INTO desk_request_fts (rowid, tokens, scope) "
        f"SELECT ?, ?, {SQLITE_SCOPE_TOKENS} FROM desk_servicerequest WHERE id = ?"
    ),
}


def day_plan(calendar: Calendar, rows: int, rng: random.Random) -> list[tuple[int, int]]:
    """How many requests each day gets: working days busier, a 15% yearly growth."""
    count = len(calendar.days)
    weights = [(1.0 if calendar.workday[i] else 0.2) * (1 + 0.15 * i / 365) for i in range(count)]
    total = sum(weights)
    per_day = [int(rows * weight / total) for weight in weights]
    shortfall = rows - sum(per_day)
    for i in rng.sample(range(count), shortfall):
        per_day[i] += 1
    return [(day, sequence) for day in range(count) for sequence in range(1, per_day[day] + 1)]


def load(db_path: Path, rows: int) -> None:
    from django.db import connection
    from django.utils import timezone

    reference = prepare_reference()
    today = timezone.localdate()
    first_day = today - timedelta(days=SPAN_DAYS)
    calendar = Calendar(first_day, today + timedelta(days=400))
    span = Calendar(first_day, today - timedelta(days=1))
    now = int(timezone.now().timestamp())
    plan = day_plan(span, rows, random.Random(3))
    connection.close()

    raw = sqlite3.connect(db_path, isolation_level=None)
    raw.execute("PRAGMA busy_timeout = 20000")
    first_id = int(
        raw.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM desk_servicerequest").fetchone()[0]
    )
    # The demo's own desk history (seed_desk_history) has numbered requests on many of these
    # days: each day's numbers continue after the ones its counter has given.
    taken = dict(raw.execute("SELECT day, last FROM desk_requestnumbercounter").fetchall())
    plan = [
        (day, sequence + int(taken.get(f"{span.days[day]:%Y-%m-%d}", 0))) for day, sequence in plan
    ]
    indexes = raw.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({','.join('?' * len(LOADED_TABLES))})",
        LOADED_TABLES,
    ).fetchall()
    raw.execute("BEGIN IMMEDIATE")
    meta_set(raw, "state", "loading")
    meta_set(raw, "indexes", json.dumps(indexes))
    raw.execute("COMMIT")
    # From here on an interruption leaves the marker: the next run starts from scratch.
    raw.execute("PRAGMA journal_mode = OFF")
    raw.execute("PRAGMA synchronous = OFF")
    raw.execute("PRAGMA cache_size = -1000000")
    raw.execute("PRAGMA temp_store = MEMORY")
    for name, _sql in indexes:
        raw.execute(f'DROP INDEX "{name}"')
    log(f"dropped {len(indexes)} secondary indexes; loading {rows:,} requests from id {first_id}")

    generator = Generator(reference, calendar, now)
    started = time.monotonic()
    totals = dict.fromkeys(INSERTS, 0)
    for start in range(0, len(plan), CHUNK):
        batch = generator.build(first_id + start, plan[start : start + CHUNK])
        raw.execute("BEGIN")
        for key, sql in INSERTS.items():
            values = getattr(batch, key)
            if key == "fts":
                values = [(pk, tokens, pk) for pk, tokens in values]
            raw.executemany(sql, values)
            totals[key] += len(values)
        raw.execute("COMMIT")
        done = start + len(batch.requests)
        elapsed = time.monotonic() - started
        rate = done / elapsed
        log(
            f"{done:>9,} / {rows:,} requests  {rate:,.0f}/s  "
            f"ETA {(rows - done) / rate:,.0f} s  (events {totals['events']:,})"
        )

    counters: dict[str, int] = {}
    for day, sequence in plan:
        key = f"{span.days[day]:%Y-%m-%d}"
        counters[key] = max(counters.get(key, 0), sequence)
    raw.execute("BEGIN")
    raw.executemany(
        "INSERT INTO desk_requestnumbercounter(day, last) VALUES (?, ?) "
        "ON CONFLICT(day) DO UPDATE SET last = MAX(last, excluded.last)",
        sorted(counters.items()),
    )
    raw.execute("COMMIT")
    log(f"rows inserted in {time.monotonic() - started:.0f} s: {totals}")

    rebuild = time.monotonic()
    for _name, sql in indexes:
        raw.execute(sql)
    log(f"rebuilt {len(indexes)} indexes in {time.monotonic() - rebuild:.0f} s")
    merge = time.monotonic()
    raw.execute("INSERT INTO desk_request_fts(desk_request_fts) VALUES ('optimize')")
    log(f"merged the full-text index segments in {time.monotonic() - merge:.0f} s")
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("BEGIN")
    meta_set(raw, "state", "complete")
    meta_set(raw, "rows", str(rows))
    meta_set(raw, "generated_at", datetime.now(UTC).isoformat())
    meta_set(raw, "seconds", f"{time.monotonic() - started:.0f}")
    raw.execute("COMMIT")
    raw.close()


def migrate_loaded(db_path: Path) -> None:
    """A loaded database follows the schema: migrations added since the load (new indexes)
    are applied to it, so that the benchmark measures the code as it is."""
    setup_django(db_path)
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=1, interactive=False)
    log(f"migrations checked in {time.monotonic() - started:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args(argv)
    db_path = args.db.resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    state = meta_get(db_path, "state")
    if state == "loading":
        log("an earlier load was interrupted: deleting the database and starting again")
        remove_database(db_path)
    elif state == "complete":
        loaded = int(meta_get(db_path, "rows") or 0)
        if loaded >= args.rows:
            log(f"{loaded:,} requests already loaded in {db_path}; applying new migrations")
            migrate_loaded(db_path)
            return 0
        log(f"{loaded:,} requests loaded, {args.rows:,} asked for: rebuilding from scratch")
        remove_database(db_path)
    setup_django(db_path)
    started = time.monotonic()
    load(db_path, args.rows)
    log(f"done: {args.rows:,} requests in {time.monotonic() - started:.0f} s → {db_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
