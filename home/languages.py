"""The languages a page is read in: its versions for the language switcher and ``hreflang``
links, and whether it is shown in a language it has not been translated into yet.

Only bilingual sites (a Welsh force, or the hub once national content is in Welsh) have any of
this: on an English-only site ``page_languages`` answers without a query.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from wagtail.models import Page

from home.lookups import content_version, kept

from .site_context import get_site_context, language_home_url

SERVED_PAGE_ATTRIBUTE = "solh_served_page"


@dataclass(frozen=True)
class LanguageVersion:
    """A page (or view) in one language."""

    code: str
    url: str
    full_url: str
    current: bool
    # False when the page has no version in this language and the link leads to that
    # language's home page instead: no ``hreflang`` alternate then.
    exists: bool = True

    @property
    def name(self):
        """The language's name in the language itself ("English", "Cymraeg")."""
        return dict(settings.LANGUAGES).get(self.code) or get_language_info(self.code)["name_local"]


@dataclass
class PageLanguages:
    """What the templates need: ``versions`` for the switcher (every language the site has, the
    current one included, empty on a single-language site), ``alternates`` for ``hreflang``, and
    ``content_language`` when the page's content is in another language than the page's own
    (an untranslated page shown in English on a Welsh site)."""

    versions: list = field(default_factory=list)
    content_language: str | None = None

    @property
    def alternates(self):
        return [version for version in self.versions if version.exists]

    @property
    def default_alternate(self):
        """The ``x-default`` version: the English one."""
        for version in self.alternates:
            if version.code == settings.LANGUAGE_CODE:
                return version
        return None

    @property
    def fallback(self):
        return self.content_language is not None


def served_page(request):
    """The Wagtail page ``request`` is serving (set by the ``before_serve_page`` hook), if any."""
    return getattr(request, SERVED_PAGE_ATTRIBUTE, None)


def content_language(page):
    """The language ``page``'s content is in, when it is not the page's own: a page not yet
    translated is an alias of its original in another language (one query, for aliases)."""
    if page.alias_of_id is None:
        return None
    original = (
        Page.objects.filter(pk=page.alias_of_id).values_list("locale_id", "locale__language_code")
    ).first()
    if original is None or original[0] == page.locale_id:
        return None
    return original[1]


def _page_versions(request, page, context):
    translations = {
        translation.locale.language_code: translation
        for translation in page.get_translations(inclusive=True)
        .live()
        .select_related("locale")
        .only("url_path", "path", "depth", "locale__language_code")
    }
    current = translations.get(context.language) or page
    versions = []
    for code in context.chrome.languages:
        translation = translations.get(code)
        if translation is not None:
            url = translation.get_url(request)
            full_url = translation.get_full_url(request)
        else:
            url = language_home_url(code)
            full_url = request.build_absolute_uri(url)
        if url is None:
            continue
        versions.append(
            LanguageVersion(
                code=code,
                url=url,
                full_url=full_url,
                current=translation is not None and translation.pk == current.pk,
                exists=translation is not None,
            )
        )
    return versions


def _view_versions(request, context):
    path = request.get_full_path()
    versions = []
    for code in context.chrome.languages:
        url = translate_url(path, code)
        versions.append(
            LanguageVersion(
                code=code,
                url=url,
                full_url=request.build_absolute_uri(url),
                current=code == context.language,
            )
        )
    return versions


def page_languages(request):
    """The ``PageLanguages`` of the page or view ``request`` is rendering."""
    context = get_site_context(request)
    if getattr(request, "is_preview", False) or not context.is_bilingual:
        return PageLanguages()
    page = served_page(request)
    if page is None:
        return PageLanguages(versions=_view_versions(request, context))
    # The same for every request for the page on this site in this language (the scheme and
    # host make the full URLs), while live content does not change.
    key = (
        "page-languages",
        content_version(),
        context.site.pk if context.site else None,
        page.pk,
        context.language,
        tuple(context.chrome.languages),
        request.scheme,
        request.get_host(),
    )
    return kept.get_or_make(
        key,
        lambda: PageLanguages(
            versions=_page_versions(request, page, context),
            content_language=content_language(page),
        ),
    )
