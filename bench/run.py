"""The desk benchmark (issue 3 "Speed"): `make bench`.

1. Loads var/bench.sqlite3 with 1,000,000 requests if it is not loaded yet (bench/generate.py).
2. Starts the real server — gunicorn with 2 workers (--server wsgi: threaded workers with one
   thread over config/wsgi.py, the default; --server asgi: uvicorn workers) on 127.0.0.1,
   DJANGO_SETTINGS_MODULE=bench.settings (the development settings with DEBUG off and one extra
   URL, /bench/bare, a Django view that does nothing: the ceiling; see bench/urls.py).
3. From this process, 8 threads with keep-alive connections run each workload for a fixed time:
     bare  GET /bench/bare                                   (the ceiling, measured twice)
     W1    POST /api/v1/desk/requests with a bearer token    (rate; target ≥ 15% of bare-write)
     bare-write  POST /bench/bare-write, W1's body as one row in one transaction
                                                             (W1's reference)
     W2    GET /desk/division/ as the division head          (p95 ≤ 50 ms)
     W3    GET /desk/search/?q=保全 as the receptionist       (p95 ≤ 50 ms)
     W3b   GET /desk/search/?q=离婚 as the division head, whose scope holds none or few of its
           matches                                             (p95 ≤ 200 ms)
     W4    GET /desk/<id>/ (detail + timeline), division head (p95 ≤ 50 ms)
     D1–D6 the dashboards (issue 15), one viewer at a time (100 requests after 5): the desk
           figures (/analytics/desk/) of the division head for 本月 and 本年, of the court (the
           receptionist) for 本年 and of the city office for 本月 (p95 ≤ 100 ms), the big
           screen's refresh (≤ 50 ms) and the petitions work page of the city officer (≤ 100 ms),
           read from the day table the background engine keeps (built here once if the data has
           none).
4. Prints each figure beside the ceiling and each worker's resident memory after the run
   (target ≤ 150 MB), writes var/bench-results.json, stops the server.

Everything is on the loopback interface and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench.* as a package, as bench/profile_pages.py does

from bench.to_postgres import DEFAULT_URL as POSTGRES_URL  # noqa: E402

DB = ROOT / "var" / "bench.sqlite3"
PYTHON = sys.executable
SEARCH_WORD = "保全"
# W3b: a common word searched by a user whose scope holds none (or few) of its matches.
COMMON_WORD = "离婚"
RSS_LIMIT_MB = 150  # one server worker's resident memory after the run (issue 11)
NOISY = 0.10  # other processes using more than this share of the machine during a workload


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


SETTINGS = {"module": "bench.settings", "pythonpath": str(ROOT)}
# sqlite:///var/bench.sqlite3, or the PostgreSQL copy of it (--postgres, bench/to_postgres.py).
DATABASE = {"url": f"sqlite:///{DB}"}


def environment() -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        DATABASE_URL=DATABASE["url"],
        DJANGO_SETTINGS_MODULE=SETTINGS["module"],
        DJANGO_DEBUG="0",
        PYTHONPATH=SETTINGS["pythonpath"],
    )
    return env


# --- CPU accounting: what the server spends per request, and what other processes took ---------

TICK = os.sysconf("SC_CLK_TCK")


def _process_times(pid: int) -> tuple[int, int]:
    """(user, system) ticks of a process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0, 0
    return int(fields[11]), int(fields[12])  # utime, stime


def _process_ticks(pid: int) -> int:
    return sum(_process_times(pid))


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found]


def _busy_ticks() -> tuple[int, int]:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@dataclass
class CpuSample:
    server: int
    server_system: int  # of which in the kernel (system calls: the socket, the database file)
    client: int
    busy: int
    total: int


def cpu_sample(server_pid: int) -> CpuSample:
    workers = [server_pid, *_children(server_pid)]
    busy, total = _busy_ticks()
    times = [_process_times(pid) for pid in workers]
    return CpuSample(
        server=sum(user + system for user, system in times),
        server_system=sum(system for _, system in times),
        client=_process_ticks(os.getpid()),
        busy=busy,
        total=total,
    )


# --- which worker holds a connection (read from /proc; the server is not asked) ------------------


def _server_socket_inode(client_port: int, server_port: int) -> str | None:
    """The inode of the server's end of our connection from ``client_port``."""
    local = f"0100007F:{server_port:04X}"
    remote = f"0100007F:{client_port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == local and fields[2] == remote:
            return fields[9]
    return None


def worker_of(sock: socket.socket, server_port: int, workers: list[int]) -> int | None:
    """The worker process whose descriptors hold the server's end of ``sock``."""
    inode = _server_socket_inode(sock.getsockname()[1], server_port)
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in workers:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    if os.readlink(fd) == target:
                        return pid
                except OSError:
                    continue
        except OSError:
            continue
    return None


# --- a small keep-alive HTTP/1.1 client (lighter than http.client, so the ceiling is real) --


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None
        self.buffer = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        return sock

    def _fill(self, sock: socket.socket) -> None:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buffer += chunk

    def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = self._connect()
        sock = self.sock
        sock.sendall(raw)
        while b"\r\n\r\n" not in self.buffer:
            self._fill(sock)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if b"content-length" in headers:
            length = int(headers[b"content-length"])
            while len(self.buffer) < length:
                self._fill(sock)
            body, self.buffer = self.buffer[:length], self.buffer[length:]
        elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            body = self._chunked(sock)
        else:
            body = b""
        if headers.get(b"connection", b"").lower() == b"close":
            self.close()
        return status, body

    def _chunked(self, sock: socket.socket) -> bytes:
        parts = []
        while True:
            while b"\r\n" not in self.buffer:
                self._fill(sock)
            size_line, self.buffer = self.buffer.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            while len(self.buffer) < size + 2:
                self._fill(sock)
            parts.append(self.buffer[:size])
            self.buffer = self.buffer[size + 2 :]
            if size == 0:
                return b"".join(parts)

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None


def get(path: str, port: int, cookie: str = "", extra: dict[str, str] | None = None) -> bytes:
    headers = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
    if cookie:
        headers += f"Cookie: {cookie}\r\n"
    for name, value in (extra or {}).items():
        headers += f"{name}: {value}\r\n"
    return (headers + "\r\n").encode()


def post_json(path: str, port: int, body: bytes, extra: dict[str, str]) -> bytes:
    headers = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    )
    for name, value in extra.items():
        headers += f"{name}: {value}\r\n"
    return (headers + "\r\n").encode() + body


# --- running a workload --------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    rate: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    note: str = ""
    server_cpu_ms: float = 0.0  # server CPU time per request (both workers)
    server_system_ms: float = 0.0  # the part of it spent in the kernel
    client_cpu_ms: float = 0.0  # this process's CPU time per request (the load generator)
    connections_per_worker: list[int] = field(default_factory=list)  # empty: not balanced
    others_cpu_share: float = 0.0  # share of the machine used by other processes meanwhile


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def run_workload(
    name: str,
    port: int,
    build: Callable[[int, int], bytes],
    *,
    expect: int,
    duration: float,
    warmup: float,
    concurrency: int,
    server_pid: int,
    balance: bool = True,
) -> Result:
    """``build(thread, n)`` gives the raw request; each thread loops until the deadline.

    With ``balance``, the keep-alive connections are placed evenly on the workers, as a
    least-connections balancer would: a connection that lands on a worker already holding its
    share is closed and opened again. Left to the accept race, 8 connections land 5 + 3 or
    6 + 2 on two workers about three times in four, and p95 then measures that draw.
    """
    workers = _children(server_pid)
    share = -(-concurrency // max(len(workers), 1))
    placed: dict[int, int] = {}
    placing = threading.Lock()
    warm = get("/healthz", port)
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    statuses: list[dict[int, int]] = [{} for _ in range(concurrency)]
    phase = {"measure": False}
    start_barrier = threading.Barrier(concurrency + 1, timeout=120)
    stop_at = [0.0]

    def place(connection: Connection) -> None:
        for _ in range(200):
            connection.request(warm)  # the server has accepted the connection once this returns
            assert connection.sock is not None
            with placing:
                pid = worker_of(connection.sock, port, workers)
                if pid is not None and placed.get(pid, 0) < share:
                    placed[pid] = placed.get(pid, 0) + 1
                    return
            connection.close()
        raise RuntimeError("could not place the connections evenly on the workers")

    def worker(thread: int) -> None:
        connection = Connection(port)
        if balance and workers:
            place(connection)
        counter = 0
        start_barrier.wait()
        while True:
            now = time.perf_counter()
            if now >= stop_at[0]:
                break
            raw = build(thread, counter)
            counter += 1
            began = time.perf_counter()
            try:
                status, _body = connection.request(raw)
            except (OSError, ConnectionError, ValueError):
                connection.close()
                status = 0
            elapsed = time.perf_counter() - began
            if phase["measure"]:
                latencies[thread].append(elapsed)
                statuses[thread][status] = statuses[thread].get(status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + warmup + duration
    start_barrier.wait()
    time.sleep(warmup)
    phase["measure"] = True
    measured_from = time.perf_counter()
    before = cpu_sample(server_pid)
    for thread in threads:
        thread.join(timeout=duration + warmup + 60)
    after = cpu_sample(server_pid)
    measured = time.perf_counter() - measured_from
    flat = [value for chunk in latencies for value in chunk]
    merged: dict[str, int] = {}
    for chunk in statuses:
        for status, number in chunk.items():
            merged[str(status)] = merged.get(str(status), 0) + number
    errors = sum(number for status, number in merged.items() if int(status) != expect)
    result = Result(
        name=name,
        requests=len(flat),
        errors=errors,
        seconds=round(measured, 2),
        rate=round(len(flat) / measured, 1) if measured else 0.0,
        p50_ms=round(percentile(flat, 0.50) * 1000, 1),
        p95_ms=round(percentile(flat, 0.95) * 1000, 1),
        p99_ms=round(percentile(flat, 0.99) * 1000, 1),
        statuses=merged,
        connections_per_worker=sorted(placed.values(), reverse=True) if balance else [],
    )
    _add_cpu(result, before, after)
    return result


def _add_cpu(result: Result, before: CpuSample, after: CpuSample) -> None:
    server = after.server - before.server
    client = after.client - before.client
    busy = after.busy - before.busy
    total = max(after.total - before.total, 1)
    if result.requests:
        result.server_cpu_ms = round(server / TICK * 1000 / result.requests, 2)
        system = after.server_system - before.server_system
        result.server_system_ms = round(system / TICK * 1000 / result.requests, 2)
        result.client_cpu_ms = round(client / TICK * 1000 / result.requests, 2)
    result.others_cpu_share = round(max(busy - server - client, 0) / total, 3)


def run_sequential(
    name: str, port: int, raw: bytes, *, expect: int, count: int, server_pid: int
) -> Result:
    connection = Connection(port)
    before = cpu_sample(server_pid)
    latencies = []
    statuses: dict[str, int] = {}
    began_all = time.perf_counter()
    for _ in range(count):
        began = time.perf_counter()
        status, _body = connection.request(raw)
        latencies.append(time.perf_counter() - began)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    connection.close()
    after = cpu_sample(server_pid)
    seconds = time.perf_counter() - began_all
    result = Result(
        name=name,
        requests=count,
        errors=sum(n for s, n in statuses.items() if int(s) != expect),
        seconds=round(seconds, 2),
        rate=round(count / seconds, 1),
        p50_ms=round(statistics.median(latencies) * 1000, 1),
        p95_ms=round(percentile(latencies, 0.95) * 1000, 1),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
        statuses=statuses,
    )
    _add_cpu(result, before, after)
    return result


# --- preparing users, token and targets (in this process, through Django) ------------------------


@dataclass
class Targets:
    token: str
    division_head_cookie: str
    receptionist_cookie: str
    city_officer_cookie: str
    detail_ids: list[int]
    division_open: int
    search_matches: int
    narrow_matches: int  # COMMON_WORD's matches that the division head may see (W3b)
    common_matches: int  # all of COMMON_WORD's matches
    matter_types: list[str]


def prepare() -> Targets:
    env = environment()
    os.environ.update({key: env[key] for key in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")})
    for entry in reversed(SETTINGS["pythonpath"].split(os.pathsep)):
        sys.path.insert(0, entry)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from youjie.desk.choices import OPEN_STATUSES
    from youjie.desk.models import ServiceRequest
    from youjie.orgs.models import User

    name = f"bench-{datetime.now(UTC):%Y%m%d%H%M%S}"
    command = [PYTHON, "manage.py", "create_api_token", name, "--org", "BT-BYEB-FY"]
    output = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    token = output.strip().splitlines()[-1].strip()

    def cookie_for(username: str) -> str:
        client = Client()
        client.force_login(
            User.objects.get(username=username), backend=settings.AUTHENTICATION_BACKENDS[-1]
        )
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    divhead = User.objects.get(username="divhead")
    division_requests = ServiceRequest.objects.filter(division_id=divhead.org_unit_id)
    detail_ids = list(
        division_requests.filter(status="closed").order_by("-id").values_list("id", flat=True)[:500]
    )
    from youjie.desk.search import search_ids_sql

    matching = search_ids_sql(SEARCH_WORD)
    assert matching is not None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({matching[0]}) AS matches", matching[1])
        search_matches = int(cursor.fetchone()[0])
        common = search_ids_sql(COMMON_WORD)
        assert common is not None
        cursor.execute(f"SELECT count(*) FROM ({common[0]}) AS matches", common[1])
        common_matches = int(cursor.fetchone()[0])
    from youjie.desk import selectors

    narrow_matches = selectors.search(user=divhead, query=COMMON_WORD).count()
    # The dashboards read the figures' day tables the background engine keeps (issue 15): built
    # once here when the loaded data has none yet (the workloads do not change past days).
    from youjie.analytics.models import DESK_FIGURES, FigureRefresh
    from youjie.analytics.services import desk_figures_rebuild

    if not FigureRefresh.objects.filter(name=DESK_FIGURES, refreshed_at__isnull=False).exists():
        began = time.perf_counter()
        built = desk_figures_rebuild()
        log(
            f"desk figures' day table built: {built.cases:,} requests, {built.rows:,} rows "
            f"in {time.perf_counter() - began:.0f} s"
        )
    targets = Targets(
        token=token,
        division_head_cookie=cookie_for("divhead"),
        receptionist_cookie=cookie_for("reception"),
        city_officer_cookie=cookie_for("city_officer"),
        detail_ids=detail_ids,
        division_open=division_requests.filter(status__in=OPEN_STATUSES).count(),
        search_matches=search_matches,
        narrow_matches=narrow_matches,
        common_matches=common_matches,
        matter_types=["filing_consult", "divorce_filing", "enforcement_demand", "errand"],
    )
    with connection.cursor() as cursor:  # /bench/bare-write's table (bench/urls.py)
        key = "INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "BIGSERIAL PRIMARY KEY"
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS bench_write (id {key}, body TEXT NOT NULL, "
            "created_at TEXT NOT NULL)"
        )
    connection.close()
    return targets


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# How the server runs Django (docs/decisions/0007): "wsgi", gunicorn's threaded worker with one
# thread (a sync worker that keeps connections alive) over config/wsgi.py, as a deployment serves
# HTTP; "asgi", gunicorn's uvicorn worker over config/asgi.py, as `make run` serves everything.
SERVERS = {
    "wsgi": ["config.wsgi:application", "-k", "gthread", "--threads", "1"],
    "asgi": ["config.asgi:application", "-k", "uvicorn_worker.UvicornWorker"],
}


def start_server(
    port: int, workers: int, log_path: Path, kind: str = "wsgi"
) -> subprocess.Popen[bytes]:
    command = [
        PYTHON, "-m", "gunicorn", *SERVERS[kind],
        "-w", str(workers),
        "-b", f"127.0.0.1:{port}",
        "--graceful-timeout", "5",
        "--no-control-socket",
        "--timeout", "120",
    ]  # fmt: skip
    log_file = log_path.open("ab")
    server = subprocess.Popen(  # our interpreter, fixed arguments
        command, cwd=ROOT, env=environment(), stdout=log_file, stderr=log_file,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}; see {log_path}")
        try:
            status, _ = Connection(port).request(get("/healthz", port))
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"the server did not answer /healthz within 90 s; see {log_path}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the gunicorn master we started (its own process group: its workers go with it)."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


# --- main ---------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores, {cpu}, {system}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="desk benchmark")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per workload (≤30)")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--server", choices=sorted(SERVERS), default="wsgi",
        help="wsgi: gunicorn gthread workers, 1 thread (config/wsgi.py); asgi: uvicorn workers",
    )  # fmt: skip
    parser.add_argument("--only", default="", help="comma-separated: bare,W1,W2,W3,W4,D1,…,D6")
    parser.add_argument(
        "--no-balance",
        action="store_true",
        help="leave the connections where the accept race puts them (see run_workload)",
    )
    parser.add_argument(
        "--settings",
        default="bench.settings",
        help="settings module of the server (experiments: a module on --pythonpath)",
    )
    parser.add_argument("--pythonpath", default="", help="extra path for --settings")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=POSTGRES_URL,
        default="",
        metavar="URL",
        help=f"measure on a PostgreSQL copy of the data (bench/to_postgres.py; {POSTGRES_URL})",
    )
    args = parser.parse_args(argv)
    SETTINGS["module"] = args.settings
    if args.pythonpath:
        SETTINGS["pythonpath"] = f"{args.pythonpath}{os.pathsep}{ROOT}"
    duration = min(args.duration, 30.0)

    generated = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "generate.py"), "--rows", str(args.rows), "--db", str(DB)],
        cwd=ROOT, env=environment(),
    )  # fmt: skip
    if generated.returncode != 0:
        log("the generator failed")
        return generated.returncode
    if args.postgres:
        copied = subprocess.run(
            [PYTHON, str(ROOT / "bench" / "to_postgres.py"), "--url", args.postgres], cwd=ROOT
        )
        if copied.returncode != 0:
            log("the copy to PostgreSQL failed")
            return copied.returncode
        DATABASE["url"] = args.postgres
    log(f"database: {DATABASE['url']}")
    # A load made before the latest migrations (a new table the pages read) gets them first.
    migrated = subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=environment()
    )
    if migrated.returncode != 0:
        log("migrating the benchmark's database failed")
        return migrated.returncode
    targets = prepare()
    log(
        f"division head's open requests: {targets.division_open:,}; "
        f"'{SEARCH_WORD}' matches {targets.search_matches:,} requests; "
        f"'{COMMON_WORD}' matches {targets.common_matches:,}, "
        f"{targets.narrow_matches:,} of them in the division head's scope (W3b)"
    )
    port = free_port()
    server_log = ROOT / "var" / "bench-server.log"
    log(f"starting gunicorn ({args.workers} {args.server} workers) on 127.0.0.1:{port}")
    server = start_server(port, args.workers, server_log, args.server)
    results: list[Result] = []
    only = {part.strip() for part in args.only.split(",") if part.strip()}

    def wanted(name: str) -> bool:
        return not only or name in only

    def workload(name: str, build: Callable[[int, int], bytes], expect: int, note: str) -> None:
        if not wanted(name.split(" ")[0]):
            return
        log(f"{name}: {duration:.0f} s at concurrency {args.concurrency} …")
        result = run_workload(
            name, port, build, expect=expect, duration=duration, warmup=args.warmup,
            concurrency=args.concurrency, server_pid=server.pid, balance=not args.no_balance,
        )  # fmt: skip
        result.note = note
        results.append(result)
        log(
            f"  {result.rate:,.0f} req/s, p50 {result.p50_ms} ms, p95 {result.p95_ms} ms, "
            f"p99 {result.p99_ms} ms, errors {result.errors} {result.statuses}; "
            f"server CPU {result.server_cpu_ms} ms/request ({result.server_system_ms} in the "
            f"kernel), client {result.client_cpu_ms}; "
            f"other processes used {result.others_cpu_share:.0%} of the machine; "
            f"connections per worker {result.connections_per_worker or 'not placed'}"
        )

    try:
        bare = get("/bench/bare", port)
        workload("bare (before)", lambda t, n: bare, 200, "GET /bench/bare")

        rng = random.Random(11)
        from bench.textpool import documents

        texts = documents(200, seed=99)
        run_id = int(time.time()) % 100_000

        def create_body(thread: int, n: int) -> bytes:
            document = texts[(thread * 7919 + n) % len(texts)]
            return json.dumps(
                {
                    "channel": "api",
                    "matter_type": rng.choice(targets.matter_types),
                    "title": document.title,
                    "content": document.content,
                    "requester_name": "测试",
                    "requester_mobile": f"198{(run_id * 1000 + thread * 10**7 + n) % 10**8:08d}",
                },
                ensure_ascii=False,
            ).encode()

        def create(thread: int, n: int) -> bytes:
            headers = {
                "Authorization": f"Bearer {targets.token}",
                "Idempotency-Key": f"bench-{run_id}-{thread}-{n}",
            }
            return post_json("/api/v1/desk/requests", port, create_body(thread, n), headers)

        workload(
            "W1 create (API)", create, 201,
            "POST /api/v1/desk/requests, bearer token, Idempotency-Key, new mobile each time",
        )  # fmt: skip

        workload(
            "bare-write",
            lambda t, n: post_json("/bench/bare-write", port, create_body(t, n), {}),
            201,
            "POST /bench/bare-write: W1's body committed as one row (a reference, no target)",
        )
        division = get("/desk/division/", port, targets.division_head_cookie)
        workload("W2 division list", lambda t, n: division, 200, "GET /desk/division/ (庭长)")
        search = get(f"/desk/search/?q={quote(SEARCH_WORD)}", port, targets.receptionist_cookie)
        workload(
            "W3 search", lambda t, n: search, 200,
            f"GET /desk/search/?q={SEARCH_WORD} (接待员, {targets.search_matches:,} matches)",
        )  # fmt: skip
        narrow = get(f"/desk/search/?q={quote(COMMON_WORD)}", port, targets.division_head_cookie)
        workload(
            "W3b search, narrow scope", lambda t, n: narrow, 200,
            f"GET /desk/search/?q={COMMON_WORD} (庭长: {targets.narrow_matches:,} of "
            f"{targets.common_matches:,} matches in scope)",
        )  # fmt: skip
        ids = targets.detail_ids or [1]

        def detail(thread: int, n: int) -> bytes:
            return get(
                f"/desk/{ids[(thread * 31 + n) % len(ids)]}/", port, targets.division_head_cookie
            )

        workload(
            "W4 detail", detail, 200, f"GET /desk/<id>/ over {len(ids)} closed requests (庭长)"
        )
        workload("bare (after)", lambda t, n: bare, 200, "GET /bench/bare")
        # The dashboards (issue 15: p95 ≤ 100 ms; the big screen's refresh ≤ 50 ms), one viewer
        # at a time as the other figure benchmarks measure them (bench/court_figures.py,
        # bench/petitions_dashboard.py): 5 requests to warm up, then 100.
        for name, path, cookie, extra in (
            ("D1 desk figures, division, month", "/analytics/desk/",
             targets.division_head_cookie, None),
            ("D2 desk figures, division, year", "/analytics/desk/?preset=year",
             targets.division_head_cookie, None),
            ("D3 desk figures, court, year", "/analytics/desk/?preset=year",
             targets.receptionist_cookie, None),
            ("D4 desk figures, city, month", "/analytics/desk/",
             targets.city_officer_cookie, None),
            ("D5 big screen refresh", "/analytics/screen/", targets.receptionist_cookie,
             {"HX-Request": "true"}),
            ("D6 petitions work page", "/petitions/dashboard/", targets.city_officer_cookie,
             None),
        ):  # fmt: skip
            if not wanted(name.split(" ")[0]):
                continue
            raw = get(path, port, cookie, extra)
            run_sequential(name, port, raw, expect=200, count=5, server_pid=server.pid)
            result = run_sequential(name, port, raw, expect=200, count=100, server_pid=server.pid)
            result.note = f"GET {path}, one viewer at a time"
            results.append(result)
            log(
                f"{name}: p50 {result.p50_ms} ms, p95 {result.p95_ms} ms, errors "
                f"{result.errors} {result.statuses}; server CPU {result.server_cpu_ms} ms/request; "
                f"other processes used {result.others_cpu_share:.0%} of the machine"
            )
        rss = worker_rss_mb(server.pid)
        log(f"server workers' resident memory after the run: {rss} MB")
    finally:
        stop_server(server)
        log("server stopped")

    report(results, args, targets, rss)
    return 0


def worker_rss_mb(server_pid: int) -> list[float]:
    """Resident memory (VmRSS) of each worker process of the server, in MB."""
    sizes = []
    for pid in _children(server_pid):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
        except OSError:
            continue
    return sorted(sizes, reverse=True)


def report(
    results: list[Result], args: argparse.Namespace, targets: Targets, rss: list[float]
) -> None:
    # The ceiling comes from the bare runs that other processes left alone, if any.
    bare_runs = [r for r in results if r.name.startswith("bare (")]
    quiet = [r for r in bare_runs if r.others_cpu_share <= NOISY] or bare_runs
    bare_rates = [r.rate for r in quiet]
    bare_p95 = [r.p95_ms for r in quiet]
    ceiling = statistics.mean(bare_rates) if bare_rates else 0.0
    print()
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"load average after the run: {' '.join(load)} (other processes slow every figure)")
    print(
        f"{'workload':<20}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'cpu ms':>8}{'others':>8}  target"
    )
    # The one-row write (bench/urls.py) is a reference for W1, not its target's ceiling.
    written = next((r.rate for r in results if r.name == "bare-write"), 0.0)
    for result in results:
        if result.name.startswith("W1"):
            # Issue 11: W1 against the one-row write of the same run; the share of the bare
            # view is printed for information only.
            share = result.rate / ceiling * 100 if ceiling else 0.0
            of_write = result.rate / written * 100 if written else 0.0
            verdict = (
                f"{of_write:.1f}% of bare-write (≥15%) {'OK' if of_write >= 15 else 'MISSED'}; "
                f"{share:.1f}% of bare"
            )
        elif result.name.startswith("W3b"):
            verdict = f"p95 ≤ 200 ms {'OK' if result.p95_ms <= 200 else 'MISSED'}"
        elif result.name == "bare-write":
            verdict = f"{result.rate / ceiling * 100:.1f}% of bare (reference)" if ceiling else ""
        elif result.name.startswith(("W", "D5")):
            verdict = f"p95 ≤ 50 ms {'OK' if result.p95_ms <= 50 else 'MISSED'}"
        elif result.name.startswith("D"):
            verdict = f"p95 ≤ 100 ms {'OK' if result.p95_ms <= 100 else 'MISSED'}"
        else:
            verdict = ""
        if result.others_cpu_share > NOISY:
            verdict += " (noisy: other processes were busy)"
        print(
            f"{result.name:<20}{result.rate:>9,.0f}{result.p50_ms:>9}{result.p95_ms:>9}"
            f"{result.p99_ms:>9}{result.errors:>8}{result.server_cpu_ms:>8}"
            f"{result.others_cpu_share:>8.0%}  {verdict}"
        )
    print(
        f"{'bare ceiling':<20}{ceiling:>9,.0f}{'':>9}"
        f"{(statistics.mean(bare_p95) if bare_p95 else 0):>9.1f}"
    )
    largest = max(rss, default=0.0)
    print(
        f"server worker RSS after the run: {', '.join(f'{size} MB' for size in rss)} "
        f"(≤ {RSS_LIMIT_MB} MB) {'OK' if largest <= RSS_LIMIT_MB else 'MISSED'}"
    )
    out = ROOT / "var" / "bench-results.json"
    out.write_text(
        json.dumps(
            {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": machine(),
                "workers": args.workers,
                "server": args.server,
                "worker_rss_mb": rss,
                "narrow_matches": targets.narrow_matches,
                "common_matches": targets.common_matches,
                "concurrency": args.concurrency,
                "duration_s": min(args.duration, 30.0),
                "rows": args.rows,
                "database": DATABASE["url"].split(":", 1)[0],
                "division_open": targets.division_open,
                "search_matches": targets.search_matches,
                "ceiling_rps": round(ceiling, 1),
                "bare_write_rps": round(written, 1),
                "results": [asdict(result) for result in results],
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"\nresults: {out}")


if __name__ == "__main__":
    sys.exit(main())
