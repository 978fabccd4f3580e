"""The permission matrix: a force's editors and moderators work on their own force only.

For a force-editor and a force-moderator of force A (the Met), every admin screen that shows or
changes the pages, revisions, previews, history, images, documents, collections, choosers and
settings of force B (Thames Valley) or of the national tree is refused, or (for listings) leaves
B's content out; the same screens for force A work. Everything goes through the admin over HTTP,
as a real user would.
"""

from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision, Site, TaskState, WorkflowState

import pytest

from forces.models import Force
from forces.roles import FORCE_EDITOR, FORCE_MODERATOR, REPORT_HANDLER
from home.models import ContentPage
from tests.factories import build_force, editor_form, png

pytestmark = pytest.mark.django_db

ROLES = [FORCE_EDITOR, FORCE_MODERATOR]
ADMIN_HOME = "/admin/"
LOGIN = "/admin/login/"


# --- the world: content of force A, force B and the national tree ---------------------------


@pytest.fixture
def world(forces, hub, make_user):
    a_force, b_force = forces["met"], forces["thames-valley"]
    a = build_force(
        a_force,
        "MPS",
        make_user("mps-author", FORCE_EDITOR, a_force),
        make_user("mps-boss", FORCE_MODERATOR, a_force),
    )
    b = build_force(
        b_force,
        "TVP",
        make_user("tvp-author", FORCE_EDITOR, b_force),
        make_user("tvp-boss", FORCE_MODERATOR, b_force),
    )
    national_draft = hub.add_child(
        instance=ContentPage(
            title="NATIONAL-DRAFT-SECRET",
            slug="national-draft-secret",
            live=False,
            body=[("paragraph", "<p>National draft.</p>")],
        )
    )
    national_draft.save_revision()
    return SimpleNamespace(a=a, b=b, hub=hub, national_draft=national_draft)


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@pytest.fixture
def user(world, role, make_user):
    return make_user(f"mps-{role}", role, world.a.force)


@pytest.fixture
def admin(client, user):
    client.force_login(user)
    return client


# --- assertions ---------------------------------------------------------------------------


def text_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace").lower()


def assert_refused(response, secrets, label, also=()):
    """Refused: 403/404 (or ``also``, e.g. an API's 400 or a redirect to one's own explorer
    page), or a redirect to the admin home or login; and no secret in the body."""
    status = response.status_code
    if status in (301, 302):
        target = urlsplit(response["Location"]).path
        assert target in (ADMIN_HOME, LOGIN, *also), f"{label}: redirected to {target}"
    else:
        assert status in (403, 404, *also), f"{label}: status {status}"
    body = text_of(response)
    leaked = [secret for secret in secrets if secret.lower() in body]
    assert not leaked, f"{label}: refused but shows {leaked}"


def assert_hidden(response, secrets, label):
    """A listing that works but leaves out everything in ``secrets``."""
    assert response.status_code == 200, f"{label}: status {response.status_code}"
    body = text_of(response)
    leaked = [secret for secret in secrets if secret.lower() in body]
    assert not leaked, f"{label}: shows {leaked}"


def assert_works(response, label, shows=()):
    assert response.status_code == 200, f"{label}: status {response.status_code}"
    body = text_of(response)
    missing = [text for text in shows if text.lower() not in body]
    assert not missing, f"{label}: does not show {missing}"


# --- the screens ----------------------------------------------------------------------------


def url(name, *args, query=None):
    address = reverse(name, args=args)
    return f"{address}?{urlencode(query)}" if query else address


def page_screens(page, revisions=(), workflow_state=None):
    """Every admin GET screen about one page: (label, address)."""
    pid = page.pk
    p = "wagtailadmin_pages:"
    screens = [
        ("edit", url(p + "edit", pid)),
        ("history", url(p + "history", pid)),
        ("history results", url(p + "history_results", pid)),
        ("compare earliest...latest", url(p + "revisions_compare", pid, "earliest", "latest")),
        ("view draft", url(p + "view_draft", pid)),
        ("edit preview", url(p + "preview_on_edit", pid)),
        ("delete", url(p + "delete", pid)),
        ("move", url(p + "move", pid)),
        ("copy", url(p + "copy", pid)),
        ("unpublish", url(p + "unpublish", pid)),
        ("privacy", url(p + "set_privacy", pid)),
        ("usage", url(p + "usage", pid)),
        ("workflow history", url(p + "workflow_history", pid)),
        ("workflow cancellation", url(p + "confirm_workflow_cancellation", pid)),
        ("add subpage", url(p + "add_subpage", pid)),
        ("explore children", url("wagtailadmin_explore", pid)),
        ("explore children results", url("wagtailadmin_explore_results", pid)),
        ("chooser browse", url("wagtailadmin_choose_page_child", pid)),
        ("admin API detail", url("wagtailadmin_api:pages:detail", pid)),
        ("admin API children", url("wagtailadmin_api:pages:listing", query={"child_of": pid})),
        ("translate", url("wagtail_localize:submit_page_translation", pid)),
        ("translation to alias", url("wagtail_localize:convert_to_alias", pid)),
    ]
    for revision in revisions:
        rid = revision.pk
        screens += [
            (f"revision {rid} view", url(p + "revisions_view", pid, rid)),
            (f"revision {rid} revert", url(p + "revisions_revert", pid, rid)),
            (f"revision {rid} unschedule", url(p + "revisions_unschedule", pid, rid)),
            (f"revision {rid} compare live", url(p + "revisions_compare", pid, "live", rid)),
        ]
    if len(revisions) > 1:
        first, last = revisions[0].pk, revisions[-1].pk
        screens.append(("compare revisions", url(p + "revisions_compare", pid, first, last)))
    if workflow_state is not None:
        task_state = workflow_state.current_task_state
        screens += [
            (
                "workflow history detail",
                url(p + "workflow_history_detail", pid, workflow_state.pk),
            ),
            ("workflow preview", url(p + "workflow_preview", pid, task_state.task_id)),
            ("workflow approve", url(p + "workflow_action", pid, "approve", task_state.pk)),
            (
                "workflow collect data",
                url(p + "collect_workflow_action_data", pid, "approve", task_state.pk),
            ),
        ]
    return screens


def force_page_screens(side):
    return [
        *page_screens(side.draft, [side.draft.latest_revision], side.workflow_state),
        *page_screens(side.live, [side.published_revision, side.pending_revision]),
        *page_screens(side.home, list(side.home.revisions.order_by("pk")[:1])),
        (
            "add content page",
            url("wagtailadmin_pages:add", "home", "contentpage", side.home.pk),
        ),
        (
            "add preview",
            url("wagtailadmin_pages:preview_on_add", "home", "contentpage", side.home.pk),
        ),
    ]


def get_all(client, screens):
    return [(label, address, client.get(address)) for label, address in screens]


def other_secrets(world):
    """Everything of force B and of the national tree that force A must never see."""
    return [*world.b.secrets, "NATIONAL-DRAFT-SECRET"]


def refusal_variants(world, label):
    """What besides 403/404 and a redirect home counts as a refusal for ``label``."""
    if label.startswith("admin API"):
        return (400,)
    if label.startswith("explore"):
        # The explorer sends someone who may not look at a page back to their own tree.
        return (url("wagtailadmin_explore", world.a.home.pk),)
    return ()


# --- pages of force B and of the national tree -----------------------------------------------


def national_page_screens(world):
    hub, draft = world.hub, world.national_draft
    return [
        *page_screens(draft, [draft.latest_revision]),
        *[
            screen
            for screen in page_screens(hub, list(hub.revisions.order_by("pk")[:1]))
            # Live national pages may be linked to from a force's pages: see the listings test.
            if screen[0] != "chooser browse"
        ],
        ("add national page", url("wagtailadmin_pages:add", "home", "contentpage", hub.pk)),
    ]


def cross_object_screens(world):
    """Force A's page in the address with force B's revision, workflow, task or page ids."""
    a, b = world.a, world.b
    p = "wagtailadmin_pages:"
    return [
        ("view B revision", url(p + "revisions_view", a.live.pk, b.pending_revision.pk)),
        ("revert to B revision", url(p + "revisions_revert", a.live.pk, b.pending_revision.pk)),
        (
            "compare with B revision",
            url(p + "revisions_compare", a.live.pk, a.published_revision.pk, b.pending_revision.pk),
        ),
        ("B workflow history", url(p + "workflow_history_detail", a.draft.pk, b.workflow_state.pk)),
        ("B task action", url(p + "workflow_action", a.draft.pk, "approve", b.task_state.pk)),
        (
            "B task data",
            url(p + "collect_workflow_action_data", a.draft.pk, "approve", b.task_state.pk),
        ),
        ("move A page into B", url(p + "move_confirm", a.draft.pk, b.home.pk)),
        ("move A page under B draft", url(p + "move_confirm", a.draft.pk, b.draft.pk)),
        ("move B draft into A", url(p + "move_confirm", b.draft.pk, a.home.pk)),
        ("move B page into A", url(p + "move_confirm", b.live.pk, a.home.pk)),
    ]


def bulk_page_screens(world):
    """The bulk actions' confirmation screens, which name the pages they were given."""
    b, root = world.b, Page.get_first_root_node().pk
    screens = []
    for action in ("delete", "publish", "unpublish", "move"):
        address = url("wagtail_bulk_action", "wagtailcore", "page", action)
        screens += [
            (f"bulk {action} B pages", f"{address}?id={b.draft.pk}&id={b.live.pk}"),
            (f"bulk {action} national draft", f"{address}?id={world.national_draft.pk}"),
            (f"bulk {action} all of B", f"{address}?id=all&childOf={b.home.pk}"),
            (f"bulk {action} everything", f"{address}?id=all"),
            (f"bulk {action} search", f"{address}?id=all&childOf={root}&q=secret"),
        ]
    return screens


def test_force_b_and_national_page_screens_are_refused(admin, world):
    screens = [
        *force_page_screens(world.b),
        *national_page_screens(world),
        *cross_object_screens(world),
        *bulk_page_screens(world),
    ]
    assert len(screens) > 150
    for label, address, response in get_all(admin, screens):
        assert_refused(
            response, other_secrets(world), f"{label} {address}", refusal_variants(world, label)
        )


EVERY_ROLE = set(ROLES)
MODERATORS = {FORCE_MODERATOR}


def own_page_expectations(a):
    """Force A's page screens and the roles that may use each (the others are refused)."""
    p = "wagtailadmin_pages:"
    everyone_on_every_page = [
        "edit",
        "history",
        "history results",
        "compare earliest...latest",
        "view draft",
        "edit preview",
        "copy",
        "usage",
        "workflow history",
        "explore children",
        "explore children results",
        "chooser browse",
        "admin API detail",
        "admin API children",
    ]
    # Screens that show the page's latest draft (for the live page, its pending change).
    showing_the_draft = {"edit", "history", "view draft"}
    expectations = []
    for page in (a.draft, a.live, a.home):
        by_label = dict(page_screens(page, list(page.revisions.order_by("pk"))))
        expectations += [
            (label, by_label[label], EVERY_ROLE, [page.draft_title] * (label in showing_the_draft))
            for label in everyone_on_every_page
        ]
        for revision in page.revisions.order_by("pk"):
            rid = revision.pk
            for what in ("view", "revert", "compare live"):
                label = f"revision {rid} {what}"
                expectations.append((label, by_label[label], EVERY_ROLE))
    task_state = a.task_state
    expectations += [
        ("delete own draft", url(p + "delete", a.draft.pk), EVERY_ROLE),
        ("move own draft", url(p + "move", a.draft.pk), EVERY_ROLE),
        (
            "workflow detail",
            url(p + "workflow_history_detail", a.draft.pk, a.workflow_state.pk),
            EVERY_ROLE,
        ),
        ("add subpage", url(p + "add_subpage", a.home.pk), EVERY_ROLE),
        ("add content page", url(p + "add", "home", "contentpage", a.home.pk), EVERY_ROLE),
        ("add preview", url(p + "preview_on_add", "home", "contentpage", a.home.pk), EVERY_ROLE),
        (
            "bulk delete own draft",
            url("wagtail_bulk_action", "wagtailcore", "page", "delete", query={"id": a.draft.pk}),
            EVERY_ROLE,
        ),
        (
            "bulk publish all own",
            url(
                "wagtail_bulk_action",
                "wagtailcore",
                "page",
                "publish",
                query={"id": "all", "childOf": a.home.pk},
            ),
            EVERY_ROLE,
        ),
        # Publishing and what goes with it is for moderators only.
        ("delete live page", url(p + "delete", a.live.pk), MODERATORS),
        ("move live page", url(p + "move", a.live.pk), MODERATORS),
        ("unpublish", url(p + "unpublish", a.live.pk), MODERATORS),
        ("privacy", url(p + "set_privacy", a.live.pk), MODERATORS),
        ("review preview", url(p + "workflow_preview", a.draft.pk, task_state.task_id), MODERATORS),
        (
            "review approve",
            url(p + "workflow_action", a.draft.pk, "approve", task_state.pk),
            MODERATORS,
        ),
        (
            "review data",
            url(p + "collect_workflow_action_data", a.draft.pk, "approve", task_state.pk),
            MODERATORS,
        ),
    ]
    return expectations


def test_own_force_page_screens_work(admin, world, role):
    for label, address, roles, *shows in own_page_expectations(world.a):
        response = admin.get(address)
        if role in roles:
            assert_works(response, f"{label} {address}", *shows)
        else:
            assert_refused(response, other_secrets(world), f"{label} {address}")

    # Previewing an edit: the editor posts the form, then the preview shows it.
    preview = url("wagtailadmin_pages:preview_on_edit", world.a.live.pk)
    response = admin.post(preview, page_form(world.a.live, "MPS-PREVIEWED"))
    assert response.json()["is_valid"]
    assert_works(admin.get(preview), "edit preview", ["MPS-PREVIEWED"])


# --- listings, search, choosers, API, dashboard and reports ---------------------------------


def listing_expectations(world, role):
    """Screens that list content: (label, address, what of force A each must show)."""
    a, hub = world.a, world.hub
    api = "wagtailadmin_api:"
    root = Page.get_first_root_node().pk
    reviewer = [a.draft.title] if role == FORCE_MODERATOR else []
    return [
        ("explorer", url("wagtailadmin_explore_root"), [a.draft.title, "MPS-PENDING-SECRET"]),
        ("explorer at tree root", url("wagtailadmin_explore", root), [a.draft.title]),
        ("explorer results", url("wagtailadmin_explore_results", a.home.pk), [a.draft.title]),
        ("admin search", url("wagtailadmin_pages:search", query={"q": "secret"}), [a.draft.title]),
        (
            "admin search results",
            url("wagtailadmin_pages:search_results", query={"q": "secret"}),
            [a.draft.title],
        ),
        (
            "page type usage",
            url("wagtailadmin_pages:type_use", "home", "contentpage"),
            [a.draft.title],
        ),
        ("choose parent", url("wagtailadmin_pages:choose_parent", "home", "contentpage"), []),
        ("API pages", url(api + "pages:listing"), [a.draft.title]),
        ("API search", url(api + "pages:listing", query={"search": "secret"}), [a.draft.title]),
        ("API root children", url(api + "pages:listing", query={"child_of": root}), [a.home.title]),
        (
            "API explorer",
            url(api + "pages:listing", query={"for_explorer": 1, "child_of": a.home.pk}),
            [a.draft.title],
        ),
        (
            "API descendants",
            url(api + "pages:listing", query={"descendant_of": a.home.pk}),
            [a.draft.title],
        ),
        ("API images", url(api + "images:listing"), [a.image.title]),
        ("API documents", url(api + "documents:listing"), [a.document.title]),
        ("chooser root", url("wagtailadmin_choose_page"), [a.home.title]),
        (
            "chooser for content pages",
            url("wagtailadmin_choose_page", query={"page_type": "home.contentpage"}),
            [a.home.title],
        ),
        ("chooser own home", url("wagtailadmin_choose_page_child", a.home.pk), [a.draft.title]),
        ("chooser national home", url("wagtailadmin_choose_page_child", hub.pk), []),
        (
            "chooser search",
            url("wagtailadmin_choose_page_search", query={"q": "secret"}),
            [a.draft.title],
        ),
        ("dashboard", url("wagtailadmin_home"), reviewer),
        ("site history", url("wagtailadmin_reports:site_history"), [a.draft.title]),
        (
            "site history results",
            url("wagtailadmin_reports:site_history_results"),
            [a.draft.title],
        ),
        ("locked pages", url("wagtailadmin_reports:locked_pages"), reviewer),
        (
            "aging pages",
            url("wagtailadmin_reports:aging_pages"),
            ["MPS-LIVE-PAGE"] if role == FORCE_MODERATOR else [],
        ),
        ("workflows report", url("wagtailadmin_reports:workflow"), [a.draft.title]),
        ("workflow tasks report", url("wagtailadmin_reports:workflow_tasks"), [a.draft.title]),
        ("translations report", url("wagtail_localize:translations_report"), []),
        ("image index", url("wagtailimages:index"), [a.image.title, "MPS-TAG-SECRET"]),
        (
            "image index search",
            url("wagtailimages:index_results", query={"q": "secret"}),
            [a.image.title],
        ),
        ("image chooser", url("wagtailimages_chooser:choose"), [a.image.title, "MPS-TAG-SECRET"]),
        (
            "image chooser search",
            url("wagtailimages_chooser:choose_results", query={"q": "secret"}),
            [a.image.title],
        ),
        ("document index", url("wagtaildocs:index"), [a.document.title, "MPS-TAG-SECRET"]),
        (
            "document index search",
            url("wagtaildocs:index_results", query={"q": "secret"}),
            [a.document.title],
        ),
        ("document chooser", url("wagtaildocs_chooser:choose"), [a.document.title]),
        (
            "document chooser search",
            url("wagtaildocs_chooser:choose_results", query={"q": "secret"}),
            [a.document.title],
        ),
        ("snippets", url("wagtailsnippets:index"), []),
        ("forms", url("wagtailforms:index"), []),
        ("force settings", url("force_settings:index_results"), [a.force.name]),
    ]


def test_listings_leave_out_force_b_and_national_drafts(admin, world, role):
    for label, address, shows in listing_expectations(world, role):
        response = admin.get(address, follow=True)
        assert_hidden(response, other_secrets(world), f"{label} {address}")
        assert_works(response, f"{label} {address}", shows)

    # Tag suggestions (for images and documents) come from one's own force's media only.
    for address in (
        url("wagtailadmin_tag_autocomplete"),
        url("wagtailadmin_tag_model_autocomplete", "taggit", "tag"),
    ):
        assert admin.get(address, {"term": "tvp"}).json() == []
        assert admin.get(address, {"term": "mps"}).json() == ["MPS-TAG-SECRET"]

    # Page types usage names the latest edited page of each type on every site.
    for name in ("page_types_usage", "page_types_usage_results"):
        address = url(f"wagtailadmin_reports:{name}")
        assert_refused(admin.get(address), other_secrets(world), address)
    if role == FORCE_EDITOR:  # the locked pages report is for those who may unlock pages
        address = url("wagtailadmin_reports:locked_pages")
        assert_refused(admin.get(address), other_secrets(world), address)
    menu = text_of(admin.get(url("wagtailadmin_home")))
    assert url("wagtailadmin_reports:page_types_usage") not in menu


# --- images and documents -------------------------------------------------------------------


def media_screens(side):
    image, document = side.image.pk, side.document.pk
    return [
        ("image edit", url("wagtailimages:edit", image)),
        ("image delete", url("wagtailimages:delete", image)),
        ("image usage", url("wagtailimages:image_usage", image)),
        ("image preview", url("wagtailimages:preview", image, "original")),
        ("image chosen", url("wagtailimages_chooser:chosen", image)),
        ("image select format", url("wagtailimages_chooser:select_format", image)),
        ("API image", url("wagtailadmin_api:images:detail", image)),
        (
            "bulk delete image",
            url("wagtail_bulk_action", "wagtailimages", "image", "delete", query={"id": image}),
        ),
        (
            "bulk tag image",
            url("wagtail_bulk_action", "wagtailimages", "image", "add_tags", query={"id": image}),
        ),
        ("document edit", url("wagtaildocs:edit", document)),
        ("document delete", url("wagtaildocs:delete", document)),
        ("document usage", url("wagtaildocs:document_usage", document)),
        ("document chosen", url("wagtaildocs_chooser:chosen", document)),
        ("API document", url("wagtailadmin_api:documents:detail", document)),
        (
            "bulk delete document",
            url("wagtail_bulk_action", "wagtaildocs", "document", "delete", query={"id": document}),
        ),
    ]


def chosen_multiple(side):
    return [
        (
            "images chosen",
            url("wagtailimages_chooser:chosen_multiple", query={"id": side.image.pk}),
        ),
        (
            "documents chosen",
            url("wagtaildocs_chooser:chosen_multiple", query={"id": side.document.pk}),
        ),
    ]


def test_media_of_force_b_is_refused_and_own_media_works(admin, world):
    a, b, secrets = world.a, world.b, other_secrets(world)
    for label, address, response in get_all(admin, media_screens(b)):
        assert_refused(response, secrets, f"{label} {address}", refusal_variants(world, label))
    for label, address, response in get_all(admin, chosen_multiple(b)):
        assert_hidden(response, secrets, f"{label} {address}")
    # The URL generator is off (no image serve view), so it is refused for every image.
    for image in (a.image, b.image):
        assert_refused(admin.get(url("wagtailimages:url_generator", image.pk)), secrets, "URLs")

    # Wagtail treats deleting media as changing it: editors may delete their force's media too.
    for label, address, response in get_all(admin, media_screens(a)):
        assert_works(response, f"{label} {address}")
    for (label, address, response), title in zip(
        get_all(admin, chosen_multiple(a)), (a.image.title, a.document.title), strict=True
    ):
        assert_works(response, f"{label} {address}", [title])


# --- publishing: moderators directly, editors through the force's moderation workflow ----------


def page_form(page, title, **actions):
    return editor_form(page, title, "<p>Changed body.</p>", **actions)


def live_title(page):
    return Page.objects.get(pk=page.pk).title


def test_moderator_publishes_own_force_page_directly(client, world, make_user):
    moderator = make_user("mps-moderator", FORCE_MODERATOR, world.a.force)
    client.force_login(moderator)
    page = world.a.live
    response = client.post(
        url("wagtailadmin_pages:edit", page.pk), page_form(page, "MPS published", publish="1")
    )
    assert response.status_code == 302, text_of(response)[:2000]
    assert live_title(page) == "MPS published"


def test_editor_publish_goes_through_moderation(client, world, make_user):
    a = world.a
    editor = make_user("mps-editor", FORCE_EDITOR, a.force)
    client.force_login(editor)
    page = a.live
    edit = url("wagtailadmin_pages:edit", page.pk)

    # The editor has no publish button; a hand-made "publish" only saves a draft.
    assert 'name="action-publish"' not in text_of(client.get(edit))
    client.post(edit, page_form(page, "MPS by editor", publish="1"))
    assert live_title(page) == "MPS-LIVE-PAGE"

    # "Submit to moderation" starts the force's workflow; the page stays as it was.
    response = client.post(edit, page_form(page, "MPS submitted", submit="1"))
    assert response.status_code == 302
    state = WorkflowState.objects.active().get(base_content_type__isnull=False, object_id=page.pk)
    assert state.workflow.name == f"{a.force.name} moderation"
    assert live_title(page) == "MPS-LIVE-PAGE"

    # A moderator of the force approves it, and only then is it live.
    client.force_login(make_user("mps-approver", FORCE_MODERATOR, a.force))
    task_state = state.current_task_state
    response = client.post(
        url("wagtailadmin_pages:workflow_action", page.pk, "approve", task_state.pk)
    )
    assert response.status_code == 302
    assert live_title(page) == "MPS submitted"


def test_moderator_cannot_publish_or_approve_another_forces_page(client, world, make_user):
    a, b = world.a, world.b
    client.force_login(make_user("mps-moderator", FORCE_MODERATOR, a.force))
    page = b.live
    response = client.post(
        url("wagtailadmin_pages:edit", page.pk), page_form(page, "Hijacked", publish="1")
    )
    assert_refused(response, other_secrets(world), "publish B's page")
    assert live_title(page) == "TVP-LIVE-PAGE"
    for page_id in (b.draft.pk, a.draft.pk):  # B's task, through B's page or A's
        response = client.post(
            url("wagtailadmin_pages:workflow_action", page_id, "approve", b.task_state.pk)
        )
        assert_refused(response, other_secrets(world), f"approve B's task via page {page_id}")
    assert TaskState.objects.get(pk=b.task_state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert not Page.objects.get(pk=b.draft.pk).live


# --- changing force B's and the national tree's content ---------------------------------------


def snapshot(world):
    """Everything outside force A that a change through the admin could touch."""
    a = world.a
    pages = Page.objects.exclude(path__startswith=a.home.path)
    page_ids = list(pages.values_list("pk", flat=True))
    own_media = {"collection": a.collection}
    return {
        "pages": list(
            pages.order_by("pk").values_list(
                "pk",
                "path",
                "title",
                "draft_title",
                "slug",
                "live",
                "locked",
                "latest_revision_id",
                "has_unpublished_changes",
                "alias_of_id",
            )
        ),
        "revisions": Revision.page_revisions.filter(object_id__in=map(str, page_ids)).count(),
        "workflow states": list(WorkflowState.objects.order_by("pk").values_list("pk", "status")),
        "task states": list(TaskState.objects.order_by("pk").values_list("pk", "status")),
        "restrictions": list(
            Page.objects.filter(view_restrictions__isnull=False).values_list("pk", flat=True)
        ),
        "images": list(
            get_image_model()
            .objects.exclude(**own_media)
            .order_by("pk")
            .values_list("pk", "title", "collection_id", "file")
        ),
        "documents": list(
            get_document_model()
            .objects.exclude(**own_media)
            .order_by("pk")
            .values_list("pk", "title", "collection_id", "file")
        ),
        "forces": list(Force.objects.exclude(pk=a.force.pk).order_by("pk").values()),
        "collections": list(Collection.objects.order_by("pk").values_list("pk", "path", "name")),
        "sites": list(Site.objects.order_by("pk").values()),
    }


def change_requests(world):
    """POSTs that would change force B's or the national tree's content: (label, address, data)."""
    a, b, hub, national = world.a, world.b, world.hub, world.national_draft
    p = "wagtailadmin_pages:"
    api = "wagtailadmin_api:pages:action"
    bulk = "wagtail_bulk_action"
    requests = []
    for page in (b.draft, b.live, b.home, national, hub):
        pid = page.pk
        requests += [
            (f"save {pid}", url(p + "edit", pid), page_form(page, "HIJACKED")),
            (f"publish {pid}", url(p + "edit", pid), page_form(page, "HIJACKED", publish="1")),
            (f"submit {pid}", url(p + "edit", pid), page_form(page, "HIJACKED", submit="1")),
            (f"preview {pid}", url(p + "preview_on_edit", pid), page_form(page, "HIJACKED")),
            (f"delete {pid}", url(p + "delete", pid), {}),
            (f"unpublish {pid}", url(p + "unpublish", pid), {}),
            (f"lock {pid}", url(p + "lock", pid), {}),
            (f"unlock {pid}", url(p + "unlock", pid), {}),
            (f"move {pid} into A", url(p + "move_confirm", pid, a.home.pk), {}),
            (
                f"copy {pid} into A",
                url(p + "copy", pid),
                {"new_title": "HIJACKED", "new_slug": "hijacked", "new_parent_page": a.home.pk},
            ),
            (
                f"privacy {pid}",
                url(p + "set_privacy", pid),
                {"restriction_type": "password", "password": "secret-password"},
            ),
            (f"reorder {pid}", url(p + "set_page_position", pid, query={"position": 0}), {}),
            (f"convert alias {pid}", url(p + "convert_alias", pid), {}),
            (f"workflow cancel {pid}", url(p + "confirm_workflow_cancellation", pid), {}),
            (
                f"editing session {pid}",
                url("wagtailadmin_editing_sessions:ping", "wagtailcore", "page", pid, 0),
                {},
            ),
            (
                f"translate {pid}",
                url("wagtail_localize:submit_page_translation", pid),
                {"locales": []},
            ),
            (
                f"add under {pid}",
                url(p + "add", "home", "contentpage", pid),
                page_form(ContentPage(slug="hijacked"), "HIJACKED", publish="1"),
            ),
            *[
                (f"API {action} {pid}", url(api, pid, action), data)
                for action, data in (
                    ("publish", {}),
                    ("unpublish", {}),
                    ("delete", {}),
                    ("convert_alias", {}),
                    ("copy", {"destination_page_id": a.home.pk, "slug": "hijacked"}),
                    ("move", {"destination_page_id": a.home.pk}),
                    ("create_alias", {"destination_page_id": a.home.pk, "new_slug": "hijacked"}),
                    ("revert_to_page_revision", {"revision_id": page.latest_revision_id}),
                )
            ],
            *[
                (
                    f"bulk {action} {pid}",
                    url(bulk, "wagtailcore", "page", action, query={"id": pid}),
                    {},
                )
                for action in ("delete", "publish", "unpublish")
            ],
        ]
    # Force A's pages into force B's tree.
    for page in (a.draft, a.live):
        pid = page.pk
        requests += [
            (f"move A {pid} into B", url(p + "move_confirm", pid, b.home.pk), {}),
            (
                f"copy A {pid} into B",
                url(p + "copy", pid),
                {"new_title": "HIJACKED", "new_slug": "hijacked", "new_parent_page": b.home.pk},
            ),
            (
                f"API copy A {pid} into B",
                url(api, pid, "copy"),
                {"destination_page_id": b.home.pk, "slug": "hijacked"},
            ),
            (f"API move A {pid} into B", url(api, pid, "move"), {"destination_page_id": b.home.pk}),
            (
                f"API alias A {pid} in B",
                url(api, pid, "create_alias"),
                {"destination_page_id": b.home.pk, "new_slug": "hijacked"},
            ),
            *[
                (
                    f"bulk move A {pid} to {target.pk}",
                    url(bulk, "wagtailcore", "page", "move", query={"id": pid}),
                    {"chooser": target.pk},
                )
                for target in (b.home, b.draft, national)
            ],
        ]
    requests += [
        (
            "revert B revision",
            url(p + "revisions_revert", b.live.pk, b.published_revision.pk),
            page_form(b.live, "HIJACKED", publish="1"),
        ),
        ("approve B task", url(p + "workflow_action", b.draft.pk, "approve", b.task_state.pk), {}),
        (
            "reject B task",
            url(p + "workflow_action", b.draft.pk, "reject", b.task_state.pk),
            {"comment": "no"},
        ),
        (
            "approve B task via A page",
            url(p + "workflow_action", a.draft.pk, "approve", b.task_state.pk),
            {},
        ),
        (
            "choose B as parent",
            url(p + "choose_parent", "home", "contentpage"),
            {"parent_page": b.home.pk},
        ),
    ]
    return requests


def media_change_requests(world):
    b = world.b
    image, document, collection = b.image.pk, b.document.pk, b.collection.pk
    bulk = "wagtail_bulk_action"
    return [
        (
            "image edit",
            url("wagtailimages:edit", image),
            {"title": "HIJACKED", "collection": collection},
        ),
        ("image delete", url("wagtailimages:delete", image), {}),
        (
            "image edit multiple",
            url("wagtailimages:edit_multiple", image),
            {f"image-{image}-title": "HIJACKED", f"image-{image}-collection": collection},
        ),
        ("image delete multiple", url("wagtailimages:delete_multiple", image), {}),
        (
            "image upload into B",
            url("wagtailimages:add"),
            {"title": "HIJACKED", "collection": collection, "file": png("hijack.png")},
        ),
        (
            "image chooser upload into B",
            url("wagtailimages_chooser:create"),
            {
                "image-chooser-upload-title": "HIJACKED",
                "image-chooser-upload-collection": collection,
                "image-chooser-upload-file": png("hijack.png"),
            },
        ),
        (
            "bulk delete images",
            url(bulk, "wagtailimages", "image", "delete", query={"id": image}),
            {},
        ),
        (
            "bulk move A image to B",
            url(
                bulk, "wagtailimages", "image", "add_to_collection", query={"id": world.a.image.pk}
            ),
            {"collection": collection},
        ),
        (
            "document edit",
            url("wagtaildocs:edit", document),
            {"title": "HIJACKED", "collection": collection},
        ),
        ("document delete", url("wagtaildocs:delete", document), {}),
        (
            "document edit multiple",
            url("wagtaildocs:edit_multiple", document),
            {f"doc-{document}-title": "HIJACKED", f"doc-{document}-collection": collection},
        ),
        ("document delete multiple", url("wagtaildocs:delete_multiple", document), {}),
        (
            "document upload into B",
            url("wagtaildocs:add"),
            {
                "title": "HIJACKED",
                "collection": collection,
                "file": ContentFile(b"x", name="hijack.txt"),
            },
        ),
        (
            "bulk delete documents",
            url(bulk, "wagtaildocs", "document", "delete", query={"id": document}),
            {},
        ),
        (
            "bulk move A document to B",
            url(
                bulk,
                "wagtaildocs",
                "document",
                "add_to_collection",
                query={"id": world.a.document.pk},
            ),
            {"collection": collection},
        ),
        ("collection edit", url("wagtailadmin_collections:edit", collection), {"name": "HIJACKED"}),
        ("collection delete", url("wagtailadmin_collections:delete", collection), {}),
        (
            "collection privacy",
            url("wagtailadmin_collections:set_privacy", collection),
            {"restriction_type": "password", "password": "secret-password"},
        ),
        (
            "force settings edit",
            url("force_settings:edit", b.force.pk),
            {
                "name": "HIJACKED",
                "short_name": "HIJACK",
                "primary_colour": "#000000",
                "secondary_colour": "#000000",
                "phone_non_emergency": "0",
                "phone_textphone": "0",
                "emergency_text": "x",
                "languages": "en",
            },
        ),
        ("force settings delete", url("force_settings:delete", b.force.pk), {}),
    ]


def change_refusals(label):
    """Besides 403/404 or a redirect home: how Wagtail may decline a change without making it."""
    if label.startswith("API"):
        return (400,)
    if label.startswith(("image upload", "image chooser upload", "choose B", "copy A ")):
        return (200,)  # the form again, with an error: B's page or collection is not a choice
    if label.startswith("document upload"):
        # With one collection to choose from, the form has no choice: the file goes to A's.
        return (200, url("wagtaildocs:index"))
    if label.startswith("bulk move A"):
        # Nothing the user may move there: nothing is done (the page) or the form again.
        return (200, url("wagtail_bulk_action", "wagtailcore", "page", "move"))
    return ()


@pytest.mark.parametrize("which", ["pages", "media and settings"])
def test_changes_to_force_b_and_the_national_tree_are_refused(admin, world, which):
    requests = change_requests(world) if which == "pages" else media_change_requests(world)
    before = snapshot(world)
    for label, address, data in requests:
        response = admin.post(address, data)
        also = change_refusals(label) or refusal_variants(world, label)
        assert_refused(response, other_secrets(world), f"{label} {address}", also)
    after = snapshot(world)
    for key, value in before.items():
        assert after[key] == value, f"{key} changed"


# --- settings and platform administration ---------------------------------------------------


def test_force_settings_are_scoped_to_own_force(admin, world):
    a, b = world.a, world.b
    secrets = other_secrets(world)
    response = admin.get(url("force_settings:index"))
    assert response.status_code == 302
    assert response["Location"] == url("force_settings:edit", a.force.pk)
    for label in ("edit", "history", "usage"):
        assert_works(admin.get(url(f"force_settings:{label}", a.force.pk)), f"own {label}")
        assert_refused(admin.get(url(f"force_settings:{label}", b.force.pk)), secrets, label)
    for label, address in (
        ("delete own force", url("force_settings:delete", a.force.pk)),
        ("delete B", url("force_settings:delete", b.force.pk)),
        ("add a force", url("force_settings:add")),
        ("B history results", url("force_settings:history_results", b.force.pk)),
    ):
        assert_refused(admin.get(address), secrets, label)
    ping = url("wagtailadmin_editing_sessions:ping", "forces", "force", b.force.pk, 0)
    assert_refused(admin.post(ping), secrets, "B editing session")
    # The listing's results (used when searching it) go to one's own force too.
    listing = admin.get(url("force_settings:index_results"), follow=True)
    assert_works(listing, "force settings listing", [a.force.name])
    assert b.force.name not in listing.content.decode()


def test_platform_administration_is_refused(admin, world):
    b = world.b
    screens = [
        ("collections", url("wagtailadmin_collections:index")),
        ("add collection", url("wagtailadmin_collections:add")),
        ("B collection", url("wagtailadmin_collections:edit", b.collection.pk)),
        ("own collection", url("wagtailadmin_collections:edit", world.a.collection.pk)),
        ("delete B collection", url("wagtailadmin_collections:delete", b.collection.pk)),
        ("B collection privacy", url("wagtailadmin_collections:set_privacy", b.collection.pk)),
        ("sites", url("wagtailsites:index")),
        ("B site", url("wagtailsites:edit", b.force.site_id)),
        ("users", url("wagtailusers_users:index")),
        ("B user", url("wagtailusers_users:edit", b.author.pk)),
        ("groups", url("wagtailusers_groups:index")),
        ("workflows", url("wagtailadmin_workflows:index")),
        ("B workflow", url("wagtailadmin_workflows:edit", b.workflow_state.workflow_id)),
        ("workflow tasks", url("wagtailadmin_workflows:task_index")),
        ("B task", url("wagtailadmin_workflows:edit_task", b.task_state.task_id)),
        ("locales", url("wagtaillocales:index")),
        ("redirects", url("wagtailredirects:index")),
        ("B form submissions", url("wagtailforms:list_submissions", b.live.pk)),
    ]
    for label, address, response in get_all(admin, screens):
        assert_refused(response, other_secrets(world), f"{label} {address}")
    # Wagtail's task chooser lists every moderation task by name (tasks are platform-wide
    # configuration, named after their force); it shows no force's content.
    assert_hidden(
        admin.get(url("wagtailadmin_workflows:task_chooser")), other_secrets(world), "tasks"
    )


# --- report handlers ------------------------------------------------------------------------


def test_report_handlers_use_the_admin_but_reach_no_pages_media_or_settings(
    client, world, make_user
):
    """Handlers get the admin (for their force's reports) and nothing of any force's site."""
    a, b = world.a, world.b
    handler = make_user("mps-handler", REPORT_HANDLER, a.force)
    assert handler.has_perm("wagtailadmin.access_admin")
    client.force_login(handler)
    assert client.get(ADMIN_HOME).status_code == 200

    secrets = [*a.secrets, *other_secrets(world)]
    screens = [*force_page_screens(a), *force_page_screens(b), *national_page_screens(world)]
    for label, address, response in get_all(client, screens):
        also = (400,) if label.startswith("admin API") else ()
        assert_refused(response, secrets, f"{label} {address}", also)
    for force in (a.force, b.force):
        for label in ("edit", "history", "usage", "delete"):
            address = url(f"force_settings:{label}", force.pk)
            assert_refused(client.get(address), secrets, address)
    assert_refused(client.get(url("force_settings:index")), secrets, "force settings")
    for label, address in (
        ("images", url("wagtailimages:index")),
        ("documents", url("wagtaildocs:index")),
        ("A image", url("wagtailimages:edit", a.image.pk)),
        ("A document", url("wagtaildocs:edit", a.document.pk)),
    ):
        assert_refused(client.get(address), secrets, label)
    before = snapshot(world)
    for _label, address, data in media_change_requests(world):
        client.post(address, data)
    assert snapshot(world) == before
