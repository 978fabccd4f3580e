"""Welsh-language sites: the hub's Welsh tree, each bilingual force's Welsh tree, and translating
a page into Welsh through wagtail-localize.

Wagtail keeps each language in a tree of its own, whose pages share their English counterparts'
translation keys (that is how the language switcher finds a page's other version). Welsh pages
are served under ``/cy/`` on a site whose home page has a live Welsh translation.

- **The hub's Welsh tree** (made when the first bilingual force is onboarded) has a Welsh page
  for every hub page: the national team's translation once there is one (wagtail-localize's
  translation editor, or a PO file), until then an alias of the English page, which shows the
  English content (wagtail-localize's "synchronised tree"). Publishing a translation converts
  the alias into it.
- **A bilingual force's Welsh tree** mirrors its English tree page for page. A national page's
  Welsh copy is an alias of the hub's Welsh page once that is translated and live, and of the
  English national page until then: a national page translated once is in Welsh on every
  Welsh force's site, by the same aliases as in English. The force's own pages are the force's
  to translate; until then their Welsh page is an alias of the English one.
- The pages onboarding starts a site with (home, news, contact, accessibility statement and the
  hub's report hub and library) are translated at once, from the project's Welsh catalogue
  (``locale/cy``), as long as nobody has changed the English page since.

``sync_welsh_trees`` brings the Welsh trees in line with the English ones; the signal handlers in
``syndication_hooks`` call it after a page is moved, and after a force's page is published. It
is idempotent and costs a few queries per tree when nothing has changed. After a hub page is
published, ``sync_after_publishing`` does the same for what that page concerns only (its
place and subtree, and each Welsh force's copy of it), rather than reading five whole trees.
Missing Welsh aliases are made in batches (``solh.aliases.create_aliases``), level by level.
Aliases are always of a page that is not itself an alias, so a Welsh copy's content (and a
journey's revision) is one step away.
"""

import json
import logging
from dataclasses import dataclass
from functools import reduce
from itertools import pairwise
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    SegmentOverride,
    String,
    StringSegment,
    StringTranslation,
    TemplateSegment,
    TranslatableObject,
    Translation,
    TranslationContext,
    TranslationSource,
    get_schema_version,
)
from wagtail_localize.segments import (
    OverridableSegmentValue,
    RelatedObjectSegmentValue,
    StringSegmentValue,
    TemplateSegmentValue,
)
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.strings import StringValue, validate_translation_links

from forces import starter_content
from forces.models import Force, LocalisedPage
from home import lookups
from home.models import HubPage
from home.site_context import invalidate_site_chrome
from reporting.models import ReportJourneyPage
from solh.aliases import AliasRequest, create_aliases

logger = logging.getLogger(__name__)

WELSH = "cy"
STEP = Page.steplen


class TranslationMismatch(ValueError):
    """The Welsh version given for a page does not have the page's structure."""


def welsh_locale(create=True):
    """The Welsh ``Locale`` (made if missing, unless ``create`` is false)."""
    if create:
        return Locale.objects.get_or_create(language_code=WELSH)[0]
    return Locale.objects.filter(language_code=WELSH).first()


def english_locale():
    return Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]


# --- translating a page with wagtail-localize -----------------------------------------------------


def blank_missing_text(block, raw):
    """``raw`` (a block's stored data) with every text field left out set to "".

    Wagtail's forms store "" for an empty text field, but data built in code (the demo journeys)
    may leave it out, which wagtail-localize cannot extract.
    """
    if isinstance(block, blocks.StreamBlock):
        children = block.child_blocks
        return [
            {**child, "value": blank_missing_text(children[child["type"]], child["value"])}
            if child.get("type") in children
            else child
            for child in raw or []
        ]
    if isinstance(block, blocks.ListBlock):
        return [
            {**item, "value": blank_missing_text(block.child_block, item["value"])}
            if isinstance(item, dict) and item.get("type") == "item"
            else blank_missing_text(block.child_block, item)
            for item in raw or []
        ]
    if isinstance(block, blocks.StructBlock):
        raw = dict(raw or {})
        for name, child in block.child_blocks.items():
            if name in raw or isinstance(child, (blocks.CharBlock, blocks.TextBlock)):
                raw[name] = blank_missing_text(child, raw.get(name))
        return raw
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock)) and raw is None:
        return ""
    return raw


def stored_stream(field, value):
    """A StreamField ``value`` as Wagtail's editor would store it: every block (and list item)
    with an id, and "" for text fields left out. Data built in code may lack both, and
    wagtail-localize finds strings only in lists whose items have ids."""
    value = field.to_python(field.get_prep_value(value))
    list(value)  # binds every block, so that lists are stored with their items' ids
    return blank_missing_text(field.stream_block, field.get_prep_value(value))


def _complete(instance):
    """``instance`` with its StreamFields as ``stored_stream`` makes them (in memory only)."""
    for field in instance._meta.get_fields():
        if isinstance(field, StreamField):
            raw = stored_stream(field, field.value_from_object(instance))
            setattr(instance, field.attname, field.to_python(raw))
    return instance


def _segments(instance, kind=StringSegmentValue):
    if instance.pk is None:
        _complete(instance)
    return [segment for segment in extract_segments(instance) if isinstance(segment, kind)]


def same_strings(page, other):
    """Whether ``page`` and ``other`` (an unsaved page) have the same translatable text."""
    return [segment.string.data for segment in _segments(page.specific)] == [
        segment.string.data for segment in _segments(other)
    ]


def translate(page, welsh, user=None, publish=True):
    """Translate ``page`` into Welsh with the text of ``welsh``, and return the Welsh page.

    ``welsh`` is the same page written in Welsh: an unsaved page of the same type with the same
    fields and the same blocks in the same order (built by the same code in Welsh, for example).
    Its strings are recorded as wagtail-localize's translations of ``page``'s strings, so
    translators find them in the translation editor (and in its PO file download) and later
    edits of the English page can be synced. The Welsh page is made (converting an alias that
    stood in for it) and, if ``publish``, published. The parent must have a Welsh page.
    Raises ``TranslationMismatch`` if ``welsh`` does not have ``page``'s structure.
    """
    page = _complete(page.specific)
    locale = welsh_locale()
    source = _translation_source(page)
    english = list(source.stringsegment_set.select_related("string", "context").order_by("order"))
    cymraeg = _segments(welsh)
    if len(english) != len(cymraeg):
        raise TranslationMismatch(
            f"{page.title!r} has {len(english)} strings to translate; its Welsh version has "
            f"{len(cymraeg)}."
        )
    _record_strings(english, cymraeg, locale, user)
    _record_overrides(source, welsh, locale, user)
    target, _created = Translation.objects.update_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    # Saved as a draft, then published here: wagtail-localize would publish only once the
    # transaction commits, and callers (onboarding, the seed) want the page live now.
    target.save_target(user=user, publish=False)
    translated = page.get_translation(locale).specific
    if publish:
        translated.get_latest_revision().publish(user=user)
        translated.refresh_from_db()
    return translated


def _translation_source(page):
    """wagtail-localize's ``TranslationSource`` of ``page``, made or brought up to date as
    ``TranslationSource.update_or_create_from_instance`` does. A new source's string segments
    (most of a page's segments) are written in bulk rather than four to six queries each: a
    starter page, translated as its force is onboarded, has none yet."""
    if TranslationSource.objects.filter(
        object_id=page.translation_key, locale_id=page.locale_id
    ).exists():
        return TranslationSource.update_or_create_from_instance(page)[0]
    translatable, _created = TranslatableObject.objects.get_or_create_from_instance(page)
    source = TranslationSource.objects.create(
        object=translatable,
        locale_id=page.locale_id,
        specific_content_type=ContentType.objects.get_for_model(type(page)),
        object_repr=str(page)[:200],
        content_json=page.to_json(),
        schema_version=get_schema_version(page._meta.app_label),
        last_updated_at=timezone.now(),
    )
    strings = []
    for segment in extract_segments(page):
        if isinstance(segment, StringSegmentValue):
            strings.append(segment)
            continue
        # The other kinds (templates, related objects, overridable values) as
        # ``TranslationSource.refresh_segments`` records them, one by one: a page has few.
        kind = {
            TemplateSegmentValue: TemplateSegment,
            RelatedObjectSegmentValue: RelatedObjectSegment,
            OverridableSegmentValue: OverridableSegment,
        }[type(segment)]
        kind.from_value(source, segment).context.get_field_path(page)
    _bulk_string_segments(source, page, strings)
    return source


def _bulk_string_segments(source, page, values):
    """Record the string segments ``values`` of the new ``source`` (of ``page``) as
    ``StringSegment.from_value`` does, each string and context made unless it exists."""
    texts = {String._get_data_hash(value.string.data): value.string.data for value in values}
    string_ids = dict(
        String.objects.filter(locale_id=page.locale_id, data_hash__in=texts).values_list(
            "data_hash", "pk"
        )
    )
    made = String.objects.bulk_create(
        String(locale_id=page.locale_id, data_hash=data_hash, data=data)
        for data_hash, data in texts.items()
        if data_hash not in string_ids
    )
    string_ids.update((string.data_hash, string.pk) for string in made)
    paths = {TranslationContext._get_path_id(value.path): value.path for value in values}
    context_ids = dict(
        TranslationContext.objects.filter(
            object_id=source.object_id, path_id__in=paths
        ).values_list("path_id", "pk")
    )
    new_contexts = [
        TranslationContext(object_id=source.object_id, path_id=path_id, path=path)
        for path_id, path in paths.items()
        if path_id not in context_ids
    ]
    for context in new_contexts:
        context.field_path = _field_path(context, page)
    made = TranslationContext.objects.bulk_create(new_contexts)
    context_ids.update((context.path_id, context.pk) for context in made)
    StringSegment.objects.bulk_create(
        StringSegment(
            source=source,
            context_id=context_ids[TranslationContext._get_path_id(value.path)],
            order=value.order,
            string_id=string_ids[String._get_data_hash(value.string.data)],
            attrs=json.dumps(value.attrs, cls=DjangoJSONEncoder),
        )
        for value in values
    )


def _field_path(context, instance):
    """The field path of a context not saved yet, as wagtail-localize works it out (its
    ``get_field_path`` saves what it found, which the bulk insert does here)."""
    context.save = lambda **kwargs: None
    try:
        return context.get_field_path(instance)
    finally:
        del context.save


def _record_strings(english, cymraeg, locale, user):
    """Record each string of ``cymraeg`` as the translation of its ``english`` segment: what
    ``StringTranslation.objects.update_or_create`` does string by string, written in bulk (a
    page's strings are new together when it is first translated). The title goes through the
    model's own save, whose signal also gives the Welsh page its draft title."""
    defaults = {
        "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
        "last_translated_by": user,
        "field_error": "",
    }
    existing = {
        (row.translation_of_id, row.context_id): row
        for row in StringTranslation.objects.filter(
            locale=locale,
            translation_of__in={segment.string_id for segment in english},
            context__in={segment.context_id for segment in english},
        )
    }
    new, changed, now = [], [], timezone.now()
    for segment, value in zip(english, cymraeg, strict=True):
        data = value.string.data
        if segment.context.path == "title":
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={**defaults, "data": data, "has_error": False},
            )
            continue
        row = existing.get((segment.string_id, segment.context_id))
        if row is None:
            row = StringTranslation(
                translation_of=segment.string, locale=locale, context=segment.context
            )
            new.append(row)
        else:
            changed.append(row)
        for name, field_value in defaults.items():
            setattr(row, name, field_value)
        row.data, row.has_error = data, not _valid_translation(segment.string.data, data)
        row.updated_at = now  # bulk_update does not set auto_now fields
    StringTranslation.objects.bulk_create(new)
    StringTranslation.objects.bulk_update(changed, ["data", "has_error", "updated_at", *defaults])


def _valid_translation(english, welsh):
    """What ``StringTranslation.save`` checks before it records a translation as usable."""
    try:
        StringValue.from_translated_html(welsh)
        validate_translation_links(english, welsh)
    except ValueError:
        return False
    return True


def _record_overrides(source, welsh, locale, user):
    """Where the Welsh version links elsewhere (``/cy/report/`` for ``/report/``), record it as
    wagtail-localize's override of that link."""
    english = list(source.overridablesegment_set.select_related("context").order_by("order"))
    cymraeg = _segments(welsh, OverridableSegmentValue)
    if len(english) != len(cymraeg):
        return
    for segment, value in zip(english, cymraeg, strict=True):
        if value.data != segment.data:
            SegmentOverride.objects.update_or_create(
                locale=locale,
                context=segment.context,
                defaults={
                    "data_json": json.dumps(value.data, cls=DjangoJSONEncoder),
                    "last_translated_by": user,
                    "has_error": False,
                    "field_error": "",
                },
            )


# --- the trees --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A page of a tree, as much as mirroring needs."""

    pk: int
    path: str
    depth: int
    translation_key: object
    alias_of_id: int | None
    slug: str
    live: bool
    content_type_id: int | None = None

    @property
    def parent_path(self):
        return self.path[:-STEP]


FIELDS = [
    "pk", "path", "depth", "translation_key", "alias_of_id", "slug", "live", "content_type_id",
]  # fmt: skip


def _nodes(root):
    """Every page under ``root`` (not ``root`` itself), in tree order."""
    rows = Page.objects.filter(path__startswith=root.path, depth__gt=root.depth).order_by("path")
    return [Node(**row) for row in rows.values(*FIELDS)]


def _below(path):
    """Every page under the page at ``path``."""
    return Q(path__startswith=path, depth__gt=len(path) // STEP)


def _children(path):
    return Q(path__startswith=path, depth=len(path) // STEP + 1)


def _scope_nodes(root, anchor_path):
    """The pages under ``root`` that a change to the page at ``anchor_path`` can concern, in tree
    order: that page's subtree, and the pages beside it and beside each of its ancestors up to
    ``root``'s children (a new page takes its place among them)."""
    parents = range(len(root.path), len(anchor_path), STEP)
    wanted = reduce(or_, (_children(anchor_path[:end]) for end in parents), _below(anchor_path))
    rows = Page.objects.filter(wanted).order_by("path").values(*FIELDS)
    return [Node(**row) for row in rows]


def hub_pages():
    """The hub's home page in English and in Welsh (``None`` when it has no Welsh tree)."""
    english = HubPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if english is None:
        return None, None
    welsh = HubPage.objects.filter(
        translation_key=english.translation_key, locale__language_code=WELSH
    ).first()
    return english, welsh


def welsh_home(force):
    """The Welsh translation of ``force``'s home page, or ``None``."""
    home = force.site.root_page
    return (
        Page.objects.filter(translation_key=home.translation_key, locale__language_code=WELSH)
        .exclude(pk=home.pk)
        .first()
    )


@dataclass
class NationalWelsh:
    """The hub's pages (English ids) and, for those translated into Welsh and live, their
    Welsh page: all of them (``read``), or those asked for (``prepare``) with ``partial``."""

    national_ids: set
    translated: dict
    hub: object = None
    welsh_hub: object = None
    known: set | None = None

    @classmethod
    def read(cls, hub, welsh_hub):
        english = _nodes(hub) if hub is not None else []
        return cls._of(english, welsh_hub, hub, None)

    @classmethod
    def partial(cls, hub, welsh_hub):
        """Knows nothing yet: ``prepare`` reads what a set of pages needs."""
        return cls(set(), {}, hub, welsh_hub, set())

    @classmethod
    def _of(cls, english, welsh_hub, hub, known):
        keys = [node.translation_key for node in english]
        welsh = {}
        if welsh_hub is not None and keys:
            rows = Page.objects.filter(_below(welsh_hub.path))
            if known is not None:
                rows = rows.filter(translation_key__in=keys)
            welsh = {row["translation_key"]: Node(**row) for row in rows.values(*FIELDS)}
        translated = {}
        for node in english:
            counterpart = welsh.get(node.translation_key)
            if counterpart is not None and counterpart.alias_of_id is None and counterpart.live:
                translated[node.pk] = counterpart.pk
        return cls({node.pk for node in english}, translated, hub, welsh_hub, known)

    def prepare(self, ids):
        """Read what is not known yet about the pages ``ids``: which are the hub's (English)
        and which of those are translated."""
        if self.known is None or self.hub is None:
            return
        ids = {pk for pk in ids if pk is not None} - self.known
        if not ids:
            return
        self.known |= ids
        rows = Page.objects.filter(_below(self.hub.path), pk__in=ids).values(*FIELDS)
        more = self._of([Node(**row) for row in rows], self.welsh_hub, self.hub, self.known)
        self.national_ids |= more.national_ids
        self.translated.update(more.translated)


class Mirror:
    """Keeps the Welsh tree under ``welsh_root`` in step with the English tree under ``root``.

    ``target(node)`` names the page the Welsh page of an English ``node`` should be an alias of
    (``None``: leave an existing Welsh page alone); ``follows(node)`` whether an existing Welsh
    alias must be re-pointed to its target when that changes (national copies);
    ``starter(node)`` an unsaved Welsh version of a starter page, to translate it with instead
    of an alias; ``prepare(nodes)`` is told the English pages about to be mirrored, before
    ``target`` is asked about them.

    With ``anchor`` (the path of a page under ``root``), only what a change to that page
    concerns is mirrored (``_scope_nodes``: its subtree, and its and its ancestors' siblings),
    and the whole subtree of any of those pages that has no Welsh page yet: the Welsh tree is
    taken to be in step everywhere else, as every change to the English tree keeps it.
    """

    def __init__(
        self,
        root,
        welsh_root,
        target,
        follows=lambda node: False,
        starter=None,
        anchor=None,
        prepare=None,
    ):
        self.root = root
        self.welsh_root = welsh_root
        self.target = target
        self.follows = follows
        self.starter = starter or (lambda node: None)
        self.prepare = prepare or (lambda nodes: None)
        self.anchor = anchor
        self.locale = welsh_locale()
        self.changed = False
        self.keys = None  # the English pages' translation keys, when only some are mirrored

    def _reload(self):
        rows = Page.objects.filter(_below(self.welsh_root.path))
        if self.keys is not None:
            rows = rows.filter(translation_key__in=self.keys)
        self.welsh = {row["translation_key"]: Node(**row) for row in rows.values(*FIELDS)}

    def _english(self):
        if self.anchor is None:
            english = _nodes(self.root)
            self.prepare(english)
            self._reload()
            return english
        english = _scope_nodes(self.root, self.anchor)
        self.keys = [node.translation_key for node in english]
        self.prepare(english)
        self._reload()
        # A page without a Welsh page yet gets one, and so does everything under it.
        new = [
            node
            for node in english
            if node.translation_key not in self.welsh
            and not node.path.startswith(self.anchor)
            and (self.target(node) is not None or self.starter(node) is not None)
        ]
        if new:
            rows = Page.objects.filter(reduce(or_, (_below(node.path) for node in new)))
            seen = {node.pk for node in english}
            more = [Node(**row) for row in rows.values(*FIELDS) if row["pk"] not in seen]
            english = sorted(english + more, key=lambda node: node.path)
            self.keys = [node.translation_key for node in english]
            self.prepare(more)
            self._reload()
        return english

    def _welsh_parent(self, node, by_path):
        if node.depth == self.root.depth + 1:
            root = self.welsh_root
            return Node(
                pk=root.pk,
                path=root.path,
                depth=root.depth,
                translation_key=root.translation_key,
                alias_of_id=root.alias_of_id,
                slug=root.slug,
                live=root.live,
            )
        parent = by_path.get(node.parent_path)
        return self.welsh.get(parent.translation_key) if parent is not None else None

    def run(self):
        """Bring the Welsh tree in line; returns True if anything changed."""
        return run_together([self])

    def _start(self):
        self.english = self._english()
        self.by_path = {node.path: node for node in self.english}
        self.tried = set()
        self.starters = []  # [(English node, its Welsh version)], translated after the aliases
        self.untranslatable = set()

    def _pass(self):
        """One pass over the English pages: move and re-point Welsh pages as needed, queue the
        starter pages' translations; returns the aliases to make (``[(English node, Welsh
        parent, target id)]``). A page whose parent gets its Welsh page in this pass waits
        for the next one."""
        wanted = []
        for node in self.english:
            parent = self._welsh_parent(node, self.by_path)
            if parent is None:
                continue  # its parent has no Welsh page to hang it on (yet)
            existing = self.welsh.get(node.translation_key)
            if existing is None:
                if node.pk not in self.tried:
                    self.tried.add(node.pk)
                    self._create(node, parent, wanted)
                continue
            if existing.parent_path != parent.path:
                self._move_under(existing, parent, node, self.english)
            target = self.target(node)
            if (
                target is not None
                and existing.alias_of_id is not None
                and existing.alias_of_id != target
                and self.follows(node)
            ):
                _follow(existing, target)
                self.changed = True
        return wanted

    def _create(self, node, parent, wanted):
        """Queue ``node``'s Welsh page: a starter page's translation in ``self.starters``, made
        once this pass's aliases are (``_translate_starters``), else an alias in ``wanted``, the
        aliases to make together."""
        welsh_version = None if node.pk in self.untranslatable else self.starter(node)
        if welsh_version is not None:
            self.starters.append((node, welsh_version))
            return
        target = self.target(node)
        if target is not None:
            wanted.append((node, parent, target))

    def _translate_starters(self):
        """Translate the starter pages queued by this pass; returns True if there were any.

        After the aliases: a Welsh page is made last among its siblings, and the starter pages
        come after the national copies (``forces.onboarding``), so both land in their English
        order without being moved. A page that cannot be translated gets an alias next pass."""
        starters, self.starters = self.starters, []
        for node, welsh_version in starters:
            try:
                translate(Page.objects.get(pk=node.pk), welsh_version)
            except TranslationMismatch:
                logger.warning("Starter page %s could not be translated into Welsh.", node.pk)
                self.untranslatable.add(node.pk)
                self.tried.discard(node.pk)
                continue
            self.changed = True
            self._reload()
            self._place(node, self.english)
        return bool(starters)

    def _made(self, wanted):
        """The aliases ``wanted`` were made: put each in its English counterpart's place."""
        self.changed = True
        self._reload()
        for node, _parent, _target in wanted:
            self._place(node, self.english)

    def _move_under(self, existing, parent, node, english):
        _move(Page.objects.get(pk=existing.pk), Page.objects.get(pk=parent.pk), "last-child")
        self.changed = True
        self._reload()
        self._place(node, english)

    def _place(self, node, english):
        """Put ``node``'s Welsh page before the Welsh page of the first English sibling after
        ``node`` that has one (it was added last among its siblings)."""
        welsh = self.welsh.get(node.translation_key)
        if welsh is None:
            return
        for sibling in english:
            if sibling.parent_path != node.parent_path or sibling.path <= node.path:
                continue
            anchor = self.welsh.get(sibling.translation_key)
            if anchor is not None and anchor.parent_path == welsh.parent_path:
                if anchor.path < welsh.path:
                    _move(Page.objects.get(pk=welsh.pk), Page.objects.get(pk=anchor.pk), "left")
                    self._reload()
                return

    def _reorder(self, english):
        """Put Welsh siblings in their English counterparts' order (after a reordering)."""
        siblings = {}
        for node in english:
            siblings.setdefault(node.parent_path, []).append(node.translation_key)
        for keys in siblings.values():
            welsh = [self.welsh[key] for key in keys if key in self.welsh]
            if not welsh or len({node.parent_path for node in welsh}) > 1:
                continue
            if [node.path for node in welsh] == sorted(node.path for node in welsh):
                continue
            for before, after in pairwise(welsh):
                previous = self.welsh[before.translation_key]
                current = self.welsh[after.translation_key]
                if current.path < previous.path:
                    page = Page.objects.get(pk=current.pk)
                    _move(page, Page.objects.get(pk=previous.pk), "right")
                    self._reload()
            self.changed = True


def run_together(mirrors):
    """Run ``mirrors`` (of different trees), making the aliases they all need in one batch at
    each step rather than one batch per tree. Returns True if any changed anything."""
    for mirror in mirrors:
        mirror._start()
    while True:
        wanted = {mirror: mirror._pass() for mirror in mirrors}
        if any(wanted.values()):
            _create_aliases(
                [
                    (target, parent.pk, node)
                    for found in wanted.values()
                    for node, parent, target in found
                ],
                mirrors[0].locale,
            )
            for mirror, found in wanted.items():
                if found:
                    mirror._made(found)
        translated = [mirror._translate_starters() for mirror in mirrors]
        if not any(wanted.values()) and not any(translated):
            break
    for mirror in mirrors:
        mirror._reorder(mirror.english)
    return any(mirror.changed for mirror in mirrors)


def _create_aliases(wanted, locale):
    """Welsh aliases, made together (``solh.aliases.create_aliases``): ``wanted`` is
    ``[(id of the page to alias, id of the Welsh parent, English node)]``; each alias takes the
    English node's translation key and a free slug like its slug, in ``locale``."""
    targets = {target for target, _parent, _node in wanted}
    originals = {page.pk: page for page in Page.objects.filter(pk__in=targets).specific()}
    pages = Page.objects.in_bulk({parent for _target, parent, _node in wanted})
    requests = [
        AliasRequest(
            originals[target],
            pages[parent],
            recursive=False,
            like=node.slug,
            locale=locale,
            translation_key=node.translation_key,
        )
        for target, parent, node in wanted
    ]
    # Made from the current content (``create_aliases`` records them as fresh): a publication
    # in progress need not write them again.
    return create_aliases(requests)


def _follow(node, target_pk):
    from .syndication import _follow as follow

    follow(Page.objects.get(pk=node.pk), Page.objects.get(pk=target_pk))


def _move(page, target, pos):
    from .syndication import _move as move

    move(page, target, pos)


# --- starter pages --------------------------------------------------------------------------------


def _starter_pair(builder, page):
    """The Welsh version of a starter page built by ``builder`` if ``page`` is still exactly
    what ``builder`` makes in English, else ``None``."""
    with translation.override(settings.LANGUAGE_CODE):
        english = builder(False)
    if type(english) is not page.specific_class or not same_strings(page, english):
        return None
    with translation.override(WELSH):
        return builder(True)


def _hub_starters():
    children = {
        starter_content.NATIONAL_REPORT_HUB_SLUG: lambda welsh: starter_content.report_hub_page(),
        starter_content.NATIONAL_LIBRARY_SLUG: lambda welsh: starter_content.hub_children()[0],
        "accessibility-statement": lambda welsh: starter_content.hub_children()[1],
    }
    return children


def _force_starters(force):
    def name(welsh):
        return (force.welsh_name or force.name) if welsh else force.name

    def child(index):
        def build(welsh):
            named = Force(name=name(welsh), slug=force.slug)
            return starter_content.force_children(named)[index]

        return build

    slugs = ["news", "contact-us", "accessibility-statement", "your-area"]
    return {slug: child(index) for index, slug in enumerate(slugs)}


def _starter_for(root, builders):
    def starter(node):
        builder = builders.get(node.slug)
        if builder is None or node.depth != root.depth + 1 or node.alias_of_id is not None:
            return None
        return _starter_pair(builder, Page.objects.get(pk=node.pk))

    return starter


# --- the services -----------------------------------------------------------------------------


def _translate_home(home, builder):
    """The Welsh translation of a site's ``home`` page, made from its starter content if it is
    unchanged (an alias of it otherwise)."""
    welsh = _starter_pair(builder, home)
    if welsh is not None:
        try:
            return translate(home, welsh)
        except TranslationMismatch:
            logger.warning("Home page %s could not be translated into Welsh.", home.pk)
    return home.copy_for_translation(welsh_locale(), alias=True)


@transaction.atomic
def ensure_welsh_national_tree():
    """Give the hub its Welsh tree, and keep it in step. Returns ``(welsh hub, changed)``."""
    hub, welsh_hub = hub_pages()
    if hub is None:
        return None, False
    changed = False
    if welsh_hub is None:
        welsh_hub = _translate_home(hub, lambda welsh: starter_content.hub_page())
        Site.clear_site_root_paths_cache()
        lookups.invalidate()  # every other process's site root paths too
        changed = True
    changed |= _hub_mirror(hub, welsh_hub).run()
    if changed:
        invalidate_site_chrome()
    return welsh_hub, changed


def _hub_mirror(hub, welsh_hub, anchor=None):
    """The hub's Welsh tree has the national team's translations (and the starter pages, made in
    Welsh): it follows the English tree's moves and order, and gets no stand-ins of its own for
    pages not translated yet (wagtail-localize makes those it needs as parents)."""
    return Mirror(
        hub,
        welsh_hub,
        target=lambda node: None,
        starter=_starter_for(hub, _hub_starters()),
        anchor=anchor,
    )


def _force_mirror(force, home, welsh, national, anchor=None):
    """A force's Welsh page stands in for its English counterpart: it is an alias of it until
    there is a Welsh version to show (wagtail-localize's mirrored tree, in which Wagtail passes
    each edit of the English page along). A national page's Welsh copy is instead an alias of
    the hub's Welsh page once that is translated, like the English copy of the English page.
    A journey's copy is always an alias of a national original: a report is pinned to the
    original's revision, one step away."""
    localised = dict(
        LocalisedPage.objects.filter(page__path__startswith=home.path).values_list(
            "page_id", "national_page_id"
        )
    )
    journeys = ContentType.objects.get_for_model(ReportJourneyPage).pk

    def target(node):
        if node.alias_of_id in national.national_ids:  # a copy of a national page
            if node.alias_of_id in national.translated:
                return national.translated[node.alias_of_id]
            return node.alias_of_id if node.content_type_id == journeys else node.pk
        if node.pk in localised:  # localised in English: in Welsh it shows the Welsh original
            return national.translated.get(localised[node.pk], node.pk)
        return node.alias_of_id or node.pk

    def prepare(nodes):
        national.prepare(
            {node.alias_of_id for node in nodes}
            | {localised[node.pk] for node in nodes if node.pk in localised}
        )

    return Mirror(
        home,
        welsh,
        target=target,
        follows=lambda node: node.alias_of_id in national.national_ids or node.pk in localised,
        starter=_starter_for(home, _force_starters(force)),
        anchor=anchor,
        prepare=prepare,
    )


@transaction.atomic
def ensure_welsh_site(force):
    """Give the bilingual ``force`` its Welsh tree (and the hub its own), and keep it in step.

    Returns True if anything changed.
    """
    welsh_locale()
    welsh_hub, changed = ensure_welsh_national_tree()
    home = Page.objects.get(pk=force.site.root_page_id)
    welsh = welsh_home(force)
    if welsh is None:

        def builder(is_welsh):
            name = (force.welsh_name or force.name) if is_welsh else force.name
            return starter_content.force_home_page(force.slug, name)

        welsh = _translate_home(home, builder)
        Site.clear_site_root_paths_cache()
        lookups.invalidate()  # every other process's site root paths too
        changed = True
    hub, _welsh_hub = hub_pages()
    changed |= _force_mirror(force, home, welsh, NationalWelsh.read(hub, welsh_hub)).run()
    if changed:
        invalidate_site_chrome([force.site_id])
    return changed


def bilingual_forces():
    """The forces published in Welsh, with their sites."""
    return Force.objects.filter(languages__contains=WELSH).select_related("site__root_page")


@transaction.atomic
def sync_welsh_trees(forces=None):
    """Bring the hub's Welsh tree and each bilingual force's (or only ``forces``') in line with
    their English trees. Trees not made yet are left for onboarding. Returns True if anything
    changed."""
    if welsh_locale(create=False) is None:
        return False
    hub, welsh_hub = hub_pages()
    changed = False
    if welsh_hub is not None:
        changed |= _hub_mirror(hub, welsh_hub).run()
    national = NationalWelsh.read(hub, welsh_hub)
    for force in forces if forces is not None else bilingual_forces():
        welsh = welsh_home(force)
        if welsh is None or WELSH not in force.language_codes:
            continue
        home = force.site.root_page
        changed |= _force_mirror(force, home, welsh, national).run()
    if changed:
        invalidate_site_chrome()
    return changed


def _english_counterpart(page, hub):
    """The English hub page that ``page`` (a hub page, English or Welsh) is or translates."""
    if page.path.startswith(hub.path):
        return page
    return (
        Page.objects.filter(_below(hub.path), translation_key=page.translation_key)
        .only("pk", "path", "depth")
        .first()
    )


def _copy_paths(national_page, hub, homes):
    """``{home path: path}``: where each force (of those whose home page is at one of
    ``homes``) has its copy of ``national_page``, or of its nearest ancestor it has one of."""
    ends = range(len(hub.path) + STEP, len(national_page.path) + 1, STEP)
    chain = [national_page.path[:end] for end in ends]
    ids = dict(Page.objects.filter(path__in=chain).values_list("pk", "path"))
    if not ids or not homes:
        return {}
    in_homes = reduce(or_, (_below(home) for home in homes))
    copies = list(
        Page.objects.filter(in_homes, alias_of_id__in=ids).values_list("path", "alias_of_id")
    )
    copies += LocalisedPage.objects.filter(national_page_id__in=ids).values_list(
        "page__path", "national_page_id"
    )
    deepest = {}
    for path, national_id in copies:
        home = next((home for home in homes if path.startswith(home)), None)
        if home is None:
            continue
        depth = len(ids[national_id])
        if home not in deepest or depth > deepest[home][0]:
            deepest[home] = (depth, path)
    return {home: path for home, (_depth, path) in deepest.items()}


@transaction.atomic
def sync_after_publishing(page):
    """Bring the Welsh trees in line after the hub's ``page`` (English or Welsh) was published:
    only what that page concerns (``Mirror``'s ``anchor``): its place and subtree in the hub's
    trees, and each bilingual force's copy of it (or of its nearest ancestor that the force
    has, if it lacks the page), with what lies beside them. The Welsh trees are in step
    elsewhere already: every publication, move and onboarding keeps them so. Returns True if
    anything changed."""
    if welsh_locale(create=False) is None:
        return False
    hub, welsh_hub = hub_pages()
    if hub is None:
        return False
    english = _english_counterpart(page, hub)
    if english is None or english.depth <= hub.depth:
        return sync_welsh_trees()
    national = NationalWelsh.partial(hub, welsh_hub)
    mirrors = []
    if welsh_hub is not None:
        mirrors.append(_hub_mirror(hub, welsh_hub, anchor=english.path))
        # What the forces' copies need to know is mostly about these same pages: read at once.
        national.prepare(node.pk for node in _scope_nodes(hub, english.path))
    forces = {
        force.site.root_page.path: force
        for force in bilingual_forces()
        if WELSH in force.language_codes
    }
    anchors = _copy_paths(english, hub, list(forces))
    homes = {forces[home_path].site.root_page: anchor for home_path, anchor in anchors.items()}
    welsh_homes = _welsh_homes(list(homes))
    for home, anchor in homes.items():
        force = next(force for force in forces.values() if force.site.root_page_id == home.pk)
        welsh = welsh_homes.get(home.pk)
        if welsh is not None:
            mirrors.append(_force_mirror(force, home, welsh, national, anchor=anchor))
    changed = run_together(mirrors) if mirrors else False
    if changed:
        invalidate_site_chrome()
    return changed


def _welsh_homes(homes):
    """``{home page id: its Welsh translation}`` for the given (English) home pages."""
    if not homes:
        return {}
    by_key = {home.translation_key: home.pk for home in homes}
    welsh = Page.objects.filter(
        translation_key__in=list(by_key), locale__language_code=WELSH
    ).exclude(pk__in=list(by_key.values()))
    return {by_key[page.translation_key]: page for page in welsh}


def root_of(page):
    """The page at the top of ``page``'s tree (the hub or a force's home, in any language)."""
    return Page.objects.filter(path=page.path[: 2 * STEP]).first()


def after_change(page, published=False):
    """Keep the Welsh trees in step after ``page`` was published (``published``) or moved:
    after a change to the hub (national content, English or Welsh), every tree, or only what a
    publication concerns (``sync_after_publishing``); after a change to a bilingual force's
    English tree, the force's."""
    if welsh_locale(create=False) is None:
        return False
    top = root_of(page)
    if top is None:
        return False
    if top.specific_class is HubPage:
        return sync_after_publishing(page) if published else sync_welsh_trees()
    if top.locale.language_code != settings.LANGUAGE_CODE:
        return False
    forces = list(bilingual_forces().filter(site__root_page=top))
    return sync_welsh_trees(forces) if forces else False


def remove_counterparts(page, translated_too=False):
    """Before ``page`` (an English page) is deleted: delete its pages in other languages that
    stand in for it (aliases sharing its translation key), and with ``translated_too`` its
    translations as well (a national page deleted is deleted in Welsh too)."""
    if page.locale_id != english_locale().pk:
        return 0
    counterparts = Page.objects.filter(translation_key=page.translation_key).exclude(
        locale_id=page.locale_id
    )
    if not translated_too:
        counterparts = counterparts.filter(alias_of__isnull=False)
    count = 0
    for counterpart in counterparts:
        Page.objects.get(pk=counterpart.pk).delete()
        count += 1
    return count


def unpublish_translations(page):
    """Unpublish the Welsh translations of the national ``page`` (their aliases follow)."""
    count = 0
    translations = (
        Page.objects.filter(translation_key=page.translation_key, live=True, alias_of__isnull=True)
        .exclude(pk=page.pk)
        .specific()
    )
    for welsh in translations:
        welsh.unpublish()
        count += 1
    return count
