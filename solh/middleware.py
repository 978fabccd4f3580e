"""Cross-cutting middleware: response headers, and which languages each site is served in."""

from django.conf import settings
from django.http import Http404
from django.utils import translation

from forces.site_context import get_site_context


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
        if foreign and language not in get_site_context(request).languages:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            raise Http404
        return self.get_response(request)
