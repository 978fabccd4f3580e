"""Give a user one of the platform's roles (or take it away with --revoke)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from forces.models import Force
from forces.permissions import role_group
from forces.roles import FORCE_ROLES, NATIONAL_ROLES, ROLES


class Command(BaseCommand):
    help = "Grant a role to a user: national roles without --force, force roles with --force SLUG."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help="One of: " + ", ".join(ROLES) + ".")
        parser.add_argument("--force", dest="force_slug", metavar="SLUG")
        parser.add_argument("--revoke", action="store_true", help="Remove the role instead.")

    def handle(self, *args, username, role, force_slug, revoke, **options):
        if role not in ROLES:
            raise CommandError(
                f"There is no role called {role!r}. National roles: {', '.join(NATIONAL_ROLES)}. "
                f"Force roles (need --force): {', '.join(FORCE_ROLES)}."
            )
        force = None
        if ROLES[role].force_scoped:
            if not force_slug:
                raise CommandError(f"{role} is a force role: say which force with --force SLUG.")
            force = Force.objects.filter(slug=force_slug).first()
            if force is None:
                raise CommandError(
                    f"There is no force {force_slug!r}; onboard it first with onboard_force."
                )
        elif force_slug:
            raise CommandError(f"{role} is a national role: it takes no --force.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username!r}; create the account first.")
        group = role_group(role, force)
        if group is None:
            raise CommandError(
                "The role's group does not exist yet: run onboard_force (which sets up the "
                "national hub and every force's groups) first."
            )
        where = f" at {force.name}" if force else ""
        if revoke:
            user.groups.remove(group)
            self.stdout.write(f"{username} no longer has the role {role}{where}.")
        else:
            user.groups.add(group)
            self.stdout.write(self.style.SUCCESS(f"{username} now has the role {role}{where}."))
