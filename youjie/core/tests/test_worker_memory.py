"""A server worker's memory (issue 11: ≤ 150 MB RSS after the benchmark).

Packages that a typical request never needs are imported by the functions that use them, so a
worker loads them on first use, not at start-up; and the segmenter holds jieba's dictionary once.
These tests start a fresh process as gunicorn starts a worker (``import config.wsgi``: Django's
setup, the URL configuration, ``warm_up()``) and look at what it has loaded, so that a module-level
import added later cannot silently bring the memory back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# Each with what it costs a worker and where it is imported now.
LAZY_PACKAGES = (
    "openpyxl",  # ≈10 MB with lxml: analytics.exports, courtcases.imports
    "lxml",
    "docx",  # ≈8 MB: python-docx, imported by no module today; a renderer must import it lazily
    "wechatpy",  # ≈9 MB with requests, urllib3, certifi, xmltodict: inbound.wechat
    "requests",
    "urllib3",
    "certifi",
    "xmltodict",
    "segno",  # ≈1 MB: orgs.services.totp_qr_data_uri
)

_PROBE = """
import gc, json, sys
import config.wsgi
import rjieba
from youjie.core import textsearch
print(json.dumps({
    "loaded": sorted(name for name in sys.argv[1:] if sys.modules.get(name) is not None),
    "clients": {name: sys.modules.get(name, "absent") is not None for name in ("redis", "psycopg")},
    "frozen": gc.get_freeze_count(),
    "segmenter_is_rjiebas_own": textsearch._TOKENIZER is rjieba,
}))
"""


def _worker_start(tmp_path: Path, **settings: str) -> dict[str, object]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "YOUJIE_", "DATABASE_URL", "REDIS_URL"))
    }
    # The development settings, as a server runs them: YOUJIE_WARM_UP is on there.
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", YOUJIE_VAR_DIR=str(tmp_path / "var"))
    env.update(settings)
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *LAZY_PACKAGES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answer: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def test_a_fresh_worker_loads_no_package_that_a_typical_request_does_not_need(tmp_path):
    worker = _worker_start(tmp_path)
    assert worker["frozen"], "warm_up() did not run: the probe measures nothing"
    assert worker["loaded"] == [], (
        f"{worker['loaded']} imported at start-up: import them inside the functions that use "
        "them (a worker's memory, issue 11)"
    )
    # One copy of jieba's dictionary (≈24 MB): the legal words go into rjieba's own segmenter,
    # which importing rjieba builds anyway, not into a second rjieba.Jieba().
    assert worker["segmenter_is_rjiebas_own"] is True


def test_a_worker_loads_the_client_of_no_service_it_is_not_configured_for(tmp_path):
    """huey's storage module imports redis and psycopg whenever installed (≈16 MB of a worker on
    SQLite); ``skip_unused_clients`` keeps each out unless a setting uses its service."""
    on_sqlite = _worker_start(tmp_path)
    assert on_sqlite["frozen"]
    assert on_sqlite["clients"] == {"redis": False, "psycopg": False}

    # Settings are only read here: nothing connects to these addresses at start-up.
    configured = _worker_start(
        tmp_path,
        DATABASE_URL="postgresql://nobody@127.0.0.1:1/none",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    assert configured["frozen"]
    assert configured["clients"] == {"redis": True, "psycopg": True}
