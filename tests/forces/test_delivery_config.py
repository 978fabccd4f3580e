"""Where a force's reports go: webhook, secret, reports inbox and retention.

Set by ``onboard_force`` (command and service) and by platform admins in the force settings;
the secret is stored encrypted and never shown back, and a force's own staff cannot change any of
it.
"""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from forces.models import Force
from forces.onboarding import ForceSpec, OnboardingError, onboard_force
from forces.roles import FORCE_ADMIN, FORCE_EDITOR, REPORT_HANDLER
from tests.factories import settings_form

pytestmark = pytest.mark.django_db

SECRET = "canary-secret-7f3a9c1e5b"
OTHER_SECRET = "second-canary-secret-42d8"
KENT = ["kent", "--name", "Kent Police", "--hostname", "kent.localhost"]
DELIVERY = [
    "--webhook-url",
    "https://reports.kent.example/solh",
    "--webhook-secret",
    SECRET,
    "--reports-email",
    "reports@kent.example",
    "--retention-days",
    "730",
]


def onboard(*args):
    out = StringIO()
    call_command("onboard_force", *args, stdout=out)
    return out.getvalue()


def raw_secret_column(force):
    """The webhook secret column as stored in the database, bypassing the model."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT webhook_secret FROM forces_force WHERE id = %s", [force.pk])
        return cursor.fetchone()[0]


def delivery(slug):
    force = Force.objects.get(slug=slug)
    return {
        "webhook_url": force.webhook_url,
        "secret": force.get_webhook_secret(),
        "token": force.webhook_secret,
        "reports_email": force.reports_email,
        "report_retention_days": force.report_retention_days,
    }


# --- onboard_force ------------------------------------------------------------------------------


def test_onboarding_sets_the_delivery_configuration_with_the_secret_encrypted():
    output = onboard(*KENT, *DELIVERY)
    assert SECRET not in output
    force = Force.objects.get(slug="kent")
    assert force.webhook_url == "https://reports.kent.example/solh"
    assert force.get_webhook_secret() == SECRET
    assert force.reports_email == "reports@kent.example"
    assert force.report_retention_days == 730

    stored = raw_secret_column(force)
    assert stored and SECRET not in stored and stored.startswith("gAAAA")  # a Fernet token
    assert SECRET not in str(force) and SECRET not in repr(force)


def test_a_new_force_without_delivery_options_keeps_reports_a_year_and_has_no_webhook():
    onboard(*KENT)
    assert delivery("kent") == {
        "webhook_url": "",
        "secret": "",
        "token": "",
        "reports_email": "",
        "report_retention_days": 365,
    }


def test_rerunning_is_idempotent_and_omitted_options_keep_their_values():
    onboard(*KENT, *DELIVERY)
    before = delivery("kent")
    assert "unchanged" in onboard(*KENT, *DELIVERY)
    assert delivery("kent") == before  # the same secret is not even re-encrypted
    assert "unchanged" in onboard(*KENT)
    assert delivery("kent") == before

    output = onboard(*KENT, "--reports-email", "inbox@kent.example")
    assert "updated" in output and "reports_email" in output
    after = delivery("kent")
    assert after == {**before, "reports_email": "inbox@kent.example"}


def test_a_new_secret_and_url_update_the_force():
    onboard(*KENT, *DELIVERY)
    output = onboard(
        *KENT, "--webhook-url", "http://127.0.0.1:9000/in", "--webhook-secret", OTHER_SECRET
    )
    assert "webhook_secret" in output and OTHER_SECRET not in output
    force = Force.objects.get(slug="kent")
    assert force.webhook_url == "http://127.0.0.1:9000/in"
    assert force.get_webhook_secret() == OTHER_SECRET
    assert OTHER_SECRET not in raw_secret_column(force)


def test_the_secret_can_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SOLH_WEBHOOK_SECRET", SECRET)
    output = onboard(*KENT, "--webhook-url", "https://reports.kent.example/solh")
    assert SECRET not in output
    assert Force.objects.get(slug="kent").get_webhook_secret() == SECRET
    # The command line wins over the environment.
    onboard(*KENT, "--webhook-secret", OTHER_SECRET)
    assert Force.objects.get(slug="kent").get_webhook_secret() == OTHER_SECRET


def test_empty_values_remove_the_webhook_and_the_inbox():
    onboard(*KENT, *DELIVERY)
    onboard(*KENT, "--webhook-url", "", "--webhook-secret", "", "--reports-email", "")
    assert delivery("kent") == {
        "webhook_url": "",
        "secret": "",
        "token": "",
        "reports_email": "",
        "report_retention_days": 730,
    }


def test_the_service_takes_the_same_options(make_force):
    spec = ForceSpec(
        slug="kent",
        name="Kent Police",
        hostname="kent.localhost",
        webhook_url="https://reports.kent.example/solh",
        webhook_secret=SECRET,
        reports_email="reports@kent.example",
        report_retention_days=90,
    )
    assert SECRET not in repr(spec)
    first = onboard_force(spec)
    assert first.created and first.force.get_webhook_secret() == SECRET
    again = onboard_force(spec)
    assert not again.changed
    assert Force.objects.get(slug="kent").report_retention_days == 90


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--webhook-url", "ftp://reports.kent.example/", "--webhook-secret", SECRET], "http"),
        (["--webhook-url", "reports.kent.example", "--webhook-secret", SECRET], "not a webhook"),
        (["--webhook-url", "https://reports.kent.example/"], "A webhook needs a secret"),
        (
            ["--webhook-url", "https://reports.kent.example/", "--webhook-secret", "too-short"],
            "at least 16 characters",
        ),
        (
            ["--webhook-url", "https://reports.kent.example/", "--webhook-secret", f" {SECRET}"],
            "must not start or end with a space",
        ),
        (["--reports-email", "reports-at-kent"], "not an email address"),
        (["--retention-days", "7"], "between 30 and 3650 days"),
        (["--retention-days", "5000"], "between 30 and 3650 days"),
    ],
)
def test_bad_delivery_options_are_rejected_and_change_nothing(options, message):
    onboard(*KENT)
    before = list(Force.objects.order_by("pk").values())
    with pytest.raises(CommandError) as error:
        onboard(*KENT, *options)
    assert message in str(error.value)
    assert SECRET not in str(error.value)
    assert list(Force.objects.order_by("pk").values()) == before


def test_removing_the_secret_of_a_force_with_a_webhook_is_refused():
    onboard(*KENT, *DELIVERY)
    with pytest.raises(CommandError, match="A webhook needs a secret"):
        onboard(*KENT, "--webhook-secret", "")
    assert Force.objects.get(slug="kent").get_webhook_secret() == SECRET


def test_the_service_reports_every_problem_at_once():
    spec = ForceSpec(
        slug="kent",
        name="Kent Police",
        hostname="kent.localhost",
        webhook_url="gopher://x",
        reports_email="nope",
        report_retention_days=1,
    )
    with pytest.raises(OnboardingError) as error:
        onboard_force(spec)
    assert len(error.value.messages) == 4  # url, email, retention, and the missing secret
    assert not Force.objects.filter(slug="kent").exists()


# --- the admin: platform admins only ------------------------------------------------------------


@pytest.fixture
def met(forces):
    force = forces["met"]
    force.webhook_url = "https://reports.met.example/solh"
    force.set_webhook_secret(SECRET)
    force.reports_email = "reports@met.example"
    force.save()
    return force


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("platform", password="correct-horse-battery")


def edit_url(force):
    return reverse("force_settings:edit", args=[force.pk])


def delivery_form(force, **changes):
    """The settings form with the delivery fields a platform admin sees, and ``changes``."""
    delivery_fields = {
        "webhook_url": force.webhook_url,
        "new_webhook_secret": "",
        "reports_email": force.reports_email,
        "report_retention_days": str(force.report_retention_days),
    }
    return settings_form(force, **{**delivery_fields, **changes})


def page_text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_platform_admins_see_the_delivery_panel_but_never_the_secret(client, met, superuser):
    client.force_login(superuser)
    html = page_text(client.get(edit_url(met)))
    assert "Report delivery" in html
    assert 'name="webhook_url"' in html and "https://reports.met.example/solh" in html
    assert 'name="reports_email"' in html and 'name="report_retention_days"' in html
    assert 'type="password" name="new_webhook_secret"' in html
    assert 'name="remove_webhook_secret"' in html
    assert "A secret is set" in html
    assert SECRET not in html and met.webhook_secret not in html


def test_platform_admins_change_the_delivery_settings(client, met, superuser):
    client.force_login(superuser)
    response = client.post(
        edit_url(met),
        delivery_form(
            met,
            webhook_url="https://new.met.example/in",
            new_webhook_secret=OTHER_SECRET,
            reports_email="inbox@met.example",
            report_retention_days="400",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    force = Force.objects.get(pk=met.pk)
    assert force.webhook_url == "https://new.met.example/in"
    assert force.get_webhook_secret() == OTHER_SECRET
    assert OTHER_SECRET not in raw_secret_column(force)
    assert (force.reports_email, force.report_retention_days) == ("inbox@met.example", 400)

    # A blank secret keeps the current one.
    response = client.post(edit_url(met), delivery_form(force, reports_email="x@met.example"))
    assert response.status_code == 302
    assert Force.objects.get(pk=met.pk).get_webhook_secret() == OTHER_SECRET

    # Nowhere in the admin afterwards: the form, its history, the log.
    for address in (
        edit_url(met),
        reverse("force_settings:history", args=[met.pk]),
        reverse("force_settings:index"),
    ):
        assert OTHER_SECRET not in page_text(client.get(address))
    for entry in ModelLogEntry.objects.all():
        assert OTHER_SECRET not in str(entry.data)


def test_removing_the_secret_needs_the_webhook_removed_too(client, met, superuser):
    client.force_login(superuser)
    response = client.post(edit_url(met), delivery_form(met, remove_webhook_secret="on"))
    assert "A webhook needs a secret" in page_text(response)
    assert Force.objects.get(pk=met.pk).get_webhook_secret() == SECRET

    response = client.post(
        edit_url(met), delivery_form(met, webhook_url="", remove_webhook_secret="on")
    )
    assert response.status_code == 302
    force = Force.objects.get(pk=met.pk)
    assert (force.webhook_url, force.webhook_secret) == ("", "")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"new_webhook_secret": "short-secret"}, "at least 16 characters"),
        (
            {"new_webhook_secret": OTHER_SECRET, "remove_webhook_secret": "on"},
            "Either enter a new secret or remove the secret",
        ),
        ({"webhook_url": "ftp://reports.met.example/"}, "not a webhook address"),
        ({"report_retention_days": "10"}, "at least 30 days"),
        ({"report_retention_days": "4000"}, "at most 3650 days"),
        ({"reports_email": "not-an-address"}, "valid email"),
    ],
)
def test_bad_delivery_settings_get_a_clear_error(client, met, superuser, changes, message):
    client.force_login(superuser)
    html = page_text(client.post(edit_url(met), delivery_form(met, **changes)))
    assert message in html
    assert OTHER_SECRET not in html and SECRET not in html  # a typed secret is not shown back
    force = Force.objects.get(pk=met.pk)
    assert force.get_webhook_secret() == SECRET and force.report_retention_days == 365


def test_a_forces_admins_neither_see_nor_change_delivery(client, met, make_user):
    user = make_user("met-admin", FORCE_ADMIN, met)
    client.force_login(user)
    html = page_text(client.get(edit_url(met)))
    for field in ("webhook_url", "new_webhook_secret", "remove_webhook_secret", "reports_email"):
        assert f'name="{field}"' not in html
    assert "reports.met.example" not in html and "reports@met.example" not in html
    assert SECRET not in html and met.webhook_secret not in html
    # They see how long their reports are kept, read-only.
    assert "Report retention (days)" in html and 'name="report_retention_days"' not in html
    assert ">365<" in html.replace(" ", "").replace("\n", "")

    response = client.post(
        edit_url(met),
        delivery_form(
            met,
            short_name="MET",
            webhook_url="https://attacker.example/",
            new_webhook_secret=OTHER_SECRET,
            remove_webhook_secret="on",
            reports_email="attacker@example.com",
            report_retention_days="30",
        ),
    )
    assert response.status_code == 302
    force = Force.objects.get(pk=met.pk)
    assert force.short_name == "MET"  # their own settings still work
    assert force.webhook_url == "https://reports.met.example/solh"
    assert force.get_webhook_secret() == SECRET
    assert force.reports_email == "reports@met.example"
    assert force.report_retention_days == 365


@pytest.mark.parametrize("role", [FORCE_EDITOR, REPORT_HANDLER])
def test_other_roles_do_not_get_the_delivery_settings(client, met, make_user, role):
    client.force_login(make_user(f"met-{role}", role, met))
    response = client.get(edit_url(met))
    body = response.content.decode()
    assert SECRET not in body and "reports@met.example" not in body
    assert 'name="webhook_url"' not in body
    if role == REPORT_HANDLER:  # handlers have no force settings at all
        assert response.status_code in (302, 403, 404)
