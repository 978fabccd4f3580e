"""The site's URLs behind one extra view: the floor every page is measured against."""

from django.http import HttpResponse
from django.urls import path

from solh import urls as site_urls

FLOOR_PATH = "/__bench__/floor"
FLOOR_BODY = b"bench floor ok"

handler404 = site_urls.handler404
handler500 = site_urls.handler500


def floor(request):
    """The least a request can cost here: the full middleware stack, no database, no template.

    Never stored by the page cache (``no-store``): the floor measures the stack a page goes
    through, so a page served from the cache can be compared with it. On a server with the page
    cache on, it pays the cache's lookup too, as every request there does.
    """
    response = HttpResponse(FLOOR_BODY, content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


# The site's own patterns follow as they are (not through ``include``, which refuses the
# ``i18n_patterns`` that serve the Welsh pages at /cy/).
urlpatterns = [
    path(FLOOR_PATH.lstrip("/"), floor, name="bench_floor"),
    *site_urls.urlpatterns,
]
