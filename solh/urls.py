from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from . import views
from .api import api_router

handler404 = "solh.views.page_not_found"
handler500 = "solh.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("cookies/", views.cookie_settings, name="cookie_settings"),
    path("search/", include("search.urls")),
    path("report-files/", include("reporting.urls")),
    path("admin/", include("forces.admin_urls")),  # permission guards for some Wagtail views
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
