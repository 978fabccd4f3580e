"""The pages a new force (and the hub) start with, written to be useful from day one.

Strings are translatable: onboarding builds these pages again in Welsh for a bilingual force
(``forces.national.bilingual``), and its editors translate them further like any other content.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home.models import ContactPage, ContentPage, ForceHomePage, HubPage, NewsIndexPage, SectionPage
from reporting.models import ReportHubPage

HUB_SITE_NAME = gettext_lazy("Police websites in England and Wales")
# The national sections: the hub's pages at these slugs are shown on every force site at the
# same slug (forces.national.syndication). The report hub holds the national reporting journeys and
# comes first on a force's home page; the advice library comes right after the page with slug
# NATIONAL_LIBRARY_AFTER, so the menu reads Report, Advice, ... (the force home page's featured
# tasks link to both).
NATIONAL_REPORT_HUB_SLUG = "report"
NATIONAL_LIBRARY_SLUG = "advice"
NATIONAL_LIBRARY_AFTER = NATIONAL_REPORT_HUB_SLUG


def site_path(path=""):
    """A path on the site in the active language: ``/report/``, or ``/cy/report/`` in Welsh."""
    return reverse("wagtail_serve", args=[path])


def paragraph(html):
    return {"type": "paragraph", "value": html}


def callout(html, style="warning", heading=""):
    return {"type": "callout", "value": {"style": style, "heading": heading, "text": html}}


def heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def emergency_callout():
    return callout(
        "<p>" + _("If you are in immediate danger or a crime is happening now, call 999.") + "</p>"
    )


def accessibility_statement(owner):
    return ContentPage(
        title=_("Accessibility statement"),
        slug="accessibility-statement",
        search_description=_("How accessible this website is and how to report a problem."),
        body=[
            paragraph(
                "<p>"
                + _(
                    "This website is run by %(owner)s. We want as many people as possible to be "
                    "able to use it. You should be able to change colours and fonts, zoom in up to "
                    "400%% without text spilling off the screen, navigate the whole site using "
                    "just a keyboard or speech recognition software, and listen to it using a "
                    "screen reader."
                )
                % {"owner": owner}
                + "</p>"
            ),
            heading(_("How accessible this website is")),
            paragraph(
                "<p>"
                + _(
                    "The site is built on accessible components and is tested against the Web "
                    "Content Accessibility Guidelines (WCAG) version 2.2 AA standard with "
                    "automated checks and by hand. Some older PDF documents may not be fully "
                    "accessible."
                )
                + "</p>"
            ),
            heading(_("Reporting accessibility problems")),
            paragraph(
                "<p>"
                + _(
                    "If you find a problem that is not listed on this page, or you need "
                    "information in a different format such as large print, easy read or "
                    "audio, contact us. We will consider your request and reply within 10 "
                    "working days."
                )
                + "</p>"
            ),
            heading(_("Enforcement procedure")),
            paragraph(
                "<p>"
                + _(
                    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing "
                    "the Public Sector Bodies (Websites and Mobile Applications) (No. 2) "
                    "Accessibility Regulations 2018. If you are not happy with how we respond to "
                    "your complaint, contact the Equality Advisory and Support Service (EASS)."
                )
                + "</p>"
            ),
        ],
    )


def hub_page():
    return HubPage(
        title=str(HUB_SITE_NAME),
        slug="hub",
        search_description=_(
            "Find your local police force's website to report a crime, get advice or contact them."
        ),
        intro="<p>"
        + _(
            "Every police force in England and Wales runs its website on this service. Choose "
            "your force to report a crime or incident, get advice, and read local news and "
            "appeals."
        )
        + "</p>",
        body=[emergency_callout()],
    )


def report_hub_page():
    """The national report hub: its journeys are on every force site at /report/<journey>/."""
    return ReportHubPage(
        title=_("Report a crime or incident"),
        slug=NATIONAL_REPORT_HUB_SLUG,
        show_in_menus=True,
        search_description=_("Report a crime or incident online, at any time."),
        intro="<p>"
        + _(
            "Report a crime or incident online, at any time: you get a reference number "
            "straight away. To stay anonymous, contact the independent charity Crimestoppers "
            "on 0800 555 111."
        )
        + "</p>",
    )


def hub_children():
    return [
        SectionPage(
            title=_("Advice and information"),
            slug=NATIONAL_LIBRARY_SLUG,
            show_in_menus=True,
            intro="<p>"
            + _("Advice on staying safe and what to do if something has happened.")
            + "</p>",
        ),
        accessibility_statement(_("the national Single Online Home team")),
    ]


def force_home_page(slug, name):
    from neighbourhoods.onboarding import your_area_task

    return ForceHomePage(
        title=name,
        slug=slug,
        hero_heading=name,
        hero_text=_("Report a crime or incident, find advice, and contact us."),
        search_description=_("The official website of %(force)s.") % {"force": name},
        featured_tasks=[
            {
                "type": "task",
                "value": {
                    "title": _("Report"),
                    "description": _(
                        "Report a crime, a road traffic incident or antisocial behaviour."
                    ),
                    "url": site_path(f"{NATIONAL_REPORT_HUB_SLUG}/"),
                },
            },
            {
                "type": "task",
                "value": {
                    "title": _("Advice"),
                    "description": _("Staying safe, and what to do if something has happened."),
                    "url": site_path(f"{NATIONAL_LIBRARY_SLUG}/"),
                },
            },
            your_area_task(),
            {
                "type": "task",
                "value": {
                    "title": _("Contact us"),
                    "description": _("Ways to get in touch with us when it is not an emergency."),
                    "url": site_path("contact-us/"),
                },
            },
            {
                "type": "task",
                "value": {
                    "title": _("News and appeals"),
                    "description": _(
                        "What is happening in your area, and appeals for information."
                    ),
                    "url": site_path("news/"),
                },
            },
        ],
    )


def force_children(force):
    """The starter pages under a new force's home page, ``/your-area/`` last
    (``neighbourhoods.onboarding``, which gives it to forces made before it existed).

    No report hub or advice section here: onboarding gives the force its copies of the national
    ones (``forces.national.syndication.ensure_national_library``), at /report/ and /advice/, first.
    """
    from neighbourhoods.onboarding import index_page

    return [
        NewsIndexPage(
            title=_("News and appeals"),
            slug="news",
            show_in_menus=True,
            intro="<p>"
            + _("News from %(force)s, and appeals for information.") % {"force": force.name}
            + "</p>",
        ),
        ContactPage(
            title=_("Contact us"),
            slug="contact-us",
            show_in_menus=True,
            intro="<p>"
            + _("Call 999 in an emergency. For everything else, here is how to reach us.")
            + "</p>",
        ),
        accessibility_statement(force.name),
        index_page(),
    ]
