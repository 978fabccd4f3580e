"""Memory at startup, before any request: the platform as each gunicorn worker holds it, beside
a bare Wagtail project (``tests.bench.bare_wagtail``) in the same environment.

    .venv/bin/python -m tests.bench.startup_memory     # both, as JSON

Each is measured in a fresh interpreter once it has loaded the WSGI application, imported its
URLs and opened a database connection: its resident memory (``VmRSS``) and how many modules it
imported. The difference is what the platform adds to Wagtail; the bare project is the least
any Wagtail site on this Python and these packages holds.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROJECTS = {
    "platform": "tests.bench.settings",
    "bare_wagtail": "tests.bench.bare_wagtail.settings",
}


def _resident_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def _probe():
    """In the child: load the project as a WSGI server does and print what it holds."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.urls import get_resolver

    get_wsgi_application()
    get_resolver().url_patterns  # noqa: B018 (imports every URL module, as the first request does)
    connection.ensure_connection()
    print(json.dumps({"rss_mb": round(_resident_mb(), 1), "modules": len(sys.modules)}))


def measure():
    """``{project: {"rss_mb", "modules"}}`` for the platform and the bare Wagtail project."""
    found = {}
    for name, settings_module in PROJECTS.items():
        completed = subprocess.run(
            [sys.executable, "-m", "tests.bench.startup_memory", "--probe"],
            cwd=REPO,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": settings_module},
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode:
            raise RuntimeError(
                f"Measuring {name}'s memory at startup failed:\n{completed.stderr[-2000:]}"
            )
        found[name] = json.loads(completed.stdout.strip().splitlines()[-1])
    return found


if __name__ == "__main__":
    if sys.argv[1:] == ["--probe"]:
        _probe()
    else:
        print(json.dumps(measure(), indent=2))
