"""Reading the old website: over HTTP (politely), from a folder (a mirror of the site) or from
a WARC archive. Every fetcher answers ``fetch(url)`` with a ``Fetched`` and never raises for a
problem with the old site: the problem is the ``error``, in plain words, for the report."""

import mimetypes
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

import requests
from lxml import etree
from warcio.archiveiterator import ArchiveIterator

MAX_REDIRECTS = 10
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HTML_TYPES = {"text/html", "application/xhtml+xml"}


def normalise_url(url, rules, keep_slash=False):
    """One spelling for every address of the same page: lower-case host, no default port, no
    fragment, no ignored query parameters (the rest sorted), no trailing slash but on ``/``
    (unless ``keep_slash``: the spelling to request, since servers differ on it)."""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "http").lower()
    host = (parts.hostname or "").lower()
    if parts.port and (scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    path = "/" + "/".join(segment for segment in parts.path.split("/") if segment)
    if parts.path.endswith("/") and path != "/":
        path += "/"
    if not keep_slash:
        path = path.rstrip("/") or "/"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not rules.ignores_query(name)
    )
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def path_of(url):
    """The path and query of ``url``, as an address on a site."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def media_type(content_type):
    return (content_type or "").split(";")[0].strip().lower()


@dataclass
class Fetched:
    url: str
    final_url: str = ""
    status: int = 0
    content_type: str = ""
    body: bytes = b""
    # The addresses passed through on the way (redirects of the old site), first first.
    redirects: list = field(default_factory=list)
    error: str = ""

    @property
    def is_html(self):
        return media_type(self.content_type) in HTML_TYPES

    @property
    def ok(self):
        return not self.error and 200 <= self.status < 300


class HttpFetcher:
    """Fetches over HTTP with ``requests``: a timeout on every request, at most
    ``rules.concurrency`` at once (the caller's pool), at least ``rules.delay_seconds`` (or the
    site's robots.txt ``Crawl-delay``, if longer) between two requests to the same host, and
    nothing robots.txt disallows for our user agent."""

    def __init__(self, rules):
        self.rules = rules
        self._local = threading.local()
        self._lock = threading.Lock()
        self._next_time = {}
        self._robots = {}
        self._robots_lock = threading.Lock()

    def _session(self):
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self.rules.user_agent
            self._local.session = session
        return session

    def _wait_turn(self, host, delay):
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_time.get(host, now))
            self._next_time[host] = start + delay
        if start > now:
            time.sleep(start - now)

    def robots(self, url):
        """The robots.txt rules of ``url``'s site (read once per site; none if it has none)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            if origin not in self._robots:
                parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
                try:
                    response = self._session().get(
                        origin + "/robots.txt", timeout=self.rules.timeout_seconds
                    )
                    if response.status_code in (401, 403):
                        parser.disallow_all = True
                    elif response.ok:
                        parser.parse(response.text.splitlines())
                    else:
                        parser.allow_all = True
                except requests.RequestException:
                    parser.allow_all = True
                self._robots[origin] = parser
            return self._robots[origin]

    def allowed(self, url):
        return self.robots(url).can_fetch(self.rules.user_agent, url)

    def _delay(self, url):
        crawl_delay = self.robots(url).crawl_delay(self.rules.user_agent) or 0
        return max(self.rules.delay_seconds, float(crawl_delay))

    def fetch(self, url, max_bytes=None, follow=True):
        max_bytes = max_bytes or self.rules.max_page_bytes
        result = Fetched(url=url)
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self._wait_turn(urlsplit(current).netloc, self._delay(current))
            try:
                response = self._session().get(
                    current,
                    timeout=self.rules.timeout_seconds,
                    stream=True,
                    allow_redirects=False,
                )
            except requests.Timeout:
                result.error = f"timed out after {self.rules.timeout_seconds:g} seconds"
                return result
            except requests.RequestException as error:
                result.error = f"could not connect ({type(error).__name__})"
                return result
            with response:
                location = response.headers.get("Location")
                if follow and response.is_redirect and location:
                    result.redirects.append(current)
                    current = urljoin(current, location)
                    continue
                result.final_url = current
                result.status = response.status_code
                result.content_type = response.headers.get("Content-Type", "")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    result.error = _too_large(max_bytes)
                    return result
                body = bytearray()
                try:
                    for chunk in response.iter_content(64 * 1024):
                        body += chunk
                        if len(body) > max_bytes:
                            result.error = _too_large(max_bytes)
                            return result
                except requests.Timeout:
                    result.error = f"timed out after {self.rules.timeout_seconds:g} seconds"
                    return result
                except requests.RequestException as error:
                    result.error = f"the connection failed ({type(error).__name__})"
                    return result
                result.body = bytes(body)
                return result
        result.error = f"more than {MAX_REDIRECTS} redirects"
        return result


def _too_large(max_bytes):
    return f"too large (over {max_bytes / 1_000_000:g} MB)"


class FolderFetcher:
    """Reads a mirror of the old site from a folder (as ``wget --mirror`` leaves it): the
    address ``base_url/a/b/`` is the file ``a/b/index.html``, ``a/b.html`` or ``a/b``."""

    def __init__(self, rules, folder, base_url):
        self.rules = rules
        self.folder = Path(folder).resolve()
        self.base_url = base_url.rstrip("/")

    def allowed(self, url):
        return True

    def seeds(self):
        files = sorted(self.folder.rglob("*.htm*"))
        urls = []
        for file in files:
            relative = file.relative_to(self.folder).as_posix()
            if relative.endswith("index.html"):
                relative = relative[: -len("index.html")]
            urls.append(f"{self.base_url}/{relative}")
        return urls

    def _file(self, path):
        relative = unquote(path).strip("/")
        candidates = (
            [self.folder / relative / "index.html", self.folder / (relative + ".html")]
            if relative
            else [self.folder / "index.html"]
        )
        candidates.insert(0, self.folder / relative)
        for candidate in candidates:
            resolved = candidate.resolve()
            # Never outside the folder, whatever the address says.
            if resolved.is_file() and resolved.is_relative_to(self.folder):
                return resolved
        return None

    def fetch(self, url, max_bytes=None, follow=True):
        max_bytes = max_bytes or self.rules.max_page_bytes
        result = Fetched(url=url, final_url=url)
        file = self._file(urlsplit(url).path)
        if file is None:
            result.status = 404
            result.error = "not in the folder of the old site"
            return result
        result.status = 200
        result.content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if file.stat().st_size > max_bytes:
            result.error = _too_large(max_bytes)
            return result
        result.body = file.read_bytes()
        return result


class WarcFetcher:
    """Reads the old site from a WARC archive (as web archiving tools write it): each address
    answers with its archived response; archived redirects are followed."""

    def __init__(self, rules, path):
        self.rules = rules
        self.path = Path(path)
        self._offsets = {}
        self._order = []
        with self.path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                if record.rec_type != "response":
                    continue
                target = record.rec_headers.get_header("WARC-Target-URI")
                key = normalise_url(target, rules)
                if key not in self._offsets:
                    self._offsets[key] = records.get_record_offset()
                    content_type = record.http_headers.get_header("Content-Type", "")
                    if media_type(content_type) in HTML_TYPES:
                        self._order.append(target)

    def allowed(self, url):
        return True

    def seeds(self):
        return list(self._order)

    def _record(self, url):
        offset = self._offsets.get(normalise_url(url, self.rules))
        if offset is None:
            return None
        with self.path.open("rb") as stream:
            stream.seek(offset)
            for record in ArchiveIterator(stream):
                status = int(record.http_headers.get_statuscode() or 0)
                headers = record.http_headers
                return status, headers, record.content_stream().read()
        return None

    def fetch(self, url, max_bytes=None, follow=True):
        max_bytes = max_bytes or self.rules.max_page_bytes
        result = Fetched(url=url)
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            found = self._record(current)
            if found is None:
                result.final_url, result.status = current, 404
                result.error = "not in the archive"
                return result
            status, headers, body = found
            location = headers.get_header("Location")
            if follow and status in (301, 302, 303, 307, 308) and location:
                result.redirects.append(current)
                current = urljoin(current, location)
                continue
            result.final_url, result.status = current, status
            result.content_type = headers.get_header("Content-Type", "")
            if len(body) > max_bytes:
                result.error = _too_large(max_bytes)
                return result
            result.body = body
            return result
        result.error = f"more than {MAX_REDIRECTS} redirects"
        return result


def sitemap_urls(fetcher, url, seen=None):
    """The page addresses a sitemap (or a sitemap index, followed) lists, in its order."""
    seen = set() if seen is None else seen
    if url in seen:
        return []
    seen.add(url)
    fetched = fetcher.fetch(url)
    if not fetched.ok:
        reason = fetched.error or f"HTTP {fetched.status}"
        raise SourceError(f"Cannot read the sitemap {url}: {reason}.")
    try:
        root = etree.fromstring(
            fetched.body, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError as error:
        raise SourceError(f"The sitemap {url} is not valid XML: {error}.") from None
    urls = []
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        for loc in root.iter(f"{SITEMAP_NS}loc"):
            urls.extend(sitemap_urls(fetcher, loc.text.strip(), seen))
    else:
        urls.extend(loc.text.strip() for loc in root.iter(f"{SITEMAP_NS}loc") if loc.text)
    return urls


class SourceError(Exception):
    """The source of an import cannot be used; the message says why."""
