"""Hand-made redirect lists for a force's site (``manage.py import_redirects``): read, checked
and written as Wagtail redirects scoped to the force's site.

Each row is checked before anything is written: an old address given twice with different
targets, a redirect to itself, a loop (a → b → a), a target on the site that answers 404, and an
old address that is a live page (Wagtail only redirects addresses that would be 404s, so the
redirect would never be used) are refused with the line number and the reason. Chains are
collapsed: a → b with b → c (in the file or already on the site) becomes a → c, so a visitor
is sent straight to the end in one redirect.
"""

import csv
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.test import Client

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from solh.page_cache import normalise_host

OLD_COLUMNS = ("old", "old_path", "old_url", "from")
NEW_COLUMNS = ("new", "new_path", "new_url", "to")
MAX_CHAIN = 20


@dataclass
class Entry:
    line: int
    old_path: str
    target: str  # a path on the force's site, or an absolute URL elsewhere
    permanent: bool = True
    page: Page | None = None
    action: str = ""  # create, update, unchanged
    notes: list = field(default_factory=list)

    @property
    def external(self):
        return "://" in self.target


@dataclass
class Plan:
    entries: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (line, message)


class RedirectFileError(ValueError):
    """The file cannot be read as a redirect list; the message says why."""


def _column(header, names):
    for index, name in enumerate(header):
        if name.strip().lower() in names:
            return index
    return None


def read_rows(path):
    """(line, old, new, permanent) for each row of the CSV file at ``path``."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            rows = list(csv.reader(stream))
    except OSError as error:
        raise RedirectFileError(f"Cannot read {path}: {error.strerror}.") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise RedirectFileError(f"{path} is not a UTF-8 CSV file ({error}).") from None
    if not rows:
        raise RedirectFileError(f"{path} is empty.")
    header = rows[0]
    old_index, new_index = _column(header, OLD_COLUMNS), _column(header, NEW_COLUMNS)
    permanent_index = _column(header, ("permanent", "is_permanent"))
    if old_index is None or new_index is None:
        raise RedirectFileError(
            "The first line must name the columns: 'old' (the old address) and 'new' (where "
            "it goes), and optionally 'permanent' (yes or no)."
        )
    parsed = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(index, row=row):
            return row[index].strip() if index is not None and index < len(row) else ""

        permanent = cell(permanent_index).lower() not in ("no", "false", "0", "temporary")
        parsed.append((line, cell(old_index), cell(new_index), permanent))
    return parsed


def _site_path(value, site):
    """``value`` as a path on ``site`` if it is one (a path, or a URL at the site's host)."""
    parts = urlsplit(value)
    hosts = {normalise_host(site.hostname), normalise_host(f"{site.hostname}:{site.port}")}
    if parts.scheme and (
        parts.scheme not in ("http", "https") or normalise_host(parts.netloc) not in hosts
    ):
        return None
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def _live_page_at(site, path):
    """The page serving ``path`` on ``site`` (live or a draft), if one does."""
    root = site.root_page
    url_path = root.url_path + path.split("?", 1)[0].strip("/") + "/"
    if path.split("?", 1)[0].strip("/") == "":
        url_path = root.url_path
    return Page.objects.filter(url_path=url_path, path__startswith=root.path).first()


def plan_redirects(site, rows, client=None):
    """Check ``rows`` (from ``read_rows``) for ``site`` and work out what to write."""
    plan = Plan()
    client = client or Client()
    by_old = {}
    for line, old, new, permanent in rows:
        if not old or not new:
            plan.errors.append((line, "both the old address and the new one are needed"))
            continue
        parts = urlsplit(old)
        old_path = Redirect.normalise_path(parts.path + (f"?{parts.query}" if parts.query else ""))
        site_target = _site_path(new, site)
        target = Redirect.normalise_path(site_target) if site_target is not None else new
        if site_target is None and urlsplit(new).scheme not in ("http", "https"):
            plan.errors.append((line, f"{new!r} is not a path on the site or a web address"))
            continue
        if old_path in by_old:
            if by_old[old_path].target != target:
                plan.errors.append(
                    (line, f"{old_path} is already redirected on line {by_old[old_path].line}")
                )
            continue
        if old_path == target:
            plan.errors.append((line, f"{old_path} would redirect to itself"))
            continue
        by_old[old_path] = Entry(line, old_path, target, permanent)
    existing = {
        redirect.old_path: redirect
        for redirect in Redirect.objects.filter(site=site).select_related("redirect_page")
    }

    def next_hop(path):
        if path in by_old:
            return by_old[path].target
        redirect = existing.get(path)
        if redirect is not None:
            if redirect.redirect_page_id:
                return Redirect.normalise_path(
                    "/" + redirect.redirect_page.url_path[len(site.root_page.url_path) :]
                )
            return redirect.redirect_link or None
        return None

    for entry in by_old.values():
        seen = [entry.old_path]
        target = entry.target
        while "://" not in target:
            following = next_hop(target)
            if following is None:
                break
            if following in seen or target in seen or len(seen) > MAX_CHAIN:
                entry.action = "loop"
                seen += [target, following]
                break
            seen.append(target)
            target = following
        if entry.action == "loop":
            plan.errors.append(
                (entry.line, f"{entry.old_path} is part of a loop: {' → '.join(seen)}")
            )
            continue
        if target != entry.target:
            entry.notes.append(f"chain collapsed: {' → '.join([*seen, target])}")
            entry.target = target
        if _live_page_at(site, entry.old_path) is not None and entry.old_path != "/":
            plan.errors.append(
                (
                    entry.line,
                    f"{entry.old_path} is a page on the site: a redirect would never be used",
                )
            )
            continue
        if not entry.external:
            entry.page = _live_page_at(site, entry.target)
            if entry.page is not None and entry.page.specific_class is not None:
                if not entry.page.live:
                    entry.notes.append(
                        "the target page is a draft: the redirect works once it is published"
                    )
            else:
                entry.page = None
                # Followed, as a visitor would be (the site adds a missing final slash).
                response = client.get(entry.target, HTTP_HOST=site.hostname, follow=True)
                status = response.status_code
                if status >= 400:
                    plan.errors.append(
                        (entry.line, f"the target {entry.target} answers {status} on the site")
                    )
                    continue
        current = existing.get(entry.old_path)
        if current is None:
            entry.action = "create"
        elif (
            current.is_permanent == entry.permanent
            and (current.redirect_page_id == (entry.page.pk if entry.page else None))
            and (entry.page is not None or current.redirect_link == entry.target)
        ):
            entry.action = "unchanged"
        else:
            entry.action = "update"
        plan.entries.append(entry)
    return plan


def apply_plan(site, plan):
    """Write the plan's redirects (created or updated) for ``site``."""
    for entry in plan.entries:
        if entry.action == "unchanged":
            continue
        Redirect.objects.update_or_create(
            site=site,
            old_path=entry.old_path,
            defaults={
                "is_permanent": entry.permanent,
                "redirect_page": entry.page,
                "redirect_link": "" if entry.page else entry.target,
            },
        )
