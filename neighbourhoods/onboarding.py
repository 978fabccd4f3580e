"""Every force's ``/your-area/`` page, made by onboarding (``forces.onboarding.onboard_force``).

``ensure_index`` is idempotent like the rest of onboarding: it makes the page once (then leaves it
to the force's editors), gives an existing force's home page a "Your area" task when it first
gets the page, and on a bilingual site translates it into Welsh from the Welsh catalogue while
nobody has changed the English page.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.coreutils import find_available_slug
from wagtail.models import Page

from forces.national import bilingual
from forces.starter_content import site_path
from home.models import ForceHomePage

from .models import NeighbourhoodIndexPage

logger = logging.getLogger(__name__)

INDEX_SLUG = "your-area"


def index_page():
    """The starter ``/your-area/`` page, in the active language."""
    return NeighbourhoodIndexPage(
        title=_("Your area"),
        slug=INDEX_SLUG,
        search_description=_(
            "Find your neighbourhood policing team by postcode: who they are, what they are "
            "working on and when you can meet them."
        ),
        intro="<p>"
        + _(
            "Every part of our area has a neighbourhood policing team. Find yours to see who "
            "they are, what they are working on, when you can meet them and the latest local "
            "news."
        )
        + "</p>",
    )


def your_area_task():
    """The home page's "Your area" task (``forces.starter_content.force_home_page``)."""
    return {
        "type": "task",
        "value": {
            "title": _("Your area"),
            "description": _("Find your neighbourhood team, their priorities and meetings."),
            "url": site_path(f"{INDEX_SLUG}/"),
        },
    }


def _give_home_the_task(home, index):
    """Add the "Your area" task to a force home made before there was one (once, and only
    when the home page has no draft of its own waiting)."""
    home = ForceHomePage.objects.get(pk=home.pk)
    url = f"/{index.slug}/"
    if any(
        (block.value.get("url") or "").endswith(url) or block.value.get("page") == index
        for block in home.featured_tasks
    ):
        return False
    if home.has_unpublished_changes or len(home.featured_tasks) >= 6:
        logger.info("Home page %s left without a 'Your area' task.", home.pk)
        return False
    home.featured_tasks.append(("task", your_area_task()["value"]))
    home.save_revision().publish()
    return True


def _translate_index(index):
    """The Welsh ``/cy/your-area/``, translated from the catalogue while the English page is
    the starter page and the Welsh one still stands in for it (an alias)."""
    welsh = bilingual.welsh_locale(create=False)
    if welsh is None:
        return False
    counterpart = Page.objects.filter(translation_key=index.translation_key, locale=welsh).first()
    if counterpart is None or counterpart.alias_of_id is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        english = index_page()
    if not bilingual.same_strings(index, english):
        return False
    with translation.override(bilingual.WELSH):
        bilingual.translate(index, index_page())
    return True


@transaction.atomic
def ensure_index(force):
    """Give ``force`` its ``/your-area/`` page if it has none; return True if anything changed."""
    home = Page.objects.get(pk=force.site.root_page_id)
    index = NeighbourhoodIndexPage.objects.child_of(home).first()
    changed = False
    if index is None:
        with translation.override(settings.LANGUAGE_CODE):
            index = index_page()
            index.slug = find_available_slug(home, INDEX_SLUG)
            home.add_child(instance=index)
            index.save_revision().publish()
            _give_home_the_task(home, index)
        changed = True
    if bilingual.WELSH in force.language_codes:
        changed |= _translate_index(index)
    return changed
