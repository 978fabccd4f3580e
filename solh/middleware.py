"""Cross-cutting middleware: which site a request is for, which languages each site is served
in, and response headers."""

from django.conf import settings
from django.http import Http404
from django.utils import translation

from home.lookups import find_site, site_root_paths
from home.site_context import get_site_context
from solh import versions


class HealthCheckMiddleware:
    """Answer ``/healthz`` before any other middleware: a load balancer probes each server by
    its address (not a site's host name, not over HTTPS), and must hear the health check's 503
    when the database is down, not an error from middleware that needs the database first
    (the page cache and the site lookup read the shared version tokens)."""

    path = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == self.path:
            from .views import healthz

            return healthz(request)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Deny powerful browser features the sites never use."""

    permissions_policy = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=(), interest-cohort=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class SiteMiddleware:
    """Read the versions of what each process keeps (``home.lookups``) once for the request,
    and find its site without a query (Wagtail's ``Site.find_for_request`` makes one per
    request): Wagtail and the views find it on the request, and the site root paths every page
    address is worked out from (``Page.get_url``), kept in this process rather than read from
    the shared cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with versions.for_request():
            request._wagtail_site = find_site(request)
            site_root_paths(request)
            return self.get_response(request)


class SiteLanguageMiddleware:
    """Answer a language prefix (``/cy/…``) only on a site published in that language.

    Comes after Django's ``LocaleMiddleware``, which activates the language of the URL's prefix.
    An English-only force's site has no Welsh pages, so ``/cy/…`` there is "page not found",
    shown in English. Unprefixed URLs are English and cost nothing here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info)
        foreign = language and language != settings.LANGUAGE_CODE
        if foreign and language not in get_site_context(request).chrome.languages:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            raise Http404
        return self.get_response(request)
