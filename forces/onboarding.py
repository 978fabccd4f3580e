"""Onboarding: create or update everything a force (and the national hub) needs, in one go.

``onboard_force`` is idempotent: run twice with the same spec, the second run changes nothing;
run with new options, it updates what they cover and leaves editors' content alone. All input is
validated before anything is written, and everything happens in one transaction, so bad input
leaves nothing half-made.
"""

import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.coreutils import find_available_slug
from wagtail.log_actions import get_active_log_context
from wagtail.models import (
    GroupApprovalTask,
    Locale,
    Page,
    PageLogEntry,
    Revision,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.signals import page_published

from home.models import HubPage
from neighbourhoods.onboarding import ensure_index as ensure_neighbourhood_index
from reporting.models import ReportHubPage
from solh import purge, tasks_backend, versions
from solh.aliases import bulk_copyable, insert_pages

from . import starter_content
from .collections import NATIONAL_COLLECTION_NAME, ensure_collection
from .models import Country, Force
from .models.force import RETENTION_MAX_DAYS, RETENTION_MIN_DAYS
from .national import bilingual
from .national.bilingual import WELSH
from .national.governance import assign_workflow, ensure_national_workflow
from .national.syndication import ensure_national_library, one_operation
from .permissions import ensure_role_groups, role_group
from .roles import FORCE_MODERATOR, FORCE_ROLES, NATIONAL_ROLES
from .validators import (
    WEBHOOK_SECRET_MIN_LENGTH,
    validate_force_slug,
    validate_hex_colour,
    validate_hostname,
    validate_languages,
    validate_theme_colour,
    validate_webhook_secret,
    validate_webhook_url,
)

# Dark, distinct colours that carry white text at WCAG AA or better, used when a force is
# onboarded without colours of its own (e.g. from the CSV) so 43 sites do not look alike.
DEFAULT_PALETTE = [
    "#1d3f77", "#00556e", "#4b2a6b", "#1f5130", "#7a1f2b", "#2b4a8b",
    "#5b3a12", "#0e4d64", "#3d3d8f", "#6a2351", "#234f1e", "#8a2a0a",
]  # fmt: skip


class OnboardingError(Exception):
    """Raised with every problem found in the input; nothing has been written."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass
class ForceSpec:
    """What the operator asked for. ``None`` means 'keep what is there, or the default'."""

    slug: str
    name: str
    hostname: str
    short_name: str | None = None
    welsh_name: str | None = None
    country: str | None = None
    primary_colour: str | None = None
    secondary_colour: str | None = None
    languages: str | None = None
    port: int | None = None
    # Report delivery. "" clears a value (a webhook URL, its secret, the reports email).
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    reports_email: str | None = None
    report_retention_days: int | None = None


@dataclass
class OnboardingResult:
    force: Force
    created: bool
    changes: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.changes)


def default_colour(slug):
    return DEFAULT_PALETTE[zlib.crc32(slug.encode()) % len(DEFAULT_PALETTE)]


def _messages(error):
    return [str(message) for message in error.messages]


def validate_spec(spec, existing=None):
    """Every problem with ``spec`` as plain-language messages (empty when it is valid)."""
    errors = []
    checks = [
        (validate_force_slug, spec.slug),
        (validate_hostname, spec.hostname),
    ]
    if spec.primary_colour is not None:
        checks.append((validate_theme_colour, spec.primary_colour))
    if spec.secondary_colour is not None:
        checks.append((validate_hex_colour, spec.secondary_colour))
    if spec.languages is not None:
        checks.append((validate_languages, spec.languages))
    for validator, value in checks:
        try:
            validator(value)
        except ValidationError as error:
            errors.extend(_messages(error))
    if not (spec.name or "").strip():
        errors.append(_("A force needs a name."))
    if spec.country is not None and spec.country not in Country.values:
        errors.append(
            _("Unknown country “%(country)s”: use england or wales.") % {"country": spec.country}
        )
    if spec.port is not None and not 0 < spec.port < 65536:
        errors.append(_("The port must be between 1 and 65535."))
    errors += _delivery_errors(spec, existing)
    taken = Site.objects.filter(hostname=spec.hostname)
    if existing is not None:
        taken = taken.exclude(pk=existing.site_id)
    if spec.hostname and taken.exists():
        owner = Force.objects.filter(site__in=taken).first()
        errors.append(
            _("The hostname %(hostname)s is already used by %(owner)s.")
            % {
                "hostname": spec.hostname,
                "owner": owner.name if owner else _("the national hub"),
            }
        )
    name_taken = Force.objects.filter(name=spec.name)
    if existing is not None:
        name_taken = name_taken.exclude(pk=existing.pk)
    if name_taken.exists():
        errors.append(_("Another force is already called %(name)s.") % {"name": spec.name})
    return errors


def _delivery_errors(spec, existing):
    """Problems with the spec's report delivery settings, as they would be once applied."""
    errors = []
    checks = []
    if spec.webhook_url:
        checks.append((validate_webhook_url, spec.webhook_url))
    if spec.webhook_secret:
        checks.append((validate_webhook_secret, spec.webhook_secret))
    if spec.reports_email:
        checks.append((validate_email, spec.reports_email))
    for validator, value in checks:
        try:
            validator(value)
        except ValidationError as error:
            if validator is validate_email:
                errors.append(
                    _("The reports email “%(value)s” is not an email address.")
                    % {"value": spec.reports_email}
                )
            else:
                errors.extend(_messages(error))
    days = spec.report_retention_days
    if days is not None and not RETENTION_MIN_DAYS <= days <= RETENTION_MAX_DAYS:
        errors.append(
            _("Keep reports for between %(min)s and %(max)s days, not %(days)s.")
            % {"min": RETENTION_MIN_DAYS, "max": RETENTION_MAX_DAYS, "days": days}
        )
    if spec.webhook_url is None and spec.webhook_secret is None:
        return errors
    url = spec.webhook_url if spec.webhook_url is not None else getattr(existing, "webhook_url", "")
    if spec.webhook_secret is not None:
        has_secret = bool(spec.webhook_secret)
    else:
        has_secret = bool(getattr(existing, "webhook_secret", ""))
    if url and not has_secret:
        errors.append(
            _(
                "A webhook needs a secret of at least %(min)s characters, to sign the reports "
                "sent to it."
            )
            % {"min": WEBHOOK_SECRET_MIN_LENGTH}
        )
    return errors


def _publish(page):
    page.save_revision().publish()


def _create_published(parent, pages):
    """Add ``pages`` (new, unsaved) as the last children of ``parent``, published: the rows,
    first revisions, log entries (``wagtail.create``, ``wagtail.publish``) and signals
    (``pre_save``/``post_save``, ``page_published``) that ``add_child`` then
    ``save_revision().publish()`` leave, written in bulk (one ``INSERT`` per table).

    Only for brand-new pages of a bulk-copyable type (``solh.aliases.bulk_copyable``) under a
    parent whose children's slugs they do not take: they have no workflow, schedule, aliases or
    comments for Wagtail's publishing to deal with. Returns the pages, saved.
    """
    if any(not bulk_copyable(type(page)) for page in pages):
        raise ValueError("Only pages without child objects can be created in bulk.")
    # Not get_children(): it trusts the parent's numchild, which onboarding's aliases changed.
    siblings = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    taken = set(
        siblings.filter(slug__in=[page.slug for page in pages]).values_list("slug", flat=True)
    )
    if taken or len({page.slug for page in pages}) < len(pages):
        raise ValueError(f"Slugs already taken under {parent.url_path}: {sorted(taken)}")
    last = siblings.order_by("-path").values_list("path", flat=True).first()
    position = Page._str2int(last[-Page.steplen :]) if last else 0
    now = timezone.now()
    for page in pages:
        position += 1
        page.path = Page._get_path(parent.path, parent.depth + 1, position)
        page.depth, page.numchild = parent.depth + 1, 0
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.live, page.has_unpublished_changes = True, False
        page.first_published_at = page.last_published_at = now
        page.latest_revision_created_at = now
        page.set_url_path(parent)
        # Not the locale and content type: set here from rows that exist (a query each).
        page.clean_fields(exclude=["locale", "content_type"])
    with tasks_backend.batched():
        insert_pages(pages)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.refresh_from_db(fields=["numchild"])
    base_type = ContentType.objects.get_for_model(Page)
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=page.content_type,
            base_content_type=base_type,
            object_id=str(page.pk),
            created_at=now,
            object_str=str(page),
            content=page.serializable_data(),
        )
        for page in pages
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    Page.objects.bulk_update(pages, ["latest_revision", "live_revision"])
    context = get_active_log_context()
    PageLogEntry.objects.bulk_create(
        PageLogEntry(
            content_type=page.content_type,
            label=page.get_admin_display_title(),
            action=action,
            timestamp=now,
            user=context.user,
            uuid=context.uuid,
            page=page,
            revision=logged_revision,
            content_changed=True,
            data={},
        )
        for page, revision in zip(pages, revisions, strict=True)
        for action, logged_revision in (("wagtail.create", None), ("wagtail.publish", revision))
    )
    # One publication as far as the handlers are concerned: the national roots read once.
    with one_operation():
        for page, revision in zip(pages, revisions, strict=True):
            page_published.send(sender=type(page), instance=page, revision=revision)
    return pages


def _set_fields(instance, values):
    """Assign ``values`` to ``instance``; return the names of the fields that changed."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def ensure_locales(codes):
    created = []
    for code in codes:
        _locale, was_created = Locale.objects.get_or_create(language_code=code)
        if was_created:
            created.append(code)
    return created


def _ensure_national_report_hub(hub):
    """Give the hub its report hub at /report/ (first of its pages) if it has none.

    Publishing it gives every force its copy at /report/ (``forces.national.syndication``).
    Made once, then left to the national team. Returns True if it was made.
    """
    slug = starter_content.NATIONAL_REPORT_HUB_SLUG
    existing = hub.get_children().filter(slug=slug).first()
    if existing is not None:
        if existing.specific_class is ReportHubPage:
            return False
        # Something else has the address: it keeps its content under a free slug.
        existing = existing.specific
        existing.slug = find_available_slug(hub, f"{slug}-{existing.pk}")
        existing.save(update_fields=["slug", "url_path"], clean=False)
    report_hub = hub.add_child(instance=starter_content.report_hub_page())
    first = hub.get_first_child()
    if first.pk != report_hub.pk:
        report_hub.move(first, pos="left")
    _publish(ReportHubPage.objects.get(pk=report_hub.pk))
    return True


# The English pages are written in English whatever language is active (a Welsh request).
@translation.override(settings.LANGUAGE_CODE)
@transaction.atomic
def ensure_hub():
    """Create or update the national hub: home page, report hub, default site, collection,
    national roles.

    Returns the hub's ``HubPage``.
    """
    root = Page.get_first_root_node()
    ensure_locales(["en"])
    hub = HubPage.objects.first()
    if hub is None:
        # Wagtail's first migration leaves a placeholder "Welcome" page; the hub replaces it.
        placeholder = root.get_children().filter(content_type__model="page", numchild=0)
        for page in placeholder:
            page.delete()
        hub = root.add_child(instance=starter_content.hub_page())
        _publish(hub)
        for child in starter_content.hub_children():
            hub.add_child(instance=child)
            _publish(child)
    _ensure_national_report_hub(hub)

    site = Site.objects.filter(is_default_site=True).first()
    values = {
        "hostname": settings.BASE_DOMAIN,
        "port": settings.SITE_PORT,
        "root_page_id": hub.pk,
        "site_name": str(starter_content.HUB_SITE_NAME),
    }
    if site is None:
        Site.objects.filter(hostname=settings.BASE_DOMAIN, port=settings.SITE_PORT).delete()
        Site.objects.create(is_default_site=True, **values)
    elif _set_fields(site, values):
        site.save()

    _ensure_national_roles(hub)
    return hub


def _ensure_national_roles(hub):
    """The national roles and the 50:50 workflow, on the hub's tree in every language."""
    collection, _created = ensure_collection(NATIONAL_COLLECTION_NAME)
    ensure_role_groups(NATIONAL_ROLES, root_page=hub, collection=collection)
    ensure_national_workflow(hub)


def _ensure_workflow(force, home):
    """The force's moderation workflow: one approval task for its moderators, on its tree
    (in every language)."""
    moderators = role_group(FORCE_MODERATOR, force)
    workflow_name = _("%(force)s moderation") % {"force": force.name}
    task_name = _("Approval by %(force)s moderators") % {"force": force.name}
    changed = False
    assignment = WorkflowPage.objects.filter(page=home).select_related("workflow").first()
    if assignment is None:
        workflow = Workflow.objects.create(name=workflow_name)
        task = GroupApprovalTask.objects.create(name=task_name)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(page=home, workflow=workflow)
        changed = True
    else:
        workflow = assignment.workflow
        if workflow.name != workflow_name or not workflow.active:
            workflow.name, workflow.active = workflow_name, True
            workflow.save()
            changed = True
        task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=task_name)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            changed = True
        elif task.name != task_name:
            task.name = task_name
            task.save()
            changed = True
    if list(task.groups.all()) != [moderators]:
        task.groups.set([moderators])
        changed = True
    for translated_home in home.get_translations():
        changed |= assign_workflow(translated_home, workflow)
    return changed


@translation.override(settings.LANGUAGE_CODE)
def _create_force(spec, port):
    root = Page.get_first_root_node()
    [home] = _create_published(root, [starter_content.force_home_page(spec.slug, spec.name)])
    site = Site.objects.create(
        hostname=spec.hostname, port=port, root_page=home, site_name=spec.name
    )
    country = spec.country or Country.ENGLAND
    force = Force(
        site=site,
        slug=spec.slug,
        name=spec.name,
        short_name=spec.short_name or spec.slug.upper()[:20],
        welsh_name=spec.welsh_name or "",
        country=country,
        primary_colour=spec.primary_colour or default_colour(spec.slug),
        secondary_colour=spec.secondary_colour or "#0b0c0c",
        languages=spec.languages or ("en,cy" if country == Country.WALES else "en"),
        webhook_url=spec.webhook_url or "",
        reports_email=spec.reports_email or "",
    )
    if spec.report_retention_days is not None:
        force.report_retention_days = spec.report_retention_days
    force.set_webhook_secret(spec.webhook_secret or "")
    force.full_clean(exclude=["site", "collection"])
    force.save()
    # The national sections first: their copies then take their places (first on the home
    # page) as they are made, rather than being moved there past the starter pages.
    ensure_national_library(force)
    _create_published(home, starter_content.force_children(force))
    return force


def _update_force(force, spec, port):
    changes = []
    site_changes = _set_fields(
        force.site, {"hostname": spec.hostname, "port": port, "site_name": spec.name}
    )
    if site_changes:
        force.site.save()
        changes.append(_("site %(fields)s") % {"fields": ", ".join(site_changes)})
    wanted = {"name": spec.name}
    for name in ("short_name", "welsh_name", "country", "primary_colour", "secondary_colour",
                 "languages", "webhook_url", "reports_email",
                 "report_retention_days"):  # fmt: skip
        value = getattr(spec, name)
        if value is not None:
            wanted[name] = value
    force_changes = _set_fields(force, wanted)
    # The stored token differs on every encryption: compare the secrets, never the tokens.
    if spec.webhook_secret is not None and spec.webhook_secret != force.get_webhook_secret():
        force.set_webhook_secret(spec.webhook_secret)
        force_changes.append("webhook_secret")
    if force_changes:
        force.full_clean(exclude=["site", "collection"])
        force.save()
        changes.append(_("settings %(fields)s") % {"fields": ", ".join(force_changes)})
    return changes


@transaction.atomic
@purge.batched()
@tasks_backend.batched()
@versions.coalesced()
def onboard_force(spec):
    """Create or update the force described by ``spec``, with everything it needs.

    Raises ``OnboardingError`` (having written nothing) if the spec is invalid.
    """
    existing = Force.objects.select_related("site").filter(slug=spec.slug).first()
    errors = validate_spec(spec, existing)
    if errors:
        raise OnboardingError(errors)

    hub = ensure_hub()
    port = spec.port or settings.SITE_PORT
    if existing is None:
        force = _create_force(spec, port)
        changes = [_("created")]
    else:
        force = existing
        changes = _update_force(force, spec, port)

    collection, created = ensure_collection(force.name, previous=force.collection)
    if created:
        force.collection = collection
        force.save(update_fields=["collection"])
        changes.append(_("media collection"))

    # A new force got its copies of the national sections with its home page.
    if existing is not None and ensure_national_library(force):
        changes.append(_("national sections"))
    new_locales = ensure_locales(force.language_codes)
    if new_locales and existing is not None:
        changes.append(_("locales %(codes)s") % {"codes": ", ".join(new_locales)})
    if WELSH in force.language_codes:
        # Before the roles and the workflow, which cover the Welsh tree too.
        if bilingual.ensure_welsh_site(force) and existing is not None:
            changes.append(_("Welsh site"))
        _ensure_national_roles(hub)
    # /your-area/ (after the Welsh tree, which gets its Welsh version).
    if ensure_neighbourhood_index(force) and existing is not None:
        changes.append(_("neighbourhood pages"))

    home = force.site.root_page
    groups = ensure_role_groups(FORCE_ROLES, force=force, root_page=home, collection=collection)
    groups_changed = any(changed for _group, changed in groups.values())
    if groups_changed and existing is not None:
        changes.append(_("roles and permissions"))
    if _ensure_workflow(force, home) and existing is not None:
        changes.append(_("moderation workflow"))
    return OnboardingResult(force=force, created=existing is None, changes=changes)
