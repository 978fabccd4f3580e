"""factory_boy factories for pages and media. Pages are added under ``parent`` and published."""

import contextlib
import io
from types import SimpleNamespace

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.images.models import Image
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import factory
import wagtail_factories
from PIL import Image as PILImage

from home.models import ContentPage, NewsPage, SectionPage


def empty_caches():
    """Empty the caches the tests fill: pages, and the shared cache (lookups, site chrome)."""
    for alias in ("default", "pages"):
        caches[alias].clear()


@contextlib.contextmanager
def kept_for_the_module(django_db_blocker):
    """For a module-scoped fixture whose data is slow to make (the demo seed, a bilingual
    force): what the block writes stays for every test of the module, each still in a savepoint
    of its own (the ``db`` fixture), and is rolled back after the module's last test. The caches
    are emptied before and after, so no other module sees what they held of it."""
    with django_db_blocker.unblock():
        empty_caches()
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
        empty_caches()


def rich_body():
    """A body that uses every block type that needs no media."""
    return [
        {"type": "heading", "value": {"text": "Protect your home", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Lock doors and windows whenever you go out.</p>"},
        {
            "type": "callout",
            "value": {
                "style": "warning",
                "heading": "",
                "text": "<p>If you are in danger, call 999.</p>",
            },
        },
        {
            "type": "accordion",
            "value": {
                "items": [
                    {"heading": "Doors", "summary": "", "content": "<p>Fit a five-lever lock.</p>"},
                    {"heading": "Windows", "summary": "", "content": "<p>Use key locks.</p>"},
                ]
            },
        },
        {
            "type": "link_list",
            "value": {
                "heading": "Get support",
                "links": [
                    {
                        "title": "Victim Support",
                        "page": None,
                        "url": "https://www.victimsupport.org.uk/",
                    }
                ],
            },
        },
        {
            "type": "contact_details",
            "value": {
                "heading": "Talk to us",
                "phone": "01234 567890",
                "email": "",
                "address": "",
                "opening_hours": "Monday to Friday, 9am to 5pm",
                "use_force_details": True,
            },
        },
    ]


class PublishedPageFactory(wagtail_factories.PageFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def publish(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.save_revision().publish()


class SectionPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Section {n}")
    intro = "<p>Advice and information.</p>"

    class Meta:
        model = SectionPage
        skip_postgeneration_save = True


class ContentPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Advice page {n}")
    search_description = "What to do and where to get help."
    body = factory.LazyFunction(rich_body)

    class Meta:
        model = ContentPage
        skip_postgeneration_save = True


class NewsPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"News article {n}")
    kind = NewsPage.Kind.NEWS
    listing_summary = "What happened and what we are doing."
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>Officers were called at 2pm.</p>"}]
    )

    class Meta:
        model = NewsPage
        skip_postgeneration_save = True


def png_bytes(colour="#1d3f77", size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_image(collection, title="Test image"):
    return Image.objects.create(
        title=title,
        collection=collection,
        file=ImageFile(io.BytesIO(png_bytes()), name=f"{title.replace(' ', '-')}.png"),
    )


def make_document(collection, title="Test document"):
    return Document.objects.create(
        title=title,
        collection=collection,
        file=ContentFile(b"%PDF-1.4 test", name=f"{title.replace(' ', '-')}.pdf"),
    )


def editor_form(page, title, body="<p>Changed body.</p>", **actions):
    """What Wagtail's page editor posts for a ContentPage ``page`` with a new title and body,
    plus any action buttons (``publish="Publish"``, ``submit="Submit"`` …)."""
    data = nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "body": streamfield([("paragraph", rich_text(body))]),
            "comments": inline_formset([]),
        }
    )
    data.update({f"action-{name}": value for name, value in actions.items()})
    return data


def rural_crime_page(section):
    """A force's own advice page in English, with the Welsh translation below ready to add."""
    return ContentPageFactory(
        parent=section,
        title="Rural crime",
        slug="rural-crime",
        search_description="Keep farms safe.",
        listing_summary="",
        body=[{"type": "paragraph", "value": "<p>Lock your tractor.</p>"}],
    )


def translate_rural_crime(page):
    """Publish the Welsh translation of ``rural_crime_page``."""
    from forces.national import bilingual

    bilingual.translate(
        page,
        ContentPage(
            title="Troseddau cefn gwlad",
            slug="rural-crime",
            search_description="Cadw ffermydd yn ddiogel.",
            body=[{"type": "paragraph", "value": "<p>Cloi eich tractor.</p>"}],
        ),
    )


# --- Reporting journeys over HTTP (save and return, insight, feedback) ---------------------------


def make_journey_page(force, steps, slug="test-journey", code="TST", title="Report an incident"):
    """A ``ReportJourneyPage`` with ``steps`` (``reporting.journey_builder`` data), published
    under ``force``'s report hub (made if missing)."""
    from reporting.models import ReportHubPage, ReportJourneyPage

    home = force.site.root_page
    hub = ReportHubPage.objects.child_of(home).first()
    if hub is None:
        hub = ReportHubPage(title="Report", slug="report")
        home.add_child(instance=hub)
        hub.save_revision().publish()
        hub = ReportHubPage.objects.get(pk=hub.pk)
    page = ReportJourneyPage(title=title, slug=slug, code=code, summary="Test")
    page.steps = steps
    hub.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


class JourneyClient:
    """A browser going through a journey on one site over HTTP (the client keeps its cookies)."""

    def __init__(self, client, host, page):
        self.client = client
        self.host = host
        self.base = page.url_path[len(page.get_site().root_page.url_path) - 1 :]

    def get(self, path="", **kwargs):
        return self.client.get(self.base + path, HTTP_HOST=self.host, **kwargs)

    def post(self, path, data=None, **kwargs):
        return self.client.post(self.base + path, data or {}, HTTP_HOST=self.host, **kwargs)

    def start(self):
        response = self.post("start/")
        assert response.status_code == 302, response
        return response

    def answer(self, step_id, data):
        return self.post(f"step/{step_id}/", {"action": "continue", **data})


# --- A force's content in every state, for the access tests ------------------------------------


def png(name):
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "#1d3f77").save(buffer, "PNG")
    return ImageFile(buffer, name=name)


def build_force(force, code, author, moderator):
    """A draft in moderation (locked), a live page with a pending change, an image, a document."""
    home = force.site.root_page.specific
    draft = home.add_child(
        instance=ContentPage(
            title=f"{code}-DRAFT-SECRET",
            slug=f"{code.lower()}-draft-secret",
            live=False,
            owner=author,
            body=[("paragraph", "<p>Draft body.</p>")],
        )
    )
    draft.save_revision(user=author)
    workflow_state = draft.get_workflow().start(draft, author)
    Page.objects.filter(pk=draft.pk).update(locked=True, locked_by=author, locked_at=timezone.now())

    live = home.add_child(
        instance=ContentPage(
            title=f"{code}-LIVE-PAGE",
            slug=f"{code.lower()}-live-page",
            owner=author,
            body=[("paragraph", "<p>Live body.</p>")],
        )
    )
    published = live.save_revision(user=moderator)
    published.publish(user=moderator)
    live.refresh_from_db()
    live.title = f"{code}-PENDING-SECRET"
    pending = live.save_revision(user=author)
    live.refresh_from_db()

    image = get_image_model().objects.create(
        title=f"{code}-IMAGE-SECRET",
        file=png(f"{code.lower()}-image.png"),
        collection=force.collection,
        uploaded_by_user=author,
    )
    document = get_document_model().objects.create(
        title=f"{code}-DOCUMENT-SECRET",
        file=ContentFile(b"Secret document.", name=f"{code.lower()}-document.txt"),
        collection=force.collection,
        uploaded_by_user=author,
    )
    for instance in (image, document):
        instance.tags.add(f"{code}-TAG-SECRET")
    for instance in (image, document, force):
        log(instance=instance, action="wagtail.edit", user=author)
    return SimpleNamespace(
        force=force,
        code=code,
        home=home,
        draft=draft,
        live=live,
        published_revision=published,
        pending_revision=pending,
        workflow_state=workflow_state,
        task_state=workflow_state.current_task_state,
        image=image,
        document=document,
        collection=force.collection,
        author=author,
        secrets=[
            f"{code}-DRAFT-SECRET",
            f"{code}-PENDING-SECRET",
            f"{code}-LIVE-PAGE",
            f"{code}-IMAGE-SECRET",
            f"{code}-DOCUMENT-SECRET",
            f"{code}-TAG-SECRET",
        ],
    )


# --- Forms as the admin posts them --------------------------------------------------------------


def settings_form(force, **changes):
    """What the force settings form posts, with ``changes``."""
    data = {
        "name": force.name,
        "welsh_name": force.welsh_name,
        "short_name": force.short_name,
        "primary_colour": force.primary_colour,
        "secondary_colour": force.secondary_colour,
        "logo": "",
        "phone_non_emergency": force.phone_non_emergency,
        "phone_textphone": force.phone_textphone,
        "emergency_text": force.emergency_text,
        "email": force.email,
        "address": force.address,
        "facebook_url": "",
        "x_url": "",
        "instagram_url": "",
        "youtube_url": "",
        "phase": force.phase,
        "phase_feedback_url": force.phase_feedback_url,
    }
    data.update(changes)
    return data
