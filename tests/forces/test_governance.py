"""National governance (50:50): every approval path, through the Python API and the admin.

Each scenario runs twice: once as code drives it (``save_revision``, ``Workflow.start``,
``Task.on_action``) and once as the real users do, over HTTP in the admin (the page editor's
"Save draft" and "Submit" buttons, and the workflow action URL behind the dashboard's and the
editor's Approve / Request changes buttons).
"""

import json
import re
from types import SimpleNamespace

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wagtail.models import GroupApprovalTask, Page, PageLogEntry, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from forces.models import NationalApproval, NationalApprovalTask
from forces.national import governance
from forces.permissions import role_group
from forces.roles import (
    FORCE_EDITOR,
    FORCE_MODERATOR,
    NATIONAL_APPROVER_FORCES,
    NATIONAL_APPROVER_MPS,
    NATIONAL_EDITOR,
)
from home.models import ContentPage
from tests.factories import ContentPageFactory, editor_form

pytestmark = pytest.mark.django_db

MPS, FORCES = NationalApproval.Half.MPS, NationalApproval.Half.FORCES
ORIGINAL = "Stay safe online"
CHANGED = "Stay safe online: updated"
COMMENT = "Add the Action Fraud phone number."


# --- the people and the page ------------------------------------------------------------------


@pytest.fixture
def people(make_user):
    def person(username, *roles):
        user = make_user(username, roles[0], email=f"{username}@police.example")
        for role in roles[1:]:
            user.groups.add(role_group(role))
        return user

    return SimpleNamespace(
        editor=person("nat-editor", NATIONAL_EDITOR),
        mps=person("mps-approver", NATIONAL_APPROVER_MPS),
        mps2=person("mps-approver-2", NATIONAL_APPROVER_MPS),
        forces=person("forces-approver", NATIONAL_APPROVER_FORCES),
        forces2=person("forces-approver-2", NATIONAL_APPROVER_FORCES),
        both=person("dual-approver", NATIONAL_APPROVER_MPS, NATIONAL_APPROVER_FORCES),
    )


@pytest.fixture
def page(hub):
    """A live national advice page (published by a script, so nobody's own edit)."""
    return ContentPageFactory(
        parent=hub.get_children().get(slug="advice"),
        title=ORIGINAL,
        slug="stay-safe-online",
        body=[{"type": "paragraph", "value": "<p>Use a different password everywhere.</p>"}],
    )


def fresh(page):
    return ContentPage.objects.get(pk=page.pk)


def live_title(page):
    return Page.objects.get(pk=page.pk).title


def workflow_state(page):
    return WorkflowState.objects.filter(object_id=str(page.pk)).order_by("-pk").first()


def halves_logged(page):
    """(username, half) of every half recorded in the page's history, oldest first."""
    entries = PageLogEntry.objects.filter(page=page, action=governance.LOG_ACTION)
    return [(entry.user.username, entry.data["half"]) for entry in entries.order_by("pk")]


def emailed(subject_part):
    return sorted(
        address
        for message in mail.outbox
        if subject_part in message.subject
        for address in message.to
    )


def page_form(page, title, **actions):
    return editor_form(page, title, "<p>Use a password manager.</p>", **actions)


# --- two ways of driving the same workflow ----------------------------------------------------


class PythonDriver:
    """Governance as code drives it."""

    def save(self, page, user, title):
        draft = fresh(page).get_latest_revision_as_object()
        draft.title = title
        draft.save_revision(user=user)

    def submit(self, page, user, title):
        self.save(page, user, title)
        page = fresh(page)
        state = page.current_workflow_state
        if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user=user)
        else:
            page.get_workflow().start(page, user)

    def actions(self, page, user):
        page = fresh(page)
        return {name for name, _label, _form in page.current_workflow_task.get_actions(page, user)}

    def act(self, page, user, action, comment=""):
        """Perform ``action``; False if refused."""
        task_state = fresh(page).current_workflow_task_state
        try:
            task_state.task.specific.on_action(task_state, user, action, comment=comment)
        except PermissionDenied:
            return False
        return True

    def approve(self, page, user, half=None):
        return self.act(page, user, f"approve_{half}" if half else "approve")


class AdminDriver:
    """Governance as the users drive it, over HTTP in the admin."""

    def __init__(self, client):
        self.client = client

    def save(self, page, user, title, **actions):
        self.client.force_login(user)
        edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
        response = self.client.post(edit, page_form(page, title, **actions))
        assert response.status_code == 302, response.content.decode()[:3000]

    def submit(self, page, user, title):
        self.save(page, user, title, submit="1")

    def actions(self, page, user):
        """The workflow buttons the page editor shows ``user``."""
        self.client.force_login(user)
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200
        return set(re.findall(r'data-workflow-action-name="([^"]+)"', response.content.decode()))

    def act(self, page, user, action, comment=""):
        """POST to the workflow action URL, as its button does; False if refused."""
        self.client.force_login(user)
        task_state = fresh(page).current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
        response = self.client.post(url, {"comment": comment})
        assert response.status_code == 302, response.status_code
        # Wagtail's admin turns a refusal into a redirect to the dashboard with an error.
        return response.url != reverse("wagtailadmin_home")

    def editor_action(self, page, user, action, comment="", title=None):
        """Click a workflow button in the page editor: it saves any change, then acts."""
        self.client.force_login(user)
        draft = fresh(page).get_latest_revision_as_object()
        # What the browser posts back for the page as it is (same block ids and keys).
        data = nested_form_data(
            {
                "title": title or draft.title,
                "slug": draft.slug,
                "search_description": draft.search_description,
                "body": streamfield(
                    [(block.block_type, rich_text(block.value.source)) for block in draft.body]
                ),
                "comments": inline_formset([]),
            }
        )
        data.update({f"body-{index}-id": block.id for index, block in enumerate(draft.body)})
        data.update(
            {
                "action-workflow-action": "1",
                "workflow-action-name": action,
                "workflow-action-extra-data": json.dumps({"comment": comment}),
            }
        )
        edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
        response = self.client.post(edit, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        return response.url != reverse("wagtailadmin_home")

    def approve(self, page, user, half=None):
        """Click the approve button the user is offered (for ``half``), or force one."""
        offered = {name for name in self.actions(page, user) if name.startswith("approve")}
        if half is not None and f"approve_{half}" in offered:
            action = f"approve_{half}"
        elif half is None and len(offered) == 1:
            action = offered.pop()
        else:
            action = "approve" if "approve" in offered or half is None else f"approve_{half}"
        return self.act(page, user, action)


@pytest.fixture(params=["python", "admin"])
def driver(request, client):
    return PythonDriver() if request.param == "python" else AdminDriver(client)


# --- the workflow itself ----------------------------------------------------------------------


def test_national_tree_has_one_fifty_fifty_workflow(hub, page):
    workflow = fresh(page).get_workflow()
    assert workflow.name == "National content approval (50:50)"
    assert [type(task.specific) for task in workflow.tasks] == [NationalApprovalTask]
    assert hub.workflowpage.workflow == workflow
    assert governance.ensure_national_workflow(hub) is False  # onboarding already made it

    task = NationalApprovalTask.objects.get()
    task.deactivate()
    assert governance.ensure_national_workflow(hub) is True
    assert NationalApprovalTask.objects.get().active
    assert fresh(page).get_workflow() == workflow


# --- approving: both halves, in either order --------------------------------------------------


@pytest.mark.parametrize(
    "order", [("mps", "forces"), ("forces", "mps")], ids=["mps-first", "forces-first"]
)
def test_page_goes_live_only_after_both_halves_in_either_order(driver, page, people, order):
    first, second = (getattr(people, name) for name in order)
    driver.submit(page, people.editor, CHANGED)
    assert live_title(page) == ORIGINAL
    assert driver.actions(page, first) == {"reject", f"approve_{order[0]}"}

    assert driver.approve(page, first)
    assert live_title(page) == ORIGINAL
    assert workflow_state(page).status == WorkflowState.STATUS_IN_PROGRESS
    # The second half completes it, so it is offered as Wagtail's "approve" ("… and Publish").
    assert driver.actions(page, second) == {"reject", "approve"}

    assert driver.approve(page, second)
    assert live_title(page) == CHANGED
    assert workflow_state(page).status == WorkflowState.STATUS_APPROVED
    assert halves_logged(page) == [(first.username, order[0]), (second.username, order[1])]
    final = PageLogEntry.objects.filter(page=page, action="wagtail.workflow.approve").get()
    assert final.user == second
    published = PageLogEntry.objects.filter(page=page, action="wagtail.publish").order_by("pk")
    assert published.last().user == second
    assert emailed("has been approved") == ["nat-editor@police.example"]


def test_history_shows_who_approved_which_half(client, page, people):
    PythonDriver().submit(page, people.editor, CHANGED)
    PythonDriver().approve(page, people.forces)
    PythonDriver().approve(page, people.mps)
    revision = fresh(page).live_revision_id

    client.force_login(people.mps)
    html = client.get(reverse("wagtailadmin_pages:history", args=[page.pk])).content.decode()
    assert f"Approved for Other forces (revision {revision}): other half awaited" in html
    assert f"Approved for Metropolitan Police Service (revision {revision}): both halves given" in (
        html
    )
    assert "forces-approver" in html and "mps-approver" in html


def test_approving_with_the_page_editors_buttons(client, page, people):
    admin = AdminDriver(client)
    admin.submit(page, people.editor, CHANGED)
    revisions = fresh(page).revisions.count()
    assert admin.editor_action(page, people.mps, "approve_mps", comment="Reads well.")
    assert fresh(page).revisions.count() == revisions  # approving unchanged saves nothing
    [approval] = NationalApproval.objects.all()
    assert (approval.user, approval.half, approval.comment) == (people.mps, MPS, "Reads well.")

    # Changing the page while approving makes it the approver's own edit: the change is kept,
    # the approval refused, and the change needs both halves again.
    assert not admin.editor_action(page, people.forces, "approve", title=CHANGED + " (tweaked)")
    assert fresh(page).latest_revision.user == people.forces
    assert live_title(page) == ORIGINAL
    assert admin.actions(page, people.mps) == {"reject", "approve_mps"}
    assert admin.editor_action(page, people.forces2, "approve_forces")
    assert admin.editor_action(page, people.mps, "approve")
    assert live_title(page) == CHANGED + " (tweaked)"


# --- one person, one half; nobody approves their own edit -------------------------------------


def test_the_same_person_cannot_give_a_half_twice(driver, page, people):
    driver.submit(page, people.editor, CHANGED)
    assert driver.approve(page, people.mps)
    assert driver.actions(page, people.mps) == {"reject"}
    assert not driver.approve(page, people.mps)
    assert not driver.approve(page, people.mps, half="forces")
    # Nor can a second MPS approver stand in for the missing other-forces half.
    assert not driver.approve(page, people.mps2)
    assert live_title(page) == ORIGINAL
    assert NationalApproval.objects.count() == 1

    assert driver.approve(page, people.forces)
    assert live_title(page) == CHANGED


def test_a_member_of_both_groups_gives_only_one_half(driver, page, people):
    driver.submit(page, people.editor, CHANGED)
    assert driver.actions(page, people.both) == {"reject", "approve_mps", "approve_forces"}
    assert driver.approve(page, people.both, half="forces")
    assert driver.actions(page, people.both) == {"reject"}
    assert not driver.approve(page, people.both, half="mps")
    assert live_title(page) == ORIGINAL

    assert driver.approve(page, people.mps)
    assert live_title(page) == CHANGED
    assert halves_logged(page) == [("dual-approver", "forces"), ("mps-approver", "mps")]


def test_a_member_of_both_groups_must_choose_a_half(page, people):
    PythonDriver().submit(page, people.editor, CHANGED)
    task_state = fresh(page).current_workflow_task_state
    with pytest.raises(governance.ApprovalRefused, match="choose the half"):
        task_state.task.specific.on_action(task_state, people.both, "approve")
    # Once the other side has approved, theirs is the only half left: plain "approve" gives it.
    governance.approve(task_state, people.forces)
    governance.approve(task_state, people.both)
    assert live_title(page) == CHANGED


def test_nobody_approves_their_own_edit(driver, page, people):
    # An MPS approver may edit national pages too; then the MPS half must come from someone else.
    driver.submit(page, people.mps, CHANGED)
    assert driver.actions(page, people.mps) == set()
    assert not driver.approve(page, people.mps)
    assert not driver.act(page, people.mps, "reject", COMMENT)
    assert driver.approve(page, people.forces)
    assert live_title(page) == ORIGINAL
    assert driver.approve(page, people.mps2)
    assert live_title(page) == CHANGED


def test_an_approver_who_edits_during_review_cannot_approve_it(driver, page, people):
    driver.submit(page, people.editor, ORIGINAL + " (draft)")
    driver.save(page, people.forces, CHANGED)
    assert driver.actions(page, people.forces) == set()
    assert not driver.approve(page, people.forces)
    assert driver.approve(page, people.forces2)
    assert driver.approve(page, people.mps)
    assert live_title(page) == CHANGED


# --- rejection and changes --------------------------------------------------------------------


@pytest.mark.parametrize("side", ["mps", "forces"])
def test_rejection_by_either_side_returns_it_to_the_editor(driver, page, people, side):
    rejecter = getattr(people, side)
    other = people.forces if side == "mps" else people.mps
    driver.submit(page, people.editor, CHANGED)
    assert driver.approve(page, other)  # a partial approval does not stop a rejection
    mail.outbox.clear()

    assert driver.act(page, rejecter, "reject", COMMENT)
    state = workflow_state(page)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.status == TaskState.STATUS_REJECTED
    assert state.current_task_state.comment == COMMENT
    assert live_title(page) == ORIGINAL
    [rejection] = [message for message in mail.outbox if "rejected" in message.subject]
    assert rejection.to == ["nat-editor@police.example"]
    assert COMMENT in rejection.body and rejecter.username in rejection.body
    entry = PageLogEntry.objects.filter(page=page, action="wagtail.workflow.reject").get()
    assert entry.user == rejecter and entry.data["comment"] == COMMENT

    # Resubmitted, it needs both halves again: the earlier approval no longer counts.
    driver.submit(page, people.editor, CHANGED + " again")
    assert workflow_state(page).status == WorkflowState.STATUS_IN_PROGRESS
    assert driver.approve(page, rejecter)
    assert live_title(page) == ORIGINAL
    assert driver.approve(page, other)
    assert live_title(page) == CHANGED + " again"


def test_rejection_needs_a_comment(driver, page, people):
    driver.submit(page, people.editor, CHANGED)
    # Through the admin, the form refuses it and nothing happens.
    driver.act(page, people.mps, "reject", "  ")
    assert workflow_state(page).status == WorkflowState.STATUS_IN_PROGRESS
    with pytest.raises(governance.ApprovalRefused, match="Say what needs to change"):
        governance.reject(fresh(page).current_workflow_task_state, people.mps, "")


def test_an_edit_after_a_partial_approval_needs_both_halves_again(driver, page, people):
    driver.submit(page, people.editor, CHANGED)
    assert driver.approve(page, people.mps)
    mail.outbox.clear()

    driver.save(page, people.editor, CHANGED + ", corrected")
    latest = fresh(page).latest_revision
    # Wagtail would keep reviewing the submitted revision; the review follows the edit.
    assert fresh(page).current_workflow_task_state.revision_id == latest.pk
    approvers = ("mps-approver", "mps-approver-2", "forces-approver", "forces-approver-2")
    assert emailed("needs both approvals again") == sorted(
        f"{name}@police.example" for name in (*approvers, "dual-approver")
    )
    assert driver.actions(page, people.mps) == {"reject", "approve_mps"}

    assert driver.approve(page, people.forces)
    assert live_title(page) == ORIGINAL  # the MPS half was for the earlier version
    assert driver.approve(page, people.mps)
    assert live_title(page) == CHANGED + ", corrected"
    assert fresh(page).live_revision_id == latest.pk


def test_an_overwritten_revision_needs_both_halves_again(page, people):
    # Wagtail's autosave overwrites its own revision in place rather than adding one.
    PythonDriver().submit(page, people.editor, CHANGED)
    revision = fresh(page).latest_revision
    governance.approve(fresh(page).current_workflow_task_state, people.mps)
    draft = fresh(page).get_latest_revision_as_object()
    draft.title = CHANGED + ", autosaved"
    draft.save_revision(user=people.editor, overwrite_revision=revision)

    governance.approve(fresh(page).current_workflow_task_state, people.forces)
    assert live_title(page) == ORIGINAL
    governance.approve(fresh(page).current_workflow_task_state, people.mps)
    assert live_title(page) == CHANGED + ", autosaved"


# --- emails and the dashboard -----------------------------------------------------------------


def test_approvers_are_emailed_when_a_half_awaits_them(driver, page, people):
    # The author is an approver too: never emailed as one.
    driver.submit(page, people.mps2, CHANGED)
    assert emailed("awaits your approval") == [
        "dual-approver@police.example",
        "forces-approver-2@police.example",
        "forces-approver@police.example",
        "mps-approver@police.example",
    ]
    [message] = [m for m in mail.outbox if m.to == ["mps-approver@police.example"]]
    assert CHANGED in message.subject
    assert f"/admin/pages/{page.pk}/edit/" in message.body
    assert "Edited by: mps-approver-2" in message.body
    mail.outbox.clear()

    assert driver.approve(page, people.mps)
    assert emailed("awaits your half") == [
        "dual-approver@police.example",
        "forces-approver-2@police.example",
        "forces-approver@police.example",
    ]
    assert "mps-approver has approved" in mail.outbox[0].body


def test_dashboard_shows_each_approver_what_awaits_their_half(client, page, people):
    PythonDriver().submit(page, people.editor, CHANGED)
    panel = "National pages awaiting your approval"

    def dashboard(user):
        client.force_login(user)
        return client.get(reverse("wagtailadmin_home")).content.decode()

    for user in (people.mps, people.forces):
        html = dashboard(user)
        assert panel in html and CHANGED in html and "Nobody yet" in html
    assert panel not in dashboard(people.editor)

    PythonDriver().approve(page, people.mps)
    assert panel not in dashboard(people.mps)
    html = dashboard(people.forces)
    assert panel in html and CHANGED in html
    assert "Metropolitan Police Service, by mps-approver" in html
    assert "nat-editor" in html
    # Wagtail's own "Awaiting your review" lists it, with the right button.
    assert "Approve for the other forces" in html


# --- who may publish --------------------------------------------------------------------------


def test_a_national_editor_cannot_publish_directly(client, page, people):
    editor = people.editor
    with pytest.raises(PermissionDenied):
        draft = fresh(page).get_latest_revision_as_object()
        draft.title = CHANGED
        draft.save_revision(user=editor).publish(user=editor)
    assert live_title(page) == ORIGINAL

    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="action-publish"' not in html
    assert "Submit to National content approval (50:50)" in html
    AdminDriver(client).save(page, editor, CHANGED, publish="1")  # a forged publish: a draft
    assert live_title(page) == ORIGINAL
    assert workflow_state(page) is None

    AdminDriver(client).submit(page, editor, CHANGED)
    assert live_title(page) == ORIGINAL
    assert isinstance(fresh(page).current_workflow_task, NationalApprovalTask)


def test_approvers_review_in_the_editor_and_force_staff_cannot_approve(
    client, page, people, forces, make_user
):
    PythonDriver().submit(page, people.editor, CHANGED)
    client.force_login(people.forces)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    moderator = make_user("met-moderator", FORCE_MODERATOR, forces["met"])
    assert not AdminDriver(client).act(page, moderator, "approve")
    assert not PythonDriver().approve(page, moderator)
    assert NationalApproval.objects.count() == 0


@pytest.mark.parametrize("via", ["python", "admin"])
def test_a_force_editors_publish_goes_to_their_moderators(client, forces, make_user, via):
    force = forces["thames-valley"]
    page = ContentPageFactory(parent=force.site.root_page, title=ORIGINAL, slug="local-advice")
    editor = make_user("tvp-editor", FORCE_EDITOR, force)
    if via == "python":
        draft = fresh(page).get_latest_revision_as_object()
        draft.title = CHANGED
        with pytest.raises(PermissionDenied):
            draft.save_revision(user=editor).publish(user=editor)
        PythonDriver().submit(page, editor, CHANGED)
    else:
        AdminDriver(client).save(page, editor, CHANGED, publish="1")
        assert workflow_state(page) is None
        AdminDriver(client).submit(page, editor, CHANGED)

    assert live_title(page) == ORIGINAL
    state = workflow_state(page)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task = state.current_task_state.task.specific
    assert isinstance(task, GroupApprovalTask)
    assert list(task.groups.all()) == [role_group(FORCE_MODERATOR, force)]
