"""The site's URLs behind one extra view: the floor every page is measured against."""

from django.http import HttpResponse
from django.urls import include, path

from solh import urls as site_urls

FLOOR_PATH = "/__bench__/floor"
FLOOR_BODY = b"bench floor ok"

handler404 = site_urls.handler404
handler500 = site_urls.handler500


def floor(request):
    """The least a request can cost here: the full middleware stack, no database, no template."""
    return HttpResponse(FLOOR_BODY, content_type="text/plain")


urlpatterns = [
    path(FLOOR_PATH.lstrip("/"), floor, name="bench_floor"),
    path("", include(site_urls)),
]
