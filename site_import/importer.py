"""Import a force's old website into its site on the platform (``manage.py import_site``).

The import runs in three steps, each safe to stop and run again:

1. **Fetch**: the old pages are read (``site_import.fetch``) from the sitemap's addresses and
   the links found on them, at most ``--max-pages``, and what each holds is kept on its
   ``ImportedPage`` row, keyed by its normalised address. A run that stopped is resumed by the
   next one from the same source: what it had fetched is not fetched again.
2. **Build**: each page is created (parents first, the hierarchy following the old addresses)
   or, on a later run, updated with a new revision if its content changed. News and appeals go
   to the force's news; the old contact page fills in the force's contact page; a page with
   pages below it becomes a section. Links between old pages become links to the new pages,
   images and documents are copied into the force's collection. Pages stay drafts for the
   force's moderators unless ``publish``.
3. **Redirects**: every old address of an imported page that is not its new address gets a
   permanent, site-scoped redirect to it (Wagtail's redirects).

Nothing wrong with the old site stops the run: each problem is the reason on its row, shown in
the end table and the CSV report.
"""

import hashlib
import json
import logging
import mimetypes
import re
from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from html import escape
from io import BytesIO
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.contrib.redirects.models import Redirect
from wagtail.coreutils import find_available_slug
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

import filetype
import lxml.html

from home.models import ContactPage, ContentPage, NewsIndexPage, NewsPage, SectionPage
from solh.uploads import UploadRefused, check_upload

from .convert import Linker, convert_body, intro_html
from .extract import ExtractionError, extract
from .fetch import (
    FolderFetcher,
    HttpFetcher,
    SourceError,
    WarcFetcher,
    media_type,
    normalise_url,
    path_of,
    sitemap_urls,
)
from .models import ImportedMedia, ImportedPage, ImportRun
from .national import NationalLibrary

logger = logging.getLogger(__name__)

Kind = ImportedPage.Kind
Status = ImportedPage.Status

DOCUMENT_EXTENSIONS = {"pdf", "docx", "xlsx", "pptx", "odt", "rtf", "csv", "txt", "doc", "xls"}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
PAGE_EXTENSIONS = re.compile(r"\.(html?|aspx?|php|jsp|cfm)$", re.IGNORECASE)
INDEX_NAMES = re.compile(r"^(index|default|home)$", re.IGNORECASE)


@dataclass
class Options:
    publish: bool = False
    max_pages: int | None = None
    skip_national: bool = False
    base_url: str = ""


@dataclass
class Outcome:
    """What this run did with one old address, for the end table and the CSV report."""

    old_url: str
    result: str  # created, updated, unchanged, skipped, failed
    kind: str = ""
    new_url: str = ""
    reason: str = ""
    notes: list = field(default_factory=list)
    national_match: str = ""
    redirect: str = ""


def _extension(url):
    name = PurePosixPath(unquote(urlsplit(url).path)).name
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def open_source(source, rules, base_url=""):
    """The fetcher, the first addresses and the old site's address for ``source``: a sitemap
    or page URL (crawled over HTTP), a folder (a mirror, with ``base_url``) or a WARC file."""
    if re.match(r"^https?://", source):
        fetcher = HttpFetcher(rules)
        parts = urlsplit(source)
        site_url = f"{parts.scheme}://{parts.netloc}"
        if source.lower().endswith(".xml") or "sitemap" in parts.path.lower():
            seeds = sitemap_urls(fetcher, source)
        else:
            seeds = [source]
        return fetcher, seeds, site_url
    path = Path(source)
    if path.is_dir():
        if not base_url:
            raise SourceError(
                "A folder needs --base-url: the address the old site was served at, "
                "such as https://www.example-police.uk."
            )
        fetcher = FolderFetcher(rules, path, base_url)
        return fetcher, fetcher.seeds(), base_url.rstrip("/")
    if path.is_file() and (path.name.endswith((".warc", ".warc.gz"))):
        fetcher = WarcFetcher(rules, path)
        seeds = fetcher.seeds()
        if not seeds:
            raise SourceError(f"The WARC file {path} holds no web pages.")
        parts = urlsplit(seeds[0])
        return fetcher, seeds, base_url.rstrip("/") or f"{parts.scheme}://{parts.netloc}"
    raise SourceError(
        f"{source} is not a sitemap or page address (http:// or https://), a folder or a "
        ".warc / .warc.gz file."
    )


class SiteImporter(Linker):
    """One import of ``source`` into ``force``'s site (see the module's docstring)."""

    def __init__(self, force, source, rules, options=None, progress=None):
        self.force = force
        self.source = source
        self.rules = rules
        self.options = options or Options()
        self.progress = progress
        self.fetcher, self.seeds, site_url = open_source(source, rules, self.options.base_url)
        self.primary_host = urlsplit(site_url).netloc.lower()
        self.primary_scheme = urlsplit(site_url).scheme.lower()
        self.hosts = {self.primary_host} | {host.lower() for host in rules.old_hosts}
        self.home = force.site.root_page.specific
        self.outcomes = {}
        self.rows = {}
        self.page_for_url = {}
        self.national = NationalLibrary()
        self._by_fingerprint = None

    # --- helpers ------------------------------------------------------------------------

    def is_internal(self, url):
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and (parts.netloc or "").lower() in self.hosts

    def key(self, url, keep_slash=False):
        """The normalised address, on the old site's main host whichever of its names
        (``[site] old_hosts``) it was written with."""
        key = normalise_url(url, self.rules, keep_slash)
        parts = urlsplit(key)
        if parts.netloc in self.hosts and parts.netloc != self.primary_host:
            key = parts._replace(scheme=self.primary_scheme, netloc=self.primary_host).geturl()
        return key

    def _outcome(self, key, result, **fields):
        outcome = self.outcomes.get(key) or Outcome(old_url=key, result=result)
        outcome.result = result
        for name, value in fields.items():
            setattr(outcome, name, value)
        self.outcomes[key] = outcome
        return outcome

    def _tick(self, advance=1, total=None, description=None):
        if self.progress is not None:
            self.progress(advance=advance, total=total, description=description)

    # --- the run ------------------------------------------------------------------------

    def run(self):
        """Fetch, build and redirect; return the outcomes, one per old address."""
        self.run_row = (
            ImportRun.objects.filter(force=self.force, source=self.source, finished_at=None)
            .order_by("-started_at")
            .first()
        ) or ImportRun.objects.create(force=self.force, source=self.source)
        self.rows = {row.old_url: row for row in ImportedPage.objects.filter(force=self.force)}
        self.fetch_all()
        self.build_all()
        self.redirect_all()
        self.run_row.finished_at = timezone.now()
        self.run_row.save(update_fields=["finished_at"])
        return list(self.outcomes.values())

    # --- 1. fetch -----------------------------------------------------------------------

    def _save_row(self, key, **fields):
        row = self.rows.get(key)
        if row is None:
            row = ImportedPage(force=self.force, old_url=key)
        for name, value in fields.items():
            setattr(row, name, value)
        row.run = self.run_row
        row.save()
        self.rows[key] = row
        return row

    def fetch_all(self):
        queue = []
        seen = set()
        to_fetch = {}

        def enqueue(url):
            if not self.is_internal(url):
                return
            key = self.key(url)
            if key in seen or _extension(key) in DOCUMENT_EXTENSIONS | IMAGE_EXTENSIONS:
                return
            seen.add(key)
            queue.append(key)
            to_fetch[key] = self.key(url, keep_slash=True)

        for url in self.seeds:
            if not self.is_internal(url):
                # Listed by the sitemap but elsewhere: said, not silently left out.
                key = normalise_url(url, self.rules)
                self._outcome(key, "skipped", reason="on another website than the old site")
                continue
            enqueue(url)
        fetched_pages = 0
        limit = self.options.max_pages
        self._tick(0, total=len(queue), description="Fetching")
        with ThreadPoolExecutor(max_workers=self.rules.concurrency) as pool:
            running = {}
            while queue or running:
                while queue and len(running) < self.rules.concurrency:
                    key = queue.pop(0)
                    row = self.rows.get(key)
                    if self._fetched_in_this_run(row):
                        # Fetched before this run was stopped: carry on from what it read.
                        self._resume(row, enqueue)
                        fetched_pages += row.status == Status.FETCHED
                        self._tick(total=len(seen))
                        continue
                    path = path_of(key)
                    if self.rules.matches("skip", path):
                        self._skip(key, "matches a skip rule in the rules file")
                        self._tick(total=len(seen))
                        continue
                    if not self.fetcher.allowed(to_fetch[key]):
                        self._skip(key, "disallowed by the old site's robots.txt")
                        self._tick(total=len(seen))
                        continue
                    if limit is not None and fetched_pages >= limit:
                        self._skip(key, f"not fetched: --max-pages {limit} reached")
                        self._tick(total=len(seen))
                        continue
                    fetched_pages += 1
                    running[pool.submit(self.fetcher.fetch, to_fetch[key])] = key
                if not running:
                    continue
                done, _pending = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    key = running.pop(future)
                    try:
                        self.handle_fetched(key, future.result(), enqueue)
                    except Exception as error:  # one page never stops the run
                        logger.exception("Site import: %s could not be read", key)
                        self._fail(key, f"could not be read ({type(error).__name__})")
                    self._tick(total=len(seen))

    def _fetched_in_this_run(self, row):
        """Whether ``row`` was dealt with by this run before it was stopped (what failed, or
        was not fetched for ``--max-pages``, is tried again)."""
        return (
            row is not None
            and row.run_id == self.run_row.pk
            and row.status != Status.FAILED
            and not row.reason.startswith("not fetched")
        )

    def _skip(self, key, reason, **fields):
        self._save_row(key, status=Status.SKIPPED, reason=reason, **fields)
        self._outcome(key, "skipped", reason=reason)

    def _fail(self, key, reason):
        self._save_row(key, status=Status.FAILED, reason=reason)
        self._outcome(key, "failed", reason=reason)

    def _resume(self, row, enqueue):
        if row.status == Status.SKIPPED:
            self._outcome(row.old_url, "skipped", reason=row.reason)
        for link in row.extracted.get("links", []):
            enqueue(link)

    def handle_fetched(self, key, fetched, enqueue):
        if fetched.redirects and fetched.final_url:
            final = self.key(fetched.final_url)
            if not self.is_internal(final):
                self._skip(key, f"redirects away from the old site, to {fetched.final_url}")
                return
            if final != key:
                existing = self.rows.get(final)
                if existing is not None and existing.run_id == self.run_row.pk:
                    # Reached already by its own address: this one is another way in.
                    self._add_aliases(existing, [key, *map(self.key, fetched.redirects)])
                    self._skip(key, f"redirected on the old site to {final}")
                    return
                self._skip(key, f"redirected on the old site to {final}")
                aliases = [self.key(url) for url in fetched.redirects]
                key = final
                enqueue(final)  # marks it seen; it is handled here, now
                if self.rows.get(final) is not None and self.rows[final].run_id == self.run_row.pk:
                    return
            else:
                aliases = []
        else:
            aliases = []
        if fetched.error:
            self._fail(key, fetched.error)
            return
        if fetched.status in (404, 410):
            self._fail(key, f"not found on the old site (HTTP {fetched.status})")
            return
        if not 200 <= fetched.status < 300:
            self._fail(key, f"the old site answered HTTP {fetched.status}")
            return
        if not fetched.is_html:
            kind = media_type(fetched.content_type) or "no content type"
            self._skip(
                key, f"not a web page ({kind}): documents are copied where pages link to them"
            )
            return
        try:
            data = extract(fetched.body, fetched.final_url or key, self.rules)
        except ExtractionError as error:
            self._fail(key, str(error))
            return
        except Exception as error:
            self._fail(key, f"the page could not be read ({type(error).__name__})")
            return
        links = self._page_links(fetched.body, fetched.final_url or key)
        data["links"] = links
        fingerprint = hashlib.sha256(
            (
                data["title"]
                + "\n"
                + " ".join(lxml.html.fromstring(data["body"]).text_content().split())
            ).encode()
        ).hexdigest()
        data["fingerprint"] = fingerprint
        other = self._fingerprints().get(fingerprint)
        if other is not None and other.old_url != key:
            self._add_aliases(other, [key, *aliases])
            self._skip(key, f"the same page as {other.old_url}", extracted={"links": links})
            for link in links:
                enqueue(link)
            return
        self._save_row(
            key,
            status=Status.FETCHED,
            reason="",
            extracted=data,
            kind=classify(path_of(key), data, self.rules),
            aliases=sorted(set(self.rows[key].aliases if key in self.rows else []) | set(aliases)),
        )
        self._fingerprints()[fingerprint] = self.rows[key]
        if self.rules.follow_links:
            for link in links:
                enqueue(link)

    def _fingerprints(self):
        """This run's fetched pages by the fingerprint of their content (read once, then kept
        up to date as pages are fetched)."""
        if self._by_fingerprint is None:
            self._by_fingerprint = {
                row.extracted["fingerprint"]: row
                for row in sorted(self.rows.values(), key=lambda row: row.old_url, reverse=True)
                if row.run_id == self.run_row.pk
                and row.status == Status.FETCHED
                and row.extracted.get("fingerprint")
            }
        return self._by_fingerprint

    def _add_aliases(self, row, aliases):
        merged = sorted(set(row.aliases) | {alias for alias in aliases if alias != row.old_url})
        if merged != row.aliases:
            row.aliases = merged
            row.save(update_fields=["aliases", "updated_at"])

    def _page_links(self, body, url):
        try:
            tree = lxml.html.document_fromstring(body, base_url=url)
        except (ValueError, lxml.etree.ParserError):
            return []
        tree.make_links_absolute(url, handle_failures="discard")
        links = []
        for href in tree.xpath("//a/@href"):
            if self.is_internal(href):
                links.append(self.key(href, keep_slash=True))
        return sorted(set(links))

    # --- 2. build -----------------------------------------------------------------------

    def pages_to_build(self):
        rows = [
            row
            for row in self.rows.values()
            if row.run_id == self.run_row.pk
            and row.status in (Status.FETCHED, Status.IMPORTED)
            and row.extracted.get("body") is not None
        ]
        return sorted(rows, key=lambda row: (path_of(row.old_url).count("/"), row.old_url))

    def build_all(self):
        rows = self.pages_to_build()
        paths = {self._new_path(row.old_url) for row in rows}
        self.parent_paths = {
            "/".join(path.split("/")[:depth])
            for path in paths
            for depth in range(1, path.count("/") + 1)
        }
        self.news_index = NewsIndexPage.objects.child_of(self.home).first()
        self.contact_page = ContactPage.objects.child_of(self.home).first()
        contact_rows = [row for row in rows if row.kind == Kind.CONTACT]
        self.main_contact = contact_rows[0].old_url if contact_rows else None
        for row in rows:
            if row.page_id:
                self.page_for_url[row.old_url] = row.page_id
                for alias in row.aliases:
                    self.page_for_url[alias] = row.page_id
        self._tick(0, total=len(rows) * 2, description="Creating pages")
        # First every page exists, so that links between them can be written...
        for row in rows:
            self._guarded(self.place, row)
            self._tick()
        # ...then each page's content, with its links.
        self._tick(0, description="Writing content")
        for row in rows:
            if row.status != Status.FAILED:
                self._guarded(self.write, row)
            self._tick()

    def _guarded(self, step, row):
        """``step(row)`` in a transaction of its own: if it fails, the page is reported as
        failed with the reason, and the run goes on."""
        try:
            with transaction.atomic():
                step(row)
        except ValidationError as error:
            self._fail_built(row, "; ".join(error.messages))
        except Exception as error:  # one page never stops the run
            logger.exception("Site import: %s could not be written", row.old_url)
            self._fail_built(row, f"could not be written ({type(error).__name__})")

    def _fail_built(self, row, reason):
        row.refresh_from_db()
        row.status = Status.FAILED
        row.reason = reason[:500]
        row.save(update_fields=["status", "reason", "updated_at"])
        self._outcome(row.old_url, "failed", kind=row.kind, reason=row.reason)

    def _new_path(self, old_url):
        """The old address's path as slugs: ``/advice/Burglary.aspx`` is ``advice/burglary``."""
        segments = [segment for segment in urlsplit(old_url).path.split("/") if segment]
        if segments:
            segments[-1] = PAGE_EXTENSIONS.sub("", segments[-1])
            if INDEX_NAMES.match(segments[-1]):
                segments.pop()
        return "/".join(slugify(unquote(segment)) or "page" for segment in segments)

    def place(self, row):
        """Give ``row`` its page, created if need be (a draft with a placeholder body until
        ``write`` fills it in)."""
        data = row.extracted
        path = self._new_path(row.old_url)
        if not path:
            row.kind = Kind.HOME
            self._mapped(row, self.home, "the old home page: the force's home page replaces it")
            return
        if row.kind == Kind.LISTING:
            target = self.news_index if self.news_index else self.home
            self._mapped(row, target, "a listing page: the force's news listing replaces it")
            return
        if row.kind == Kind.CONTACT and row.old_url == self.main_contact and self.contact_page:
            row.page = self.contact_page
            row.created_page = False
            self._register(row)
            return
        if self.options.skip_national and row.kind in (Kind.CONTENT, Kind.SECTION):
            match = self.national.match(data["title"], self.rules.national_threshold)
            if match is not None:
                row.status = Status.SKIPPED
                row.national_match = match.url_path
                row.reason = f"national page exists: {match.title}"
                row.save()
                self._outcome(row.old_url, "skipped", reason=row.reason, national_match=match.title)
                return
        existing = self._existing_at(path)
        if existing is not None and not self._imported(existing):
            self._mapped(
                row,
                existing,
                "the force's site already has this page: the old page's content was not copied",
            )
            return
        if row.page_id and row.page is not None:
            return
        if row.kind in (Kind.NEWS, Kind.APPEAL) and self.news_index is not None:
            parent = self.news_index
            model = NewsPage
            slug = path.rsplit("/", 1)[-1]
        else:
            if row.kind in (Kind.NEWS, Kind.APPEAL, Kind.CONTACT):
                row.kind = Kind.CONTENT
            model = SectionPage if path in self.parent_paths else ContentPage
            row.kind = Kind.SECTION if model is SectionPage else Kind.CONTENT
            parent, slug = self._parent_for(path, model)
        page = model(title=data["title"], slug=find_available_slug(parent, slug[:200]), live=False)
        if model is SectionPage:
            page.intro = ""
        else:
            # Until ``write`` fills it in (a draft: nobody but the force's editors sees it).
            page.body = [{"type": "paragraph", "value": f"<p>{escape(data['title'])}</p>"}]
        if model is NewsPage:
            page.kind = NewsPage.Kind.APPEAL if row.kind == Kind.APPEAL else NewsPage.Kind.NEWS
        parent.add_child(instance=page)
        row.page = page
        row.created_page = True
        self._register(row)

    def _register(self, row):
        row.save()
        self.page_for_url[row.old_url] = row.page_id
        for alias in row.aliases:
            self.page_for_url[alias] = row.page_id

    def _mapped(self, row, page, reason):
        row.page = page
        row.created_page = False
        row.status = Status.SKIPPED
        row.reason = reason
        self._register(row)
        self._outcome(row.old_url, "skipped", kind=row.kind, reason=reason, new_url=page.url or "")

    def _parent_for(self, path, model):
        """The page that ``path``'s page goes under and its slug there. Folders of the old
        site become the section pages they were imported as, the force's existing pages at
        that address (such as its advice section), or new sections named after the folder."""
        segments = path.split("/")
        parent = self.home
        for depth, segment in enumerate(segments[:-1], start=1):
            prefix = "/".join(segments[:depth])
            child = self._page_at(parent, segment)
            if child is None or (
                not model.can_create_at(child) and not SectionPage.can_create_at(child)
            ):
                if child is not None:
                    # A page that cannot hold it (news, contact): flattened into the parent.
                    return parent, "-".join(segments[depth - 1 :])
                section = SectionPage(
                    title=segment.replace("-", " ").capitalize(), slug=segment, live=False
                )
                parent.add_child(instance=section)
                self._save_row(
                    self.key(self._folder_url(prefix)),
                    status=Status.IMPORTED,
                    kind=Kind.SECTION,
                    page=section,
                    created_page=True,
                    reason="made for a folder of the old site that had no page of its own",
                    extracted={"title": section.title, "body": None},
                )
                child = section
            if not model.can_create_at(child):
                return parent, "-".join(segments[depth - 1 :])
            parent = child.specific
        return parent, segments[-1]

    def _folder_url(self, prefix):
        return f"{self.site_origin()}/{prefix}"

    def site_origin(self):
        return f"{self.primary_scheme}://{self.primary_host}"

    def _existing_at(self, path):
        """The force's page at ``path`` (slugs from the home page), if there is one."""
        page = self.home
        for segment in path.split("/"):
            page = self._page_at(page, segment)
            if page is None:
                return None
        return page

    def _imported(self, page):
        return ImportedPage.objects.filter(force=self.force, page=page, created_page=True).exists()

    def _page_at(self, parent, slug):
        return parent.get_children().filter(slug=slug).first()

    def write(self, row):
        """Fill in ``row``'s page from the old page, as a new revision if anything changed."""
        if row.page_id is None or row.status == Status.SKIPPED:
            return
        page = row.page.specific
        data = row.extracted
        converted = convert_body(data["body"], row.old_url, self)
        fields = self._fields(page, row, data, converted.blocks)
        notes = list(converted.notes)
        match = None
        if row.kind in (Kind.CONTENT, Kind.SECTION):
            match = self.national.match(data["title"], self.rules.national_threshold)
        row.national_match = match.url_path if match else ""
        digest = hashlib.sha256(
            json.dumps(
                {"fields": fields, "model": type(page).__name__}, sort_keys=True, default=str
            ).encode()
        ).hexdigest()
        outcome = {
            "kind": row.kind,
            "notes": notes,
            "national_match": match.title if match else "",
        }
        if row.content_hash == digest and row.revision_id:
            row.status = Status.IMPORTED
            row.save()
            result = "unchanged"
            if (
                self.options.publish
                and page.latest_revision_id == row.revision_id
                and (not page.live or page.has_unpublished_changes)
            ):
                row.revision.publish()
                result = "published"
            self._outcome(row.old_url, result, new_url=self._url(page), **outcome)
            return
        if row.revision_id and page.latest_revision_id != row.revision_id:
            row.status = Status.IMPORTED
            row.save()
            self._outcome(
                row.old_url,
                "skipped",
                new_url=self._url(page),
                reason="edited on the platform since it was imported: left as the editors made it",
                **outcome,
            )
            return
        for name, value in fields.items():
            setattr(page, name, value)
        if not page.live:
            page.save()
        revision = page.save_revision(log_action=True)
        if self.options.publish:
            revision.publish()
        created = row.content_hash == ""
        row.revision = revision
        row.content_hash = digest
        row.status = Status.IMPORTED
        row.reason = ""
        row.save()
        self._outcome(
            row.old_url, "created" if created else "updated", new_url=self._url(page), **outcome
        )

    def _url(self, page):
        return page.get_url() or page.url_path

    def _fields(self, page, row, data, blocks):
        fields = {"title": data["title"], "search_description": data.get("description", "")}
        if isinstance(page, SectionPage):
            fields["intro"] = intro_html(blocks)
            return fields
        if isinstance(page, ContactPage):
            fields["body"] = blocks
            return fields
        fields["body"] = blocks or [
            {"type": "paragraph", "value": f"<p>{escape(data['title'])}</p>", "id": ""}
        ]
        if isinstance(page, NewsPage):
            fields["date"] = _parse_date(data.get("date")) or page.date
            fields["kind"] = NewsPage.Kind.APPEAL if row.kind == Kind.APPEAL else NewsPage.Kind.NEWS
            image = next((block for block in blocks if block["type"] == "image"), None)
            fields["image_id"] = image["value"]["image"] if image else None
        return fields

    # --- links, images and documents (the converter's Linker) ---------------------------

    def link(self, url):
        parts = urlsplit(url)
        if parts.scheme in ("mailto", "tel"):
            return "external", url
        if not self.is_internal(url):
            return (
                ("external", url)
                if parts.scheme in ("http", "https")
                else ("broken", "not a web address")
            )
        key = self.key(url)
        if key in self.page_for_url:
            return "page", self.page_for_url[key]
        if _extension(key) in DOCUMENT_EXTENSIONS:
            document, reason = self.document(key)
            return ("document", document) if document else ("broken", reason)
        row = self.rows.get(key)
        if row is not None and row.status == Status.FAILED:
            return "broken", row.reason
        if row is not None and row.page_id:
            return "page", row.page_id
        if (
            row is not None
            and row.status == Status.SKIPPED
            and row.reason.startswith("not a web page")
        ):
            document, reason = self.document(key)
            return ("document", document) if document else ("broken", reason)
        return "external", url

    def _media_row(self, key):
        return ImportedMedia.objects.filter(force=self.force, old_url=key).first()

    def _download(self, key):
        fetched = self.fetcher.fetch(key, max_bytes=self.rules.max_media_bytes)
        if fetched.error:
            return None, fetched.error
        if fetched.status != 200:
            return None, f"not found on the old site (HTTP {fetched.status})"
        return fetched, ""

    def _refused(self, key, reason):
        ImportedMedia.objects.update_or_create(
            force=self.force, old_url=key, defaults={"reason": reason, "sha256": ""}
        )
        return None, reason

    def image(self, url):
        if not self.is_internal(url):
            return None, f"image {url} is on another website: not copied"
        key = self.key(url)
        known = self._media_row(key)
        if known is not None:
            if known.image_id:
                return known.image_id, ""
            if known.reason:
                return None, f"image {key}: {known.reason}"
        fetched, reason = self._download(key)
        if fetched is None:
            self._refused(key, reason)
            return None, f"image {key}: {reason}"
        kind = filetype.guess(fetched.body)
        if kind is None or kind.mime not in IMAGE_TYPES:
            reason = "not an image the platform takes (JPEG, PNG, GIF or WebP)"
            self._refused(key, reason)
            return None, f"image {key}: {reason}"
        digest = hashlib.sha256(fetched.body).hexdigest()
        same = ImportedMedia.objects.filter(
            force=self.force, sha256=digest, image__isnull=False
        ).first()
        if same is not None:
            image = same.image
        else:
            name = PurePosixPath(urlsplit(key).path).stem or "image"
            image = get_image_model()(
                title=name.replace("-", " ").replace("_", " ")[:255],
                collection=self.force.collection,
                file=ContentFile(
                    fetched.body, name=f"{slugify(name) or 'image'}.{IMAGE_TYPES[kind.mime]}"
                ),
            )
            image.save()
        ImportedMedia.objects.update_or_create(
            force=self.force, old_url=key, defaults={"image": image, "sha256": digest, "reason": ""}
        )
        return image.pk, ""

    def document(self, key):
        known = self._media_row(key)
        if known is not None:
            if known.document_id:
                return known.document_id, ""
            if known.reason:
                return None, known.reason
        fetched, reason = self._download(key)
        if fetched is None:
            return self._refused(key, reason)
        extension = _extension(key) or (
            mimetypes.guess_extension(media_type(fetched.content_type)) or ""
        ).lstrip(".")
        if extension not in DOCUMENT_EXTENSIONS:
            return self._refused(
                key, f"a file of type {extension or 'unknown'} is not a document the platform takes"
            )
        upload = BytesIO(fetched.body)
        try:
            check_upload(upload, extension)
        except UploadRefused as refused:
            return self._refused(key, refused.message)
        digest = hashlib.sha256(fetched.body).hexdigest()
        same = ImportedMedia.objects.filter(
            force=self.force, sha256=digest, document__isnull=False
        ).first()
        if same is not None:
            document = same.document
        else:
            name = PurePosixPath(unquote(urlsplit(key).path)).stem or "document"
            document = get_document_model()(
                title=name.replace("-", " ").replace("_", " ")[:255],
                collection=self.force.collection,
                file=ContentFile(fetched.body, name=f"{slugify(name) or 'document'}.{extension}"),
            )
            document.save()
        ImportedMedia.objects.update_or_create(
            force=self.force,
            old_url=key,
            defaults={"document": document, "sha256": digest, "reason": ""},
        )
        return document.pk, ""

    # --- 3. redirects -------------------------------------------------------------------

    def redirect_all(self):
        site = self.force.site
        for row in list(self.rows.values()):
            if row.page_id is None or row.run_id != self.run_row.pk:
                continue
            if row.status not in (Status.IMPORTED, Status.SKIPPED):
                continue
            if row.reason.startswith("made for a folder"):
                continue
            page = row.page
            target_path = "/" + page.url_path[len(self.home.url_path) :]
            target = Redirect.normalise_path(target_path)
            summary = []
            for old in [row.old_url, *row.aliases]:
                old_path = Redirect.normalise_path(path_of(old))
                if old_path == target:
                    continue
                existing = Redirect.objects.filter(site=site, old_path=old_path).first()
                if existing is None:
                    Redirect.objects.create(
                        site=site, old_path=old_path, redirect_page=page, is_permanent=True
                    )
                elif existing.redirect_page_id != page.pk or not existing.is_permanent:
                    existing.redirect_page = page
                    existing.redirect_link = ""
                    existing.is_permanent = True
                    existing.save()
                summary.append(old_path)
            if row.old_url in self.outcomes:
                self.outcomes[row.old_url].redirect = " ".join(summary) or "same address"


def classify(path, data, rules):
    """The kind of an old page from its path, title and markup, by the force's rules."""
    bare = path.split("?", 1)[0]
    if bare in ("", "/") or re.fullmatch(r"/(index|default|home)\.\w+", bare, re.IGNORECASE):
        return Kind.HOME
    if rules.matches("listing", path):
        return Kind.LISTING
    if rules.matches("contact", bare):
        return Kind.CONTACT
    if rules.matches("appeal", bare) or (
        (rules.matches("news", bare) or data.get("news_article"))
        and rules.matches("appeal", data.get("title", ""))
    ):
        return Kind.APPEAL
    if rules.matches("news", bare) or data.get("news_article"):
        return Kind.NEWS
    return Kind.CONTENT


def _parse_date(value):
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def outcome_counts(outcomes):
    counts = defaultdict(int)
    for outcome in outcomes:
        counts[outcome.result] += 1
    return counts
