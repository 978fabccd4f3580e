"""The site's URLs behind one extra view: the floor every page is measured against."""

from django.http import HttpResponse
from django.urls import path

from solh import urls as site_urls

FLOOR_PATH = "/__bench__/floor"
FLOOR_BODY = b"bench floor ok"

handler404 = site_urls.handler404
handler500 = site_urls.handler500


def floor(request):
    """The least a request can cost here: the full middleware stack, no database, no template."""
    return HttpResponse(FLOOR_BODY, content_type="text/plain")


# The site's own patterns follow as they are (not through ``include``, which refuses the
# ``i18n_patterns`` that serve the Welsh pages at /cy/).
urlpatterns = [
    path(FLOOR_PATH.lstrip("/"), floor, name="bench_floor"),
    *site_urls.urlpatterns,
]
