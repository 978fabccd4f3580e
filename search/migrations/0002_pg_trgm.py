"""Enable PostgreSQL's ``pg_trgm`` extension for "Did you mean" suggestions (SQLite skips this)."""

from django.db import migrations


def enable_pg_trgm(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    # Not reversed: other code may use the extension, and dropping it is a database admin's call.
    operations = [migrations.RunPython(enable_pg_trgm, migrations.RunPython.noop)]
