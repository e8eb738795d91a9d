"""A settings module imported in a clean process: what production and development settings
do with a given environment, without the test run's own variables (tests/test_settings.py,
tests/test_operator_settings.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def settings_of(module: str, names: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Import a settings module in a clean process and print the named settings as JSON."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "YOUJIE_", "ALLOWED_HOSTS", "CSRF_", "SECURE_"))
    }
    clean.update(env)
    code = (
        "import importlib, json; "
        f"m = importlib.import_module({module!r}); "
        f"print(json.dumps({{n: getattr(m, n, None) for n in {names!r}}}, default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
