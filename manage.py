#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # Development defaults unless told otherwise: the demo's SQLite database and settings.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solh.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
