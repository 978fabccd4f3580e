"""Print a demo user's current two-factor code."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from solh.two_factor.demo import DEMO_TOTP_SECRET, demo_code


class Command(BaseCommand):
    help = (
        "Print the current code of a demo user's authenticator (the demo's published secret, "
        f"{DEMO_TOTP_SECRET}). Works only for users seed_demo enrolled."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        code = demo_code(user)
        if code is None:
            raise CommandError(
                f"{username} has no demo authenticator: only users seed_demo enrolled have one."
            )
        self.stdout.write(code)
