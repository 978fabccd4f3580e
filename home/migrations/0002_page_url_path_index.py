from django.db import migrations


class Migration(migrations.Migration):
    """Index Wagtail's page url_path: BasePage.route looks deep pages up by it in one query."""

    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS home_page_url_path_idx ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS home_page_url_path_idx",
        ),
    ]
