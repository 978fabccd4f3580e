from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home.sitemaps import SiteSitemap

from . import csp, views
from .api import api_router

handler404 = "solh.views.page_not_found"
handler500 = "solh.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("csp-report/", csp.report, name="csp_report"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": SiteSitemap}}, name="sitemap"),
    path("report-files/", include("reporting.urls")),
    path("admin/", include("forces.admin_urls")),  # permission guards for some Wagtail views
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/", include("tracking.api_urls")),  # the back office's status updates
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# What a visitor reads: in English at /…, in Welsh at /cy/… on bilingual sites (a site without
# Welsh answers /cy/… with a 404: solh.middleware.SiteLanguageMiddleware).
urlpatterns += i18n_patterns(
    path("cookies/", views.cookie_settings, name="cookie_settings"),
    path("search/", include("search.urls")),
    path("feedback/", include("feedback.urls")),  # uncached: never on a content page's URL
    path("report/track/", include("tracking.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
