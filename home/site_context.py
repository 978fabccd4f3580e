"""What every template needs to know about the site it renders for: force, theme, navigation.

The "chrome" of a site (its force settings, logo rendition, languages and menu) changes rarely
and is read on every request, so each process keeps it per site and language under the shared
version tokens it depends on (``solh.versions``: the lookups, the live content and the chrome
itself). Each reading has a ``version`` of its own, which the templates' cached fragments of it
(header, menu, footer) are keyed on: a new chrome, new fragments.
"""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page, Site

from forces.models import Force
from home.lookups import kept, public
from solh import versions

# The hub's own theme: a neutral national blue with white text at 11:1 contrast.
NATIONAL_THEME = {"primary_colour": "#1d3f77", "secondary_colour": "#0b0c0c"}
LOGO_FILTER = "height-96"  # shown at 48px high: sharp on high-density screens


@dataclass(frozen=True)
class Logo:
    url: str
    width: int
    height: int


@dataclass
class SiteChrome:
    """The cached part of every page of a site in one language: force settings, logo, the
    languages the site is published in and the menu."""

    force: Force | None = None
    logo: Logo | None = None
    navigation: list = field(default_factory=list)
    languages: list = field(default_factory=lambda: [settings.LANGUAGE_CODE])
    version: str = ""


def _chrome_versions():
    return ":".join(
        versions.get(name) for name in (versions.LOOKUPS, versions.CONTENT, versions.CHROME)
    )


def _site_languages(site, force):
    """The languages ``site`` is published in, as ``{code: home page}``, English first: its home
    page's live translations, and for a force only those among its languages."""
    homes = {
        page.locale.language_code: page
        for page in site.root_page.get_translations(inclusive=True)
        .live()
        .select_related("locale")
        .only("path", "depth", "url_path", "locale__language_code")
    }
    homes[settings.LANGUAGE_CODE] = site.root_page
    wanted = force.language_codes if force is not None else homes
    return {
        code: homes[code] for code, _name in settings.LANGUAGES if code in wanted and code in homes
    }


def _menu(home, site, language):
    """The menu of ``home`` (the site's home page in ``language``). An item whose page is not
    translated into ``language`` yet (an alias of a page in another language) has a ``lang``:
    the language its title is in."""
    menu = list(
        public(home.get_children().live().in_menu()).only("title", "url_path", "alias_of_id")
    )
    aliased = [page.alias_of_id for page in menu if page.alias_of_id]
    originals = dict(Page.objects.filter(pk__in=aliased).values_list("pk", "locale__language_code"))
    items = []
    with translation.override(language):
        for page in menu:
            lang = originals.get(page.alias_of_id)
            items.append(
                {
                    "pk": page.pk,
                    "title": page.title,
                    "url": page.relative_url(site) or "",
                    "lang": lang if lang and lang != language else None,
                }
            )
    return items


def build_site_chrome(site, language=None):
    """Read a site's chrome in ``language`` (the active one by default) from the database."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    # The webhook secret (encrypted as it is) stays out of the cache.
    force = (
        Force.objects.select_related("logo").defer("webhook_secret").filter(site_id=site.pk).first()
    )
    logo = None
    if force is not None and force.logo is not None:
        rendition = force.logo.get_rendition(LOGO_FILTER)
        logo = Logo(rendition.url, rendition.width // 2, rendition.height // 2)
    homes = _site_languages(site, force)
    home = homes.get(language, homes[settings.LANGUAGE_CODE])
    return SiteChrome(
        force=force,
        logo=logo,
        navigation=_menu(home, site, language),
        languages=list(homes),
        version=uuid.uuid4().hex,
    )


def get_site_chrome(site, language=None):
    """The ``SiteChrome`` of ``site`` in ``language``, kept in this process
    (``home.lookups.kept``) under the versions it depends on, so it is never out of date."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    key = ("site-chrome", _chrome_versions(), site.pk, language)
    return kept.get_or_make(key, lambda: build_site_chrome(site, language))


def invalidate_site_chrome(site_ids=None):
    """Every site's chrome is read again, in every process (for changes that no signal tells:
    ``site_ids`` is accepted for the callers' clarity, but every site's chrome moves at once)."""
    versions.move(versions.CHROME)


@dataclass
class SiteContext:
    site: Site | None
    chrome: SiteChrome
    language: str = settings.LANGUAGE_CODE

    @property
    def force(self):
        return self.chrome.force

    @property
    def menu_pks(self):
        """The pages in the menu (one of them is marked when it is the page shown)."""
        return frozenset(item["pk"] for item in self.chrome.navigation)

    @property
    def name(self):
        if self.force is None:
            return _("Police websites in England and Wales")
        if self.language == "cy" and self.force.welsh_name:
            return self.force.welsh_name
        return self.force.name

    @property
    def is_bilingual(self):
        return len(self.chrome.languages) > 1

    @property
    def home_url(self):
        """The home page in the current language: ``/``, or ``/cy/`` in Welsh."""
        return language_home_url(self.language)

    @property
    def primary_colour(self):
        return self.force.primary_colour if self.force else NATIONAL_THEME["primary_colour"]

    @property
    def secondary_colour(self):
        return self.force.secondary_colour if self.force else NATIONAL_THEME["secondary_colour"]

    @property
    def phone_non_emergency(self):
        return self.force.phone_non_emergency if self.force else "101"

    @property
    def phase(self):
        """The site's GOV.UK phase banner: a force's setting, ``HUB_PHASE`` on the hub."""
        if self.force is not None:
            return PhaseBanner(self.force.phase, self.force.phase_feedback_url)
        return PhaseBanner(settings.HUB_PHASE, settings.HUB_PHASE_FEEDBACK_URL)


@dataclass(frozen=True)
class PhaseBanner:
    name: str
    feedback_url: str = ""

    @property
    def tag(self):
        """The banner's tag ("Alpha", "Beta"), or "" for a live site (no banner)."""
        return {"alpha": _("Alpha"), "beta": _("Beta")}.get(self.name, "")


def language_home_url(language):
    """The home page's path in ``language``: ``/`` in English, ``/cy/`` in Welsh."""
    with translation.override(language):
        return reverse("wagtail_serve", args=[""])


def get_site_context(request):
    """The ``SiteContext`` of ``request`` in the active language, computed once per language
    and kept on the request."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    contexts = request.__dict__.setdefault("_site_contexts", {})
    if language not in contexts:
        site = Site.find_for_request(request)
        if site is not None:
            chrome = get_site_chrome(site, language)
        else:
            chrome = SiteChrome(version=f"no-site:{language}")
        contexts[language] = SiteContext(site=site, chrome=chrome, language=language)
    return contexts[language]


@dataclass(frozen=True)
class ForceLink:
    """A force in the hub's list of every force."""

    name: str
    welsh_name: str
    home_url: str


def force_directory(language=None):
    """Every force's name and home page in ``language`` (the active one by default), by name:
    a Welsh reader goes to each bilingual force's Welsh home page. Kept until a force or a site
    changes."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE

    def read():
        forces = Force.objects.select_related("site").only(
            "name", "welsh_name", "slug", "languages", "site__hostname", "site__port"
        )
        return [
            ForceLink(force.name, force.welsh_name, _force_home_url(force, language))
            for force in forces
        ]

    return kept.get_or_make(("force-directory", _chrome_versions(), language), read)


def _force_home_url(force, language):
    welsh = language == "cy" and language in force.language_codes
    return f"{force.url}/{language}/" if welsh else f"{force.url}/"
