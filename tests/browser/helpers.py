"""What several browser tests do: give cookie consent, and move through a reporting journey."""

import json
import re
from datetime import timedelta
from urllib.parse import quote

from django.utils import timezone

# A journey step's Continue button.
CONTINUE = ".govuk-button-group button[name=action][value=continue]"


def consent(context, live, site, analytics=False):
    """Give the cookie consent a visitor gave earlier, so no banner is shown."""
    policy = quote(json.dumps({"essential": True, "analytics": analytics}))
    context.add_cookies([{"name": "cookies_policy", "value": policy, "url": live.url(site)}])


def incident_date():
    return timezone.localdate() - timedelta(days=6)


def arrive(page, route):
    """Wait until the browser is on ``route`` of the journey (a step id, or a page's route)."""
    page.wait_for_url(re.compile(rf"/report/[^/]+/{re.escape(route)}(\?.*)?(#.*)?$"))


def start(page, journey_url, force_slug="thames-valley"):
    """Open ``force_slug``'s journey and start it: the browser is on the emergency question."""
    page.goto(journey_url(force_slug))
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    arrive(page, "step/emergency/")
