"""The anonymous page cache: what it serves, what it never keeps, and every purge.

Checked over HTTP as a visitor sees it: each invalidation test requests a page (stored), makes
the change an editor would, and requests the page again.
"""

import datetime
import http.server
import threading

from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction

import pytest

from forces.national.syndication import national_root
from home.models import NewsIndexPage
from solh import page_cache
from solh.settings.frontend_cache import frontend_cache_backends
from tests.factories import (
    ContentPageFactory,
    NewsPageFactory,
    rural_crime_page,
    translate_rural_crime,
)
from tests.reporting.reporter import Reporter, make_journey

pytestmark = pytest.mark.django_db

MET = "met.localhost"
TVP = "thames-valley.localhost"
HOSTS = ["met.localhost", "thames-valley.localhost", "hampshire.localhost"]


@pytest.fixture(autouse=True)
def exact_purges(request, settings):
    """Exact purges are what the page cache does with a shared cache (Redis): the version
    tokens there too, as in production. The tests marked ``versions_in_database`` take the
    default without Redis, where each process's pages follow the tokens in the database."""
    if not request.node.get_closest_marker("versions_in_database"):
        settings.SHARED_VERSIONS = "cache"


def get(client, host, path, **headers):
    return client.get(path, HTTP_HOST=host, **headers)


def cached(client, host, path):
    """Request ``path`` until it comes from the cache; return that response."""
    first = get(client, host, path)
    assert first.status_code == 200, f"{host}{path}: {first.status_code}"
    second = get(client, host, path)
    assert second["X-Page-Cache"] == "hit", f"{host}{path}: {second['X-Page-Cache']}"
    return second


def text(response):
    return response.content.decode()


@pytest.fixture
def advice(forces):
    home = forces["met"].site.root_page
    return ContentPageFactory(
        parent=home.get_children().get(slug="advice").specific,
        title="Lock your shed",
        slug="lock-your-shed",
    )


@pytest.fixture
def news_index(forces):
    return NewsIndexPage.objects.child_of(forces["met"].site.root_page).get()


# --- serving --------------------------------------------------------------------------------


def test_a_cached_page_is_served_without_a_database_query(client, advice):
    first = get(client, MET, "/advice/lock-your-shed/")
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        again = get(client, MET, "/advice/lock-your-shed/")
    assert again["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert again.content == first.content
    assert "Lock your shed" in text(again)
    # The headers a CDN and a browser need, and the security headers, all kept.
    assert again["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    assert again["ETag"] == first["ETag"]
    assert again["X-Frame-Options"] == "DENY"
    assert "Permissions-Policy" in again
    assert "Vary" not in again
    assert not again.cookies


def test_a_matching_etag_is_answered_304(client, advice):
    etag = cached(client, MET, "/advice/lock-your-shed/")["ETag"]
    response = get(client, MET, "/advice/lock-your-shed/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    stale = get(client, MET, "/advice/lock-your-shed/", HTTP_IF_NONE_MATCH='"other"')
    assert stale.status_code == 200


def test_head_is_answered_from_the_cache(client, advice):
    page = cached(client, MET, "/advice/lock-your-shed/")
    head = client.head("/advice/lock-your-shed/", HTTP_HOST=MET)
    assert head["X-Page-Cache"] == "hit"
    assert head.content == b""
    assert head["Content-Length"] == str(len(page.content))


def test_pages_are_kept_per_host_path_and_language(client, forces):
    met = text(cached(client, MET, "/"))
    tvp = text(cached(client, "thames-valley.localhost", "/"))
    assert forces["met"].name in met and forces["met"].name not in tvp
    assert forces["thames-valley"].name in tvp


def test_the_cookie_banner_variant_follows_the_visitors_choice(client, advice):
    cached(client, MET, "/advice/lock-your-shed/")
    client.cookies["cookies_policy"] = "%7B%22analytics%22%3Afalse%7D"
    chosen = get(client, MET, "/advice/lock-your-shed/")
    assert chosen["X-Page-Cache"] == "miss"
    assert "data-cookie-banner" not in text(chosen)
    del client.cookies["cookies_policy"]
    assert "data-cookie-banner" in text(get(client, MET, "/advice/lock-your-shed/"))


def test_off_when_disabled(client, advice):
    with override_settings(PAGE_CACHE_ENABLED=False):
        get(client, MET, "/advice/lock-your-shed/")
        response = get(client, MET, "/advice/lock-your-shed/")
    assert "X-Page-Cache" not in response


# --- never cached -----------------------------------------------------------------------------


def test_a_signed_in_editor_is_never_served_or_given_a_cached_page(client, advice, make_user):
    anonymous = cached(client, MET, "/advice/lock-your-shed/")
    client.force_login(make_user("editor", is_superuser=True))
    signed_in = get(client, MET, "/advice/lock-your-shed/")
    assert signed_in["X-Page-Cache"] == "bypass"
    assert "private" in signed_in["Cache-Control"]
    assert signed_in.content != anonymous.content  # Wagtail's user bar
    client.logout()
    client.cookies.pop("sessionid", None)
    assert get(client, MET, "/advice/lock-your-shed/").content == anonymous.content


def test_a_journey_is_never_cached(client, forces, settings):
    settings.REPORT_MIN_SECONDS = 0
    reporter = Reporter(client, TVP, make_journey(forces["thames-valley"]))
    for _ in range(2):
        start_page = reporter.get()
        assert start_page.status_code == 200
        assert start_page["X-Page-Cache"] == "bypass"  # a CSRF form and a resume link
        assert "no-store" in start_page["Cache-Control"]
    first_step = reporter.start()["Location"]
    for _ in range(2):
        step = client.get(first_step, HTTP_HOST=TVP)
        assert step.status_code == 200
        assert step["X-Page-Cache"] == "bypass"
        assert "no-store" in step["Cache-Control"]


def test_the_cookie_settings_page_is_private(client, advice):
    # It shows the visitor's own choice, and its form answers with a cookie.
    page = get(client, MET, "/cookies/")
    assert page["X-Page-Cache"] == "bypass"
    saved = client.post("/cookies/", {"analytics": "no"}, HTTP_HOST=MET)
    assert saved.cookies and saved["X-Page-Cache"] == "bypass"
    assert get(client, MET, "/cookies/")["X-Page-Cache"] == "bypass"


def test_a_view_that_sets_a_cookie_is_never_stored(rf, forces):
    from django.http import HttpResponse

    def view(request):
        from wagtail.models import Site

        Site.find_for_request(request)
        response = HttpResponse("hello")
        response.set_cookie("flavour", "oat")
        return response

    middleware = page_cache.PageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(rf.get("/anything/", HTTP_HOST=MET))
        assert response["X-Page-Cache"] == "bypass"


def test_search_with_a_query_and_query_strings_are_not_cached(client, advice):
    for _ in range(2):
        assert get(client, MET, "/search/?q=shed")["X-Page-Cache"] == "bypass"
        assert get(client, MET, "/news/?page=1")["X-Page-Cache"] == "bypass"


def test_a_preview_is_never_cached(client, advice, make_user):
    client.force_login(make_user("previewer", is_superuser=True))
    url = f"/admin/pages/{advice.pk}/edit/preview/"
    response = client.get(url, HTTP_HOST="localhost")
    assert response["X-Page-Cache"] == "bypass"
    client.logout()
    # Signed out, the preview is the admin's login page: not stored either.
    again = client.get(url, HTTP_HOST="localhost")
    assert again["X-Page-Cache"] == "bypass"


def test_a_page_reached_through_another_host_name_is_not_stored(client, advice):
    # 127.0.0.1 falls back to the default site, whose purges address it as "localhost".
    response = get(client, "127.0.0.1", "/")
    assert response.status_code == 200
    assert get(client, "127.0.0.1", "/")["X-Page-Cache"] == "bypass"


def test_api_answers_are_not_cached(client, advice):
    for _ in range(2):
        response = get(client, MET, "/api/v2/pages/")
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "bypass"


def test_non_get_requests_are_not_cached(client, advice):
    response = client.post("/advice/lock-your-shed/", HTTP_HOST=MET)
    assert response["X-Page-Cache"] == "bypass"


def test_a_render_purged_while_under_way_is_not_stored(client, advice, monkeypatch):
    """The race: a render reads the old page, an editor publishes (the purge lands), then the
    render finishes. What it read must not be stored."""
    from home.models import ContentPage

    render = ContentPage.get_context

    def publish_during_render(page, request, *args, **kwargs):
        monkeypatch.setattr(ContentPage, "get_context", render)  # once
        edited = ContentPage.objects.get(pk=page.pk)
        edited.title = "Lock your shed and garage"
        edited.save_revision().publish()
        return render(page, request, *args, **kwargs)

    monkeypatch.setattr(ContentPage, "get_context", publish_during_render)
    during = get(client, MET, "/advice/lock-your-shed/")
    assert "Lock your shed and garage" not in text(during)  # it had read the page before
    after = get(client, MET, "/advice/lock-your-shed/")
    assert after["X-Page-Cache"] == "miss"
    assert "Lock your shed and garage" in text(after)


# --- exact invalidation ----------------------------------------------------------------------


def test_publishing_purges_the_page_its_index_and_the_sitemap(client, advice):
    cached(client, MET, "/advice/lock-your-shed/")
    cached(client, MET, "/advice/")
    cached(client, MET, "/sitemap.xml")
    advice.title = "Lock your shed and bike store"
    advice.slug = "lock-your-shed"
    advice.save_revision().publish()
    page = get(client, MET, "/advice/lock-your-shed/")
    assert page["X-Page-Cache"] == "miss"
    assert "Lock your shed and bike store" in text(page)
    assert "Lock your shed and bike store" in text(get(client, MET, "/advice/"))
    assert get(client, MET, "/sitemap.xml")["X-Page-Cache"] == "miss"


def test_a_publish_leaves_unrelated_pages_cached(client, advice, forces):
    cached(client, "thames-valley.localhost", "/")
    advice.save_revision().publish()
    assert get(client, "thames-valley.localhost", "/")["X-Page-Cache"] == "hit"


def test_new_news_reaches_the_news_index_and_the_home_pages_latest_news(client, news_index):
    for path in ("/", "/news/", "/sitemap.xml"):
        cached(client, MET, path)
    NewsPageFactory(
        parent=news_index,
        title="Arrest after shed burglaries",
        slug="shed-arrests",
        date=datetime.date.today(),
    )
    assert "Arrest after shed burglaries" in text(get(client, MET, "/"))
    assert "Arrest after shed burglaries" in text(get(client, MET, "/news/"))
    assert f"<loc>http://{MET}/news/shed-arrests/</loc>" in text(get(client, MET, "/sitemap.xml"))


def test_unpublishing_takes_the_page_and_its_listing_entry_away(client, advice):
    cached(client, MET, "/advice/lock-your-shed/")
    cached(client, MET, "/advice/")
    advice.unpublish()
    assert get(client, MET, "/advice/lock-your-shed/").status_code == 404
    assert "Lock your shed" not in text(get(client, MET, "/advice/"))


def test_moving_a_page_purges_its_old_and_new_addresses(client, advice, forces):
    home = forces["met"].site.root_page
    news = home.get_children().get(slug="news")
    cached(client, MET, "/advice/lock-your-shed/")
    cached(client, MET, "/advice/")
    cached(client, MET, "/news/")
    Page.objects.get(pk=advice.pk).move(news, pos="last-child")
    moved = get(client, MET, "/advice/lock-your-shed/")
    assert moved.status_code == 301  # Wagtail's automatic redirect, not the cached page
    assert moved["Location"].endswith("/news/lock-your-shed/")
    assert "Lock your shed" not in text(get(client, MET, "/advice/"))
    assert get(client, MET, "/news/lock-your-shed/").status_code == 200


def test_a_slug_change_purges_the_old_address(client, advice, django_capture_on_commit_callbacks):
    cached(client, MET, "/advice/lock-your-shed/")
    advice.slug = "secure-your-shed"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals it on commit
        advice.save_revision().publish()
    assert get(client, MET, "/advice/lock-your-shed/").status_code in (301, 404)
    assert get(client, MET, "/advice/secure-your-shed/").status_code == 200


def test_deleting_a_page_purges_it_and_its_listing(client, advice):
    cached(client, MET, "/advice/lock-your-shed/")
    cached(client, MET, "/advice/")
    Page.objects.get(pk=advice.pk).delete()
    assert get(client, MET, "/advice/lock-your-shed/").status_code == 404
    assert "Lock your shed" not in text(get(client, MET, "/advice/"))


def test_a_national_page_is_purged_on_every_force_site(client, forces):
    library = national_root()
    article = ContentPageFactory(parent=library, title="Spot a scam", slug="spot-a-scam")
    for host in HOSTS:
        cached(client, host, "/advice/spot-a-scam/")
        cached(client, host, "/advice/")
    article.title = "Spot and stop a scam"
    article.save_revision().publish()
    for host in HOSTS:
        assert "Spot and stop a scam" in text(get(client, host, "/advice/spot-a-scam/")), host
        assert "Spot and stop a scam" in text(get(client, host, "/advice/")), host
    article.unpublish()
    for host in HOSTS:
        assert get(client, host, "/advice/spot-a-scam/").status_code == 404, host


def test_changing_a_forces_settings_purges_its_whole_site_and_the_hub(client, forces, advice):
    force = forces["met"]
    for path in ("/", "/advice/lock-your-shed/", "/search/"):
        get(client, MET, path)
    cached(client, MET, "/")
    cached(client, "localhost", "/")
    cached(client, "hampshire.localhost", "/")
    force.phone_non_emergency = "0300 123 9876"
    force.name = "Metropolitan Police (renamed)"
    force.save()
    assert "0300 123 9876" in text(get(client, MET, "/"))
    assert "0300 123 9876" in text(get(client, MET, "/advice/lock-your-shed/"))
    assert "Metropolitan Police (renamed)" in text(get(client, "localhost", "/"))
    assert get(client, "hampshire.localhost", "/")["X-Page-Cache"] == "hit"


def test_a_menu_page_change_purges_every_page_of_its_site(client, forces, advice):
    cached(client, MET, "/advice/lock-your-shed/")
    news = Page.objects.get(url_path=f"{forces['met'].site.root_page.url_path}news/").specific
    news.title = "Latest news and appeals"
    news.save_revision().publish()
    page = get(client, MET, "/advice/lock-your-shed/")
    assert page["X-Page-Cache"] == "miss"
    assert "Latest news and appeals" in text(page)


def test_restricting_a_page_stops_it_being_served_from_the_cache(client, advice):
    cached(client, MET, "/advice/lock-your-shed/")
    PageViewRestriction.objects.create(page=advice, restriction_type=PageViewRestriction.LOGIN)
    response = get(client, MET, "/advice/lock-your-shed/")
    assert response.status_code == 302  # to the login page


def test_replacing_an_image_purges_the_forces_site_showing_it_as_a_logo(client, forces):
    from tests.factories import make_image

    force = forces["met"]
    force.logo = make_image(force.collection, "Met logo")
    force.save()
    cached(client, MET, "/")
    force.logo.title = "Met crest"
    force.logo.save()
    assert get(client, MET, "/")["X-Page-Cache"] == "miss"


# --- the Redis backend, as in production ---------------------------------------------------------

REDIS_PAGES = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:6379/13",
    "KEY_PREFIX": "solh-test-pages",
}


@pytest.fixture
def redis_pages(settings):
    """The page cache on the local Redis (never ignoring its errors: a missing server fails)."""
    settings.CACHES = {**settings.CACHES, "pages": REDIS_PAGES}
    caches["pages"].clear()
    yield caches["pages"]
    caches["pages"].clear()


def test_redis_serves_and_purges(client, advice, redis_pages):
    first = get(client, MET, "/advice/lock-your-shed/")
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        assert get(client, MET, "/advice/lock-your-shed/")["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    advice.title = "Lock your shed (Redis)"
    advice.save_revision().publish()
    assert "Lock your shed (Redis)" in text(get(client, MET, "/advice/lock-your-shed/"))


# --- CDN purges through Wagtail's frontend-cache backends ---------------------------------


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    """A cache that takes HTTP PURGE requests (as Varnish does), recording each URL."""

    purged = []

    def do_PURGE(self):
        self.purged.append(f"http://{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server():
    PurgeRecorder.purged = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, PurgeRecorder.purged
    server.shutdown()


def test_a_national_publish_purges_every_force_sites_url_at_the_cdn(
    forces, purge_server, settings, django_capture_on_commit_callbacks
):
    server, purged = purge_server
    settings.WAGTAILFRONTENDCACHE = frontend_cache_backends(
        {"FRONTEND_CACHE_PURGE_URL": f"http://127.0.0.1:{server.server_port}"}
    )
    library = national_root()
    with django_capture_on_commit_callbacks(execute=True):
        article = ContentPageFactory(parent=library, title="Cold callers", slug="cold-callers")
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    for host in HOSTS:
        assert f"http://{host}/advice/cold-callers/" in purged
        assert f"http://{host}/advice/" in purged
        assert f"http://{host}/sitemap.xml" in purged
    assert "http://localhost/advice/cold-callers/" in purged


def test_cdn_backends_from_the_environment():
    assert frontend_cache_backends({}) == {}
    backends = frontend_cache_backends(
        {
            "CLOUDFLARE_BEARER_TOKEN": "token",
            "CLOUDFLARE_ZONES": "met.police.uk=zone-met, .thamesvalley.police.uk=zone-tvp",
            "CLOUDFRONT_DISTRIBUTION_ID": "E123",
        }
    )
    assert {name: backend["HOSTNAMES"] for name, backend in backends.items()} == {
        "cloudflare-0": [".thamesvalley.police.uk"],
        "cloudflare-1": ["met.police.uk"],
        "cloudfront-0": ["*"],
    }
    assert backends["cloudflare-1"]["ZONEID"] == "zone-met"
    assert backends["cloudfront-0"]["DISTRIBUTION_ID"] == "E123"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"CLOUDFLARE_ZONE_ID": "zone"}, "CLOUDFLARE_BEARER_TOKEN must be set"),
        ({"CLOUDFRONT_DISTRIBUTIONS": "met.police.uk"}, "host=id pairs"),
    ],
)
def test_cdn_settings_mistakes_are_explained(environ, message):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match=message):
        frontend_cache_backends(environ)


# --- Welsh ---------------------------------------------------------------------------------------


def test_welsh_pages_are_kept_and_purged_at_their_cy_addresses(client, make_force):
    from wagtail.models import Locale

    from home.site_context import invalidate_site_chrome

    dpp = make_force("dyfed-powys", "Dyfed-Powys Police", country="wales", languages="en,cy")
    host = dpp.site.hostname
    english = rural_crime_page(dpp.site.root_page.get_children().get(slug="advice"))
    translate_rural_crime(english)
    assert "Troseddau cefn gwlad" in text(cached(client, host, "/cy/advice/rural-crime/"))
    assert "Rural crime" in text(cached(client, host, "/advice/rural-crime/"))
    welsh = english.get_translation(Locale.objects.get(language_code="cy")).specific
    welsh.title = "Troseddau yng nghefn gwlad"
    welsh.save_revision().publish()
    assert "Troseddau yng nghefn gwlad" in text(get(client, host, "/cy/advice/rural-crime/"))
    # The English page links to its translation, so it was purged too.
    assert get(client, host, "/advice/rural-crime/")["X-Page-Cache"] == "miss"
    invalidate_site_chrome()


# --- Without Redis: each process's pages follow the shared versions in the database ---------


@pytest.mark.versions_in_database
def test_without_redis_a_hit_costs_one_query_for_the_shared_versions(client, advice):
    assert get(client, MET, "/advice/lock-your-shed/")["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        again = get(client, MET, "/advice/lock-your-shed/")
    assert again["X-Page-Cache"] == "hit"
    assert [query["sql"] for query in queries] == [
        query["sql"] for query in queries if "solh_versionstamp" in query["sql"]
    ]
    assert len(queries) == 1


@pytest.mark.versions_in_database
def test_without_redis_a_change_anywhere_is_seen_on_the_next_request(client, advice, forces):
    """Coarser than exact purges (every cached page is rendered again), never stale: the
    tokens move in the database, which every process reads."""
    cached(client, TVP, "/")
    cached(client, MET, "/advice/lock-your-shed/")
    advice.title = "Lock your shed and gate"
    advice.save_revision().publish()
    assert get(client, TVP, "/")["X-Page-Cache"] == "miss"
    assert "Lock your shed and gate" in text(get(client, MET, "/advice/lock-your-shed/"))
    force = forces["met"]
    force.phone_non_emergency = "0300 123 9876"
    force.save()
    assert "0300 123 9876" in text(get(client, MET, "/advice/lock-your-shed/"))
