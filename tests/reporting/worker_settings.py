"""Settings for a worker subprocess started by the tests: the test settings, with the database
task backend (the tests' own process runs tasks at once, with the ImmediateBackend)."""

from solh.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
