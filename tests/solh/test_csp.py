"""Content-Security-Policy and the other security headers, over HTTP.

Every public response (a crawl of the hub, a force site and a Welsh site, a whole reporting
journey, search, error pages) carries the public policy: no ``'unsafe-inline'`` or
``'unsafe-eval'`` for scripts, no nonce in anything a cache may keep, no inline script in the
HTML, and every inline ``<style>`` allowed by its hash. The admin has its own policy; violation
reports are logged without personal data. What a browser makes of it is in
tests/browser/test_csp.py.
"""

import html
import json
import logging
import re
from collections import deque
from html.parser import HTMLParser

from django.http import HttpResponse
from django.test import RequestFactory

import pytest

from solh.csp import ContentSecurityPolicyMiddleware, source_hash
from solh.settings.content_security import content_security_policies, public_directives
from tests.factories import editor_form, rural_crime_page, translate_rural_crime
from tests.reporting.reporter import Reporter, make_journey

pytestmark = pytest.mark.django_db

HUB = "localhost"
MET = "met.localhost"
TVP = "thames-valley.localhost"
DPP = "dyfed-powys.localhost"
CRAWL_LIMIT = 25
CSP = "Content-Security-Policy"
DATE = {"incident-date-day": "3", "incident-date-month": "2", "incident-date-year": "2026"}
SKIPPED_PREFIXES = ("/admin", "/static", "/media", "/documents", "/api", "/report-files")


def directives(header):
    """``{"script-src": ["'self'", …], …}`` from a policy header."""
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


class InlineContent(HTMLParser):
    """Inline scripts, event-handler and style attributes, and ``<style>`` blocks of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts, self.styles, self.handlers, self.style_attributes = [], [], [], []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.handlers += [name for name, _value in attrs if name.startswith("on")]
        if "style" in attributes:
            self.style_attributes.append(tag)
        if tag == "script" and "src" not in attributes:
            self.scripts.append("")
            self._open = self.scripts
        elif tag == "style":
            self.styles.append("")
            self._open = self.styles

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open[-1] += data


def assert_public_policy(response, where):
    """The public policy, as every public response must carry it."""
    assert CSP in response, f"{where}: no {CSP}"
    policy = directives(response[CSP])
    scripts = policy["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
    assert scripts[0] == "'self'", where
    assert "'unsafe-inline'" not in policy["style-src"], where
    assert policy["object-src"] == ["'none'"], where
    assert policy["base-uri"] == ["'none'"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert "report-uri" in policy, where
    cacheable = "private" not in response.get("Cache-Control", "")
    if cacheable:
        assert "nonce-" not in response[CSP], f"{where}: a nonce in a cacheable response"
    assert response["X-Frame-Options"] == "DENY", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    if response.get("Content-Type", "").startswith("text/html") and response.content:
        page = InlineContent()
        page.feed(response.content.decode())
        assert not page.scripts, f"{where}: inline script {page.scripts[0][:80]!r}"
        assert not page.handlers, f"{where}: event handler attributes {page.handlers}"
        assert not page.style_attributes, f"{where}: style attributes on {page.style_attributes}"
        for css in page.styles:
            assert source_hash(css) in policy["style-src"], f"{where}: <style> not allowed"
    return policy


def links(response):
    found = re.findall(r'href="(/[^"#]*)"', response.content.decode())
    return [html.unescape(link) for link in found if not link.startswith(SKIPPED_PREFIXES)]


def crawl(client, host, start="/", limit=CRAWL_LIMIT):
    """Follow a site's own links from ``start``; every response is checked."""
    queue, seen = deque([start]), set()
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, HTTP_HOST=host)
        assert_public_policy(response, f"{host}{path}")
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            queue.extend(links(response))
    return seen


@pytest.fixture
def dpp(make_force):
    force = make_force("dyfed-powys", "Dyfed-Powys Police", country="wales", languages="en,cy")
    section = force.site.root_page.get_children().get(slug="advice")
    translate_rural_crime(rural_crime_page(section))
    return force


def test_every_public_page_carries_the_public_policy(client, forces, dpp):
    visited = set()
    for host in (HUB, MET):
        visited |= {f"{host}{path}" for path in crawl(client, host)}
    visited |= {f"{DPP}{path}" for path in crawl(client, DPP, start="/cy/")}
    assert f"{DPP}/cy/advice/rural-crime/" in visited or len(visited) >= 2 * CRAWL_LIMIT
    for host, path in [
        (MET, "/search/?q=burglary"),
        (MET, "/search/suggest/?q=burg"),
        (MET, "/no-such-page/"),
        (MET, "/cookies/"),
        (MET, "/robots.txt"),
        (MET, "/sitemap.xml"),
        (DPP, "/cy/search/?q=tractor"),
    ]:
        assert_public_policy(client.get(path, HTTP_HOST=host), f"{host}{path}")


def test_a_whole_journey_carries_the_public_policy(client, forces, settings):
    settings.REPORT_MIN_SECONDS = 0
    reporter = Reporter(client, TVP, make_journey(forces["thames-valley"]))
    responses = [reporter.get(), reporter.start()]
    answers = [
        ("emergency", {"in-danger": "no"}),
        ("what", {"what": "driving"}),
        ("when", DATE),
        ("vehicles", {"vehicles-count": "1", "vehicles-1-reg": "ab12cde"}),
        ("about-you", {"name": "Sam", "email": "someone@example.com"}),
    ]
    for step_id, data in answers:
        responses.append(reporter.get(f"step/{step_id}/"))
        responses.append(reporter.answer(step_id, {}))  # errors shown
        responses.append(reporter.answer(step_id, data))
    responses.append(reporter.get("check-your-answers/"))
    responses.append(reporter.post("check-your-answers/"))
    responses.append(client.get(responses[-1]["Location"], HTTP_HOST=TVP))
    assert "Report sent" in responses[-1].content.decode()
    for response in responses:
        assert_public_policy(response, f"journey {response.status_code} {response.get('Location')}")


def test_a_cached_page_keeps_its_policy_and_has_no_nonce(client, forces):
    first = client.get("/", HTTP_HOST=MET)
    second = client.get("/", HTTP_HOST=MET)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second[CSP] == first[CSP]
    policy = assert_public_policy(second, "cached home page")
    # The theme's <style> is the force's own: its hash differs from another force's.
    other = directives(client.get("/", HTTP_HOST=TVP)[CSP])
    assert set(policy["style-src"]) != set(other["style-src"])


def test_a_response_that_used_a_nonce_carries_it_and_is_kept_out_of_shared_caches(settings):
    def view(request):
        response = HttpResponse(f'<script nonce="{request.csp_nonce}">go()</script>')
        response["Cache-Control"] = "public, max-age=60"
        return response

    middleware = ContentSecurityPolicyMiddleware(view)
    response = middleware(RequestFactory().get("/news/"))
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in directives(response[CSP])["script-src"]
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    # And a response that did not use it has none.
    plain = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("<p>hi</p>"))
    assert "nonce-" not in plain(RequestFactory().get("/news/"))[CSP]


def test_the_admin_has_its_own_policy(client, forces, make_user):
    login = client.get("/admin/login/", HTTP_HOST=HUB)
    policy = directives(login[CSP])
    # Wagtail 8's inline scripts need 'unsafe-inline' (so no nonce, which would switch it off).
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["script-src-attr"][0] == "'unsafe-hashes'" and len(policy["script-src-attr"]) == 2
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["connect-src"] == ["'self'"]

    client.force_login(make_user("csp-editor", is_superuser=True))
    section = forces["met"].site.root_page.get_children().get(slug="advice")
    page = rural_crime_page(section)
    edit = client.get(f"/admin/pages/{page.pk}/edit/", HTTP_HOST=HUB)
    assert edit.status_code == 200
    assert directives(edit[CSP])["frame-ancestors"] == ["'none'"]
    # The editor's preview panel frames the admin's own preview view, and only that. The
    # preview is rendered through the middleware for the page's public address (Wagtail's
    # stand-in request); the admin's policy is still the one sent.
    url = f"/admin/pages/{page.pk}/edit/preview/"
    client.post(url, editor_form(page, "Rural crime, previewed"), HTTP_HOST=HUB)
    preview = client.get(f"{url}?in_preview_panel=true", HTTP_HOST=HUB)
    assert "Rural crime, previewed" in preview.content.decode()
    assert directives(preview[CSP])["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" in directives(preview[CSP])["script-src"]


def test_report_only_mode_reports_without_enforcing(client, forces, settings):
    enforced, report_only, admin = content_security_policies({"CSP_REPORT_ONLY": "true"}, "/m/")
    settings.CONTENT_SECURITY_POLICY = enforced
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = report_only
    settings.CONTENT_SECURITY_POLICY_ADMIN = admin
    public = client.get("/", HTTP_HOST=MET)
    assert CSP not in public
    policy = directives(public[f"{CSP}-Report-Only"])
    assert policy["script-src"] == ["'self'"] and len(policy["style-src"]) == 2  # + the theme
    login = client.get("/admin/login/", HTTP_HOST=HUB)
    assert CSP not in login
    assert "'unsafe-inline'" in directives(login[f"{CSP}-Report-Only"])["script-src"]


def test_images_on_s3_or_a_cdn_are_allowed():
    environ = {
        "AWS_STORAGE_BUCKET_NAME": "solh-media",
        "AWS_S3_CUSTOM_DOMAIN": "media.police.example",
        "CSP_EXTRA_IMG_SRC": "https://images.police.example",
    }
    policy = public_directives(environ, "https://media.police.example/media/")
    assert policy["img-src"] == [
        "'self'",
        "https://media.police.example",
        "https://images.police.example",
    ]
    assert public_directives({}, "/media/")["img-src"] == ["'self'"]


# --- Violation reports -------------------------------------------------------------------------

SENTINEL = "Sentinel-Sam-Reporter-07700"


def post_report(client, body, content_type="application/csp-report"):
    return client.post("/csp-report/", json.dumps(body), content_type=content_type, HTTP_HOST=TVP)


def test_violation_reports_are_logged_without_personal_data(client, forces, caplog):
    caplog.set_level(logging.WARNING, logger="solh.csp")
    old_format = {
        "csp-report": {
            "document-uri": f"http://thames-valley.localhost/report/x/step/a/?name={SENTINEL}",
            "effective-directive": "script-src-elem",
            "blocked-uri": f"https://evil.example/steal.js?who={SENTINEL}",
            "source-file": f"http://thames-valley.localhost/static/js/app.mjs?{SENTINEL}",
            "line-number": 12,
            "column-number": 3,
            "script-sample": SENTINEL,
            "disposition": "enforce",
        }
    }
    assert post_report(client, old_format).status_code == 204
    reporting_api = [
        {
            "type": "csp-violation",
            "url": f"http://thames-valley.localhost/search/?q={SENTINEL}",
            "user_agent": SENTINEL,
            "body": {
                "documentURL": f"http://thames-valley.localhost/search/?q={SENTINEL}",
                "effectiveDirective": "style-src-attr",
                "blockedURL": "inline",
                "sample": SENTINEL,
                "disposition": "report",
            },
        }
    ]
    response = post_report(client, reporting_api, "application/reports+json")
    assert response.status_code == 204
    lines = [record.getMessage() for record in caplog.records if record.name == "solh.csp"]
    assert len(lines) == 2, lines
    assert "script-src-elem blocked https://evil.example on " in lines[0]
    assert "http://thames-valley.localhost/report/x/step/a/" in lines[0]
    assert "style-src-attr blocked inline" in lines[1] and "report only" in lines[1]
    assert not any(SENTINEL in line for line in lines)
    assert "127.0.0.1" not in " ".join(lines)


def test_report_endpoint_refuses_what_is_not_a_report(client, forces, caplog):
    caplog.set_level(logging.WARNING, logger="solh.csp")
    assert client.get("/csp-report/", HTTP_HOST=TVP).status_code == 405
    assert post_report(client, "x" * 20_000).status_code == 413
    bad = client.post("/csp-report/", "{", content_type="application/csp-report", HTTP_HOST=TVP)
    assert bad.status_code == 400
    forged = {"csp-report": {"effective-directive": "img-src\nERROR forged", "blocked-uri": "x\ny"}}
    assert post_report(client, forged).status_code == 204
    (line,) = [record.getMessage() for record in caplog.records if record.name == "solh.csp"]
    assert "\n" not in line and "forged" not in line
