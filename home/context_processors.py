from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .languages import page_languages
from .site_context import get_site_context

COOKIE_POLICY_NAME = "cookies_policy"


def force(request):
    """Expose the current site's force, theme, navigation and languages to every template.

    ``page_languages`` (the switcher, ``hreflang`` links and the untranslated-page note) is
    worked out only if a template uses it.
    """
    return {
        "site_context": get_site_context(request),
        "page_languages": SimpleLazyObject(lambda: page_languages(request)),
        "cookie_policy_set": COOKIE_POLICY_NAME in request.COOKIES,
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
