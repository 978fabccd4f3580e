"""Migrate and seed a private database for the fault tests (run as a subprocess).

``python -m tests.faults.seed`` with ``DATABASE_URL`` (and the settings the web servers use):
the real migrations (nothing left to apply on a copy of the suite's migrated template:
``tests.faults.services.seed``), then the hub and Thames Valley through the onboarding
services, and a two-step journey on Thames Valley's site (a name, then optional evidence
files).
"""

import django

FORCE = "thames-valley"
HOST = "thames-valley.localhost"
JOURNEY_SLUG = "fault-journey"
JOURNEY_PATH = f"/report/{JOURNEY_SLUG}/"


def seed():
    """Migrate the database named by ``DATABASE_URL`` and seed it."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)

    from forces.onboarding import ForceSpec, ensure_hub, onboard_force
    from reporting.journey_builder import evidence, journey_steps, short_text, step
    from reporting.models import ReportHubPage, ReportJourneyPage

    ensure_hub()
    force = onboard_force(
        ForceSpec(
            slug=FORCE,
            name="Thames Valley Police",
            hostname=HOST,
            short_name="TVP",
            primary_colour="#1f4e79",
        )
    ).force
    home = force.site.root_page
    report_hub = ReportHubPage.objects.child_of(home).first()
    if report_hub is None:
        report_hub = ReportHubPage(title="Report", slug="report")
        home.add_child(instance=report_hub)
        report_hub.save_revision().publish()
        report_hub = ReportHubPage.objects.get(pk=report_hub.pk)
    page = ReportJourneyPage(
        title="Report a fault test", slug=JOURNEY_SLUG, code="FLT", summary="For the fault tests"
    )
    page.steps = journey_steps(
        step("about", short_text("name", "Full name", is_contact=True)),
        step("photos", evidence("photos", "Photos or documents", required=False)),
    )
    report_hub.add_child(instance=page)
    page.save_revision().publish()


if __name__ == "__main__":
    django.setup()
    seed()
