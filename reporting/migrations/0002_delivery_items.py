# Deliveries that carry one item of a report (tracking: follow-ups, status-update emails).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="delivery",
            name="one_delivery_per_channel",
        ),
        migrations.AddField(
            model_name="delivery",
            name="item_id",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="channel",
            field=models.CharField(
                choices=[
                    ("webhook", "Force back office (webhook)"),
                    ("email", "Force reports inbox (email)"),
                    ("reporter-email", "Confirmation to the reporter (email)"),
                    ("follow-up-webhook", "Added information to the back office (webhook)"),
                    ("update-email", "Status update to the reporter (email)"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(
                condition=models.Q(("item_id__isnull", True)),
                fields=("submission", "channel"),
                name="one_delivery_per_channel",
            ),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(
                condition=models.Q(("item_id__isnull", False)),
                fields=("channel", "item_id"),
                name="one_delivery_per_item_channel",
            ),
        ),
    ]
