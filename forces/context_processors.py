from django.conf import settings

from .site_context import get_site_context

COOKIE_POLICY_NAME = "cookies_policy"


def force(request):
    """Expose the current site's force, theme and navigation to every template."""
    return {
        "site_context": get_site_context(request),
        "cookie_policy_set": COOKIE_POLICY_NAME in request.COOKIES,
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
