"""manage.py import_site against Fenmoor's old website, served over HTTP on the loopback."""

import csv
import re
from datetime import date
from io import StringIO
from itertools import pairwise

from django.core.management import CommandError, call_command

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

import pytest

from forces.models import Force
from forces.national.syndication import national_root
from home.models import ContactPage, ContentPage, NewsPage, SectionPage
from site_import.fetch import path_of
from site_import.importer import SiteImporter
from site_import.models import ImportedPage

from .old_site import build_site

pytestmark = pytest.mark.django_db

HOST = "fenmoor.localhost"


def report_rows(report):
    with open(report, newline="", encoding="utf-8") as stream:
        return {row["old_url"].split("/", 3)[-1]: row for row in csv.DictReader(stream)}


def links_to(html, path):
    """Whether ``html`` links to ``path`` on Fenmoor's site (rich text links carry the host)."""
    if isinstance(html, bytes):
        html = html.decode()
    return re.search(rf'href="(http://{re.escape(HOST)})?{re.escape(path)}"', html) is not None


def page_at(path):
    home = Force.objects.get(slug="fenmoor").site.root_page
    return Page.objects.get(url_path=home.url_path + path.strip("/") + "/").specific


def test_the_fixture_site_is_a_realistic_size():
    routes, listed = build_site()
    pages = [path for path, response in routes.items() if "text/html" in response.content_type]
    assert 40 <= len(pages) <= 60
    assert len(listed) < len(pages)  # some pages are found only by following links


def test_every_page_is_imported_or_reported_with_a_reason(fenmoor, run_import, client, hub):
    library = national_root()
    library.add_child(
        instance=ContentPage(
            title="Romance fraud",
            slug="romance-fraud",
            body=[{"type": "paragraph", "value": "<p>National advice.</p>"}],
        )
    ).save_revision().publish()

    out, report = run_import("--publish")
    rows = report_rows(report)

    assert "Import summary" in out
    for path, row in rows.items():
        assert row["result"] in {"created", "skipped", "failed"}, path
        if row["result"] in {"skipped", "failed"}:
            assert row["reason"], path
    # Every HTML page of the old site that can be reached is accounted for.
    routes, _listed = build_site()
    for path, response in routes.items():
        if "text/html" in response.content_type and response.status != 301:
            key = path.strip("/") if path != "/" else ""
            assert key in rows, path

    reasons = {path: row["reason"] for path, row in rows.items()}
    assert reasons["your-area/rural-team"] == "timed out after 1 seconds"
    assert reasons["about-us/annual-report-archive"] == "too large (over 1 MB)"
    assert reasons["about-us/board-minutes"] == "the old site answered HTTP 500"
    assert reasons["advice/old-page-removed"] == "not found on the old site (HTTP 404)"
    assert reasons["feeds/news.rss"].startswith("not a web page (application/rss+xml)")
    assert reasons["downloads/report-form.zip"].startswith("not a web page (application/zip)")
    assert reasons["search?q="] == "disallowed by the old site's robots.txt"
    assert reasons["admin/login.aspx"] == "disallowed by the old site's robots.txt"
    assert reasons["news?page=2"].startswith("the same page as")
    assert reasons["about-us/chief-constable?ref=home"].startswith("the same page as")
    assert reasons["crime-prevention/burglary.aspx"].startswith("redirected on the old site")
    assert rows["advice/online-safety/romance-fraud"]["national_page_exists"] == "Romance fraud"
    assert rows["advice/crime-prevention/cycle-theft"]["national_page_exists"] == ""
    # Found by a link only (not in the sitemap), and reached at its old host's other name.
    assert rows["advice/online-safety/protecting-your-accounts"]["result"] == "created"
    assert not any(key.startswith("https://") for key in rows)

    # Page types and the hierarchy.
    article = page_at("news/man-charged-after-marshby-burglaries")
    assert isinstance(article, NewsPage)
    assert article.kind == NewsPage.Kind.NEWS
    assert article.date == date(2024, 3, 12)
    assert article.image is not None
    appeal = page_at("news/appeal-after-cash-machine-theft-in-chatteris")
    assert appeal.kind == NewsPage.Kind.APPEAL
    assert isinstance(page_at("advice/crime-prevention"), SectionPage)
    assert isinstance(page_at("advice/crime-prevention/burglary"), ContentPage)
    assert isinstance(page_at("advice/road-safety"), SectionPage)  # a folder with no page
    assert page_at("advice/online-safety/malformed").title == "Sextortion"
    contact = page_at("contact-us")
    assert isinstance(contact, ContactPage)
    assert "In an emergency always call 999" in str(contact.body)

    # Over HTTP: links rewritten to the new pages, images with their alt text, no inline style.
    response = client.get("/advice/crime-prevention/burglary/", HTTP_HOST=HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'alt="A five-lever mortice lock on a front door"' in html
    assert links_to(html, "/advice/crime-prevention/vehicle-crime/")
    assert re.search(r'href="[^"]*/documents/\d+/home-security-leaflet\.pdf"', html)
    assert "127.0.0.1" not in html
    html = client.get("/advice/crime-prevention/vehicle-crime/", HTTP_HOST=HOST).content.decode()
    assert links_to(html, "/advice/crime-prevention/burglary/")  # from ?utm_source=... too
    html = client.get("/news/man-charged-after-marshby-burglaries/", HTTP_HOST=HOST).content
    assert links_to(html, "/contact-us/")
    performance = client.get("/about-us/our-performance/", HTTP_HOST=HOST).content.decode()
    main = performance.split('id="main-content"', 1)[1]
    assert "Burglaries – 2,104 – 1,876" in main
    assert "Verdana" not in main and "<font" not in main and "<table" not in main
    assert "table was turned into a list" in rows["about-us/our-performance"]["notes"]
    assert "broken link" in rows["advice/crime-prevention/cycle-theft"]["notes"]

    # Images and documents: in Fenmoor's collection, checked by their content.
    images = get_image_model().objects.filter(collection=fenmoor.collection)
    documents = get_document_model().objects.filter(collection=fenmoor.collection)
    assert images.count() == 4
    assert {document.title for document in documents} == {
        "home security leaflet",
        "foi disclosure log 2023",
        "speedwatch sign up",
        "stop and search data",
    }
    assert (
        "not an image"
        in rows["news/2024/02/27/new-neighbourhood-team-for-wisbech-road.aspx"]["notes"]
    )
    other = Force.objects.exclude(pk=fenmoor.pk)
    assert not documents.filter(collection__in=[force.collection for force in other]).exists()

    # Redirects: 301 to the new page, on Fenmoor's site only; chains collapsed.
    old = "/news/2024/03/12/man-charged-after-marshby-burglaries.aspx"
    response = client.get(old, HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response["Location"].endswith("/news/man-charged-after-marshby-burglaries/")
    response = client.get("/crime-prevention/burglary.aspx", HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response["Location"].endswith("/advice/crime-prevention/burglary/")
    assert client.get(old, HTTP_HOST="met.localhost").status_code == 404
    assert client.get("/your-area/marshby", HTTP_HOST=HOST).status_code == 301
    assert Redirect.objects.exclude(site=fenmoor.site).filter(old_path=old).count() == 0


def test_pages_stay_drafts_and_a_second_run_changes_nothing(fenmoor, run_import, client):
    _out, report = run_import()
    article = page_at("news/man-charged-after-marshby-burglaries")
    assert not article.live
    assert (
        client.get("/news/man-charged-after-marshby-burglaries/", HTTP_HOST=HOST).status_code == 404
    )
    assert page_at("contact-us").live  # the force's own contact page, with a draft revision
    assert page_at("contact-us").has_unpublished_changes
    counts = (
        Page.objects.count(),
        Revision.objects.count(),
        Redirect.objects.count(),
        get_image_model().objects.count(),
        get_document_model().objects.count(),
        ImportedPage.objects.count(),
    )
    first = report_rows(report)

    _out, report = run_import()
    second = report_rows(report)

    assert counts == (
        Page.objects.count(),
        Revision.objects.count(),
        Redirect.objects.count(),
        get_image_model().objects.count(),
        get_document_model().objects.count(),
        ImportedPage.objects.count(),
    )
    assert set(first) == set(second)
    assert {row["result"] for row in second.values()} <= {"unchanged", "skipped", "failed"}
    assert sum(row["result"] == "unchanged" for row in second.values()) == sum(
        row["result"] == "created" for row in first.values()
    )


def test_an_interrupted_run_resumes_without_duplicates(fenmoor, run_import, old_site, monkeypatch):
    written = []
    write = SiteImporter.write

    def write_then_stop(self, row):
        if len(written) == 10:
            raise KeyboardInterrupt
        written.append(row.old_url)
        write(self, row)

    monkeypatch.setattr(SiteImporter, "write", write_then_stop)
    with pytest.raises(KeyboardInterrupt):
        run_import()
    fetched = len(old_site.requests)
    written_before = ImportedPage.objects.filter(force=fenmoor).exclude(content_hash="").count()
    assert written_before > 0
    monkeypatch.setattr(SiteImporter, "write", write)

    _out, report = run_import()

    rows = report_rows(report)
    # The pages fetched before the stop were not fetched again; only media and robots.txt were.
    # Pages that failed are tried again; media and robots.txt are read again.
    failed = {
        path_of(row.old_url).rstrip("/")
        for row in ImportedPage.objects.filter(force=fenmoor, status=ImportedPage.Status.FAILED)
    }
    again = [
        path.rstrip("/")
        for path in old_site.requests[fetched:]
        if not path.startswith(("/media/", "/robots", "/sitemap"))
    ]
    assert again
    assert set(again) <= failed
    assert sum(row["result"] == "unchanged" for row in rows.values()) == written_before
    home = fenmoor.site.root_page
    slugs = list(Page.objects.descendant_of(home).values_list("url_path", flat=True))
    assert len(slugs) == len(set(slugs))
    assert not [slug for slug in slugs if re.search(r"-\d/$", slug)]
    imported = ImportedPage.objects.filter(force=fenmoor, page__isnull=False, created_page=True)
    assert imported.values("page").distinct().count() == imported.count()
    assert page_at("news/county-lines-dealer-jailed").latest_revision is not None


def test_bad_sources_and_rules_are_refused_in_plain_words(fenmoor, tmp_path, old_site):
    with pytest.raises(CommandError, match="no force with the slug 'nowhere'"):
        call_command("import_site", "nowhere", f"{old_site.url}/sitemap.xml")
    with pytest.raises(CommandError, match="is not a sitemap or page address"):
        call_command("import_site", "fenmoor", "ftp://example.org/")
    with pytest.raises(CommandError, match="A folder needs --base-url"):
        call_command("import_site", "fenmoor", str(tmp_path))
    with pytest.raises(CommandError, match=r"Cannot read the sitemap .* HTTP 404"):
        call_command("import_site", "fenmoor", f"{old_site.url}/missing-sitemap.xml")
    rules = tmp_path / "rules.toml"
    rules.write_text("[crawl]\nconcurency = 2\n")
    with pytest.raises(CommandError, match="Unknown key 'concurency' in \\[crawl\\]"):
        call_command("import_site", "fenmoor", old_site.url, "--rules", str(rules))
    rules.write_text("[classify]\nnews = ['(unclosed']\n")
    with pytest.raises(CommandError, match="is not a valid pattern"):
        call_command("import_site", "fenmoor", old_site.url, "--rules", str(rules))
    rules.write_text("[crawl]\ndelay_seconds = 'fast'\n")
    with pytest.raises(CommandError, match="delay_seconds must be float"):
        call_command("import_site", "fenmoor", old_site.url, "--rules", str(rules))


def test_max_pages_stops_the_crawl_and_says_so(fenmoor, run_import, old_site):
    _out, report = run_import("--max-pages", "5")

    rows = report_rows(report)
    limited = [
        path for path, row in rows.items() if row["reason"] == "not fetched: --max-pages 5 reached"
    ]
    assert len(limited) > 20
    redirects = {"/crime-prevention/burglary.aspx", "/advice/burglary"}
    pages = [
        path
        for path in old_site.requests
        if not path.startswith(("/media/", "/robots.txt", "/sitemap.xml")) and path not in redirects
    ]
    assert len(pages) == 5


def test_the_crawl_waits_between_requests(fenmoor, old_site, tmp_path):
    rules = tmp_path / "slow.toml"
    rules.write_text("[crawl]\nconcurrency = 3\ndelay_seconds = 0.3\n", encoding="utf-8")

    call_command(
        "import_site",
        "fenmoor",
        f"{old_site.url}/sitemap.xml",
        "--rules",
        str(rules),
        "--max-pages",
        "4",
        "--no-progress",
        "--report",
        str(tmp_path / "report.csv"),
        stdout=StringIO(),
    )

    # robots.txt, then the pages (and their images): never two closer than the delay.
    times = [
        when
        for path, when in zip(old_site.requests, old_site.times, strict=True)
        if path != "/sitemap.xml"
    ]
    assert len(times) >= 5
    gaps = [later - earlier for earlier, later in pairwise(times)]
    assert min(gaps) >= 0.25
