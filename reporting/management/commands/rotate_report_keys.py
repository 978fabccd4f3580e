"""Re-encrypt every stored personal value with the current key (the first in the list)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from forces.models import Force
from reporting.fields import EncryptedTextField

BATCH = 500


def encrypted_fields():
    """(model, [field names]) for every model with encrypted fields, in any app."""
    found = []
    for model in apps.get_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found


def rotate_model(model, names, batch=BATCH):
    """Read and write back ``names`` of every ``model`` row, in batches. Returns the count.

    Reading decrypts with any configured key; writing encrypts with the first.
    """
    done = 0
    last_pk = None
    while True:
        with transaction.atomic():
            rows = model._base_manager.select_for_update().only("pk", *names).order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            rows = list(rows[:batch])
            if not rows:
                return done
            model._base_manager.bulk_update(rows, names)
        done += len(rows)
        last_pk = rows[-1].pk


def rotate_webhook_secrets():
    done = 0
    with transaction.atomic():
        for force in (
            Force.objects.select_for_update()
            .exclude(webhook_secret="")
            .only("pk", "webhook_secret")
        ):
            force.rotate_webhook_secret()
            force.save(update_fields=["webhook_secret"])
            done += 1
    return done


class Command(BaseCommand):
    help = (
        "Re-encrypt reports' personal data (answers, contact details, drafts, evidence file "
        "names) and forces' webhook secrets with the first key in REPORTS_ENCRYPTION_KEYS. Put "
        "the new key first, keep the old ones after it, run this, then drop the old keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH)

    def handle(self, *args, batch_size, **options):
        for model, names in encrypted_fields():
            count = rotate_model(model, names, batch=batch_size)
            self.stdout.write(f"{model._meta.label}: {count} re-encrypted ({', '.join(names)})")
        count = rotate_webhook_secrets()
        self.stdout.write(f"forces.Force: {count} webhook secrets re-encrypted")
