"""The table of the report rate limit's counts when there is no Redis (the ``ratelimit`` cache,
Django's ``DatabaseCache``: README "Configuration").

Made whatever the settings say when the migration runs, so a deployment that later stops using
Redis finds it there.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "solh_rate_limit"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("solh", "0002_version_stamps")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
