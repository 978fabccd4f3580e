"""Remove a user's authenticator app and recovery codes (a lost phone)."""

import logging

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from django_otp import devices_for_user

logger = logging.getLogger("solh.two_factor")


class Command(BaseCommand):
    help = (
        "Remove USERNAME's authenticator app and recovery codes. Their sessions must give a "
        "code again, so they set up a new app at their next sign-in (if two-factor is required "
        "of them). Check who is asking first."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        removed = 0
        for device in devices_for_user(user, confirmed=None):
            device.delete()
            removed += 1
        logger.warning("two-factor: reset for user %s (%d devices removed)", user.pk, removed)
        self.stdout.write(f"Removed {removed} two-factor devices of {username}.")
