"""Seed the demo: the hub, four forces with realistic content (one in Welsh too), and a user
for every role."""

from django.core.management.base import BaseCommand, CommandError

from demo.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo
from forces.onboarding import OnboardingError
from solh.two_factor.demo import DEMO_TOTP_SECRET, enrol_demo_users


class Command(BaseCommand):
    help = (
        "Seed the demo: the national hub, the Metropolitan Police Service, Thames Valley Police "
        "and Hampshire and Isle of Wight Constabulary, with news, appeals and advice, Dyfed-Powys "
        "Police in English and Welsh, and a demo user for every role. Safe to run again: nothing "
        "is duplicated and existing pages are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all-forces",
            action="store_true",
            help="Also onboard all 43 forces in forces/data/forces.csv (without demo content).",
        )

    def handle(self, *args, **options):
        try:
            result = seed_demo(all_forces=options["all_forces"], stdout=self.stdout)
        except OnboardingError as error:
            raise CommandError(
                "Could not seed the demo; nothing was changed:\n"
                + "\n".join(f"  - {message}" for message in error.messages)
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {result.pages_created} new pages, {result.users_created} new "
                f"users, {result.logos_created} new logos."
            )
        )
        width = max(len(name) for name, _url in result.sites)
        for name, url in result.sites:
            self.stdout.write(f"  {name:<{width}}  {url}/")
        if result.sites:
            self.stdout.write(f"  {'Admin (every site)':<{width}}  {result.sites[0][1]}/admin/")
        self.stdout.write(
            f"{len(DEMO_USERS)} demo users, all with the password {DEMO_PASSWORD}. List them with: "
            "manage.py shell -c 'from demo.seed import print_logins; print_logins()'"
        )
        enrolled = enrol_demo_users([user.username for user in DEMO_USERS])
        if enrolled:
            self.stdout.write(
                f"{len(enrolled)} of them must also give a two-factor code ({', '.join(enrolled)})."
                f" Their authenticator secret is {DEMO_TOTP_SECRET}: add it to an authenticator "
                "app, or print the current code with: manage.py demo_totp USERNAME"
            )
