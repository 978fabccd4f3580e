"""What gunicorn's master loads before it forks, so its workers share it instead of each
loading its own copy on its first requests.

gunicorn preloads the application (``gunicorn.conf.py``), but much of what a page needs is
loaded lazily, on the first request a worker serves: the template engine and every template
tag library, the compiled templates (Django's cached loader keeps them per process), the
translation catalogues, the cache clients (``django_redis`` imports the Redis client, 80
modules, on first use). Loaded in each worker, all of it is that worker's alone; loaded once in
the master, it is shared copy-on-write by every worker. ``make bench`` reports each worker's
memory (PSS and USS) with this in place.

Nothing here touches the database or opens a connection: a connection opened before the fork
would be shared by every worker.
"""

import logging
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.template import TemplateSyntaxError, engines
from django.utils import formats, translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def load_before_fork():
    """Load templates, translations and cache clients in this (the master) process."""
    _request_machinery()
    _cache_clients()
    _translations()
    _templates()


def _request_machinery():
    engine = engines["django"].engine
    engine.template_context_processors  # noqa: B018 (imports each context processor)
    import_string(settings.MESSAGE_STORAGE)
    import_string(settings.SESSION_SERIALIZER)


def _cache_clients():
    for alias in settings.CACHES:
        cache = caches[alias]
        # django_redis builds its client (and imports redis) on first use; building it opens
        # no connection (the pool connects on the first command, in the worker).
        getattr(cache, "client", None)


def _translations():
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
            formats.get_format("DATE_FORMAT")


def _project_template_names():
    folders = [Path(folder) for folder in settings.TEMPLATES[0].get("DIRS", [])]
    # The project's own apps (those in the checkout): their templates are the ones pages render.
    folders += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and not Path(config.path).is_relative_to(sys.prefix)  # a virtualenv in the checkout
    ]
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*.html")):
                yield path.relative_to(folder).as_posix()


def _templates():
    engine = engines["django"]
    for name in _project_template_names():
        try:
            engine.get_template(name)
        except TemplateSyntaxError:
            # The worker will report it on the request that renders it, as without warming.
            logger.warning("Template %s did not compile before the fork", name, exc_info=True)
