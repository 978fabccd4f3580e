"""gunicorn's master loads templates, translations and cache clients before it forks
(``solh.warmup``, called from ``gunicorn.conf.py``), without touching the database."""

import sys

from django.db import connection
from django.template import engines

from solh.warmup import _project_template_names, load_before_fork


def test_warming_compiles_every_project_template_and_never_touches_the_database():
    # No database fixture: pytest-django makes any connection attempt raise here.
    connection.close()
    load_before_fork()
    assert connection.connection is None, "warming opened a database connection before the fork"
    names = list(_project_template_names())
    assert "base.html" in names and len(names) > 50
    loader = engines["django"].engine.template_loaders[0]
    compiled = {key[0] if isinstance(key, tuple) else key for key in loader.get_template_cache}
    assert set(names) <= compiled


def test_warming_imports_what_a_first_request_would():
    load_before_fork()
    assert "django.contrib.messages.storage.fallback" in sys.modules
    assert "home.context_processors" in sys.modules
