"""National governance: the 50:50 approval of everything in the national tree.

The hub page and everything under it sit in one workflow, "National content approval (50:50)",
whose single task (``NationalApprovalTask``) completes only when one member of the
``national-approver-mps`` group and one member of the ``national-approver-forces`` group have
both approved, in either order. The rules, all enforced here:

- Halves count only for the *revision under review*: the page's latest revision, which is what
  gets published. Wagtail keeps a task state on the revision it started with when the page is
  edited mid-review (it neither restarts the task nor updates ``TaskState.revision``), and its
  autosave can overwrite a revision in place; so a half counts only if it was recorded against
  the latest revision after that revision was last saved. Any edit therefore needs both
  approvals again, whichever path made it (Python API, the editor, autosave).
- One person gives at most one half of a revision, even if they are in both groups; a member of
  both groups chooses which (``approve_mps`` / ``approve_forces``).
- Nobody approves their own edit: whoever authored a revision since the live one, or submitted
  the page, may neither approve nor reject it.
- Rejecting needs a comment; Wagtail sends the page back to its editor with it.
- When both halves are in, the approved revision is published. Approvers need no publish
  permission: the two approvals are the authority (national editors and approvers alike have
  none, so nobody publishes national content alone).

Every half is in the page's history (``forces.national_approval``: who, which half, which
revision); Wagtail logs the submission, the final approval and any rejection itself. Approvers
are emailed when a page awaits their half.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import log
from wagtail.models import (
    Page,
    Revision,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
    get_default_page_content_type,
)
from wagtail.signals import workflow_approved
from wagtail.users.models import UserProfile

from forces.models import (
    NationalApproval,
    NationalApprovalTask,
    NationalApprovalTaskState,
    RoleGroup,
)
from forces.roles import NATIONAL_APPROVER_FORCES, NATIONAL_APPROVER_MPS

Half = NationalApproval.Half
HALF_ROLES = {Half.MPS: NATIONAL_APPROVER_MPS, Half.FORCES: NATIONAL_APPROVER_FORCES}
HALF_ACTIONS = {f"approve_{half.value}": half for half in Half}
LOG_ACTION = "forces.national_approval"

WORKFLOW_NAME = gettext_lazy("National content approval (50:50)")
TASK_NAME = gettext_lazy("Approval by the MPS and the other forces")
APPROVE_LABELS = {
    Half.MPS: (
        gettext_lazy("Approve for the MPS"),
        gettext_lazy("Approve for the MPS with comment"),
    ),
    Half.FORCES: (
        gettext_lazy("Approve for the other forces"),
        gettext_lazy("Approve for the other forces with comment"),
    ),
}


class ApprovalRefused(PermissionDenied):
    """An approval or rejection the user may not give; the message says why, in plain words."""


# --- the workflow -----------------------------------------------------------------------------


def ensure_national_workflow(hub):
    """Create or update the national workflow and assign it to the hub's tree.

    One workflow holding one active ``NationalApprovalTask``, assigned to the hub page and its
    translations (so to the whole national tree). Idempotent; returns True if anything changed.
    """
    changed = False
    task = NationalApprovalTask.objects.order_by("pk").first()
    if task is None:
        task = NationalApprovalTask.objects.create(name=str(TASK_NAME))
        changed = True
    elif task.name != str(TASK_NAME) or not task.active:
        # An inactive task is skipped by Wagtail, and a workflow with nothing left to do
        # publishes straight away: the task must stay active.
        task.name, task.active = str(TASK_NAME), True
        task.save()
        changed = True

    workflow = Workflow.objects.filter(workflow_tasks__task=task).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=str(WORKFLOW_NAME))
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        changed = True
    elif workflow.name != str(WORKFLOW_NAME) or not workflow.active:
        workflow.name, workflow.active = str(WORKFLOW_NAME), True
        workflow.save()
        changed = True

    # The hub's translations (e.g. a Welsh national tree) are national content too.
    for root in [hub, *hub.get_translations()]:
        changed |= assign_workflow(root, workflow)
    return changed


def assign_workflow(page, workflow):
    """Make ``workflow`` the one for ``page``'s tree; True if that changed anything."""
    assignment = WorkflowPage.objects.filter(page=page).first()
    if assignment is None:
        WorkflowPage.objects.create(page=page, workflow=workflow)
        return True
    if assignment.workflow_id != workflow.pk:
        assignment.workflow = workflow
        assignment.save()
        return True
    return False


# --- who may approve what ---------------------------------------------------------------------


def approver_halves(user):
    """The halves ``user`` approves for, from their national approver groups (MPS first)."""
    if not (user.is_authenticated and user.is_active):
        return []
    roles = set(
        RoleGroup.objects.filter(
            force=None, role__in=HALF_ROLES.values(), group__user=user
        ).values_list("role", flat=True)
    )
    return [half for half, role in HALF_ROLES.items() if role in roles]


def contributor_ids(page, workflow_state):
    """Ids of the users whose work is in what would be published, and of who submitted it.

    That is every author of a revision newer than the live one (all revisions if the page has
    never been published) plus the requester of the workflow. None of them may approve.
    """
    revisions = Revision.page_revisions.filter(object_id=str(page.pk)).exclude(user=None)
    if page.live_revision_id:
        revisions = revisions.filter(pk__gt=page.live_revision_id)
    ids = set(revisions.values_list("user_id", flat=True))
    if workflow_state.requested_by_id:
        ids.add(workflow_state.requested_by_id)
    return frozenset(ids)


@dataclass
class Review:
    """Where a national approval stands: the revision under review and the halves given for it."""

    task_state: NationalApprovalTaskState
    page: Page
    revision: Revision
    contributor_ids: frozenset
    approvals: dict  # Half -> NationalApproval, only those that count for ``revision``

    @property
    def is_open(self):
        return self.task_state.status == TaskState.STATUS_IN_PROGRESS

    @property
    def halves_awaiting(self):
        return [half for half in Half if half not in self.approvals]

    @property
    def is_complete(self):
        return not self.halves_awaiting

    @property
    def editor(self):
        """Who made the revision under review (``None`` if it was made by a script)."""
        return self.revision.user

    def would_complete(self, half):
        return self.halves_awaiting == [half]

    def refusal(self, user, half=None):
        """Why ``user`` may not approve (``half``, or any half); ``None`` if they may."""
        if not self.is_open:
            return _("This page is no longer awaiting approval.")
        halves = approver_halves(user)
        if not halves:
            return _("Only national approvers (MPS or other forces) can approve national pages.")
        if user.pk in self.contributor_ids:
            return _("You edited or submitted this version, so someone else must approve it.")
        if any(approval.user_id == user.pk for approval in self.approvals.values()):
            return _(
                "You have already approved this version: the other half must come from someone "
                "else."
            )
        if half is not None and half not in halves:
            return _("You are not an approver for %(half)s.") % {"half": half.label}
        if half is not None and half in self.approvals:
            return _("%(half)s has already approved this version.") % {"half": half.label}
        if all(mine in self.approvals for mine in halves):
            return _("Your side has already approved this version.")
        return None

    def halves_for(self, user):
        """The halves ``user`` can give now (two only for a member of both groups)."""
        if self.refusal(user) is not None:
            return []
        return [half for half in approver_halves(user) if half not in self.approvals]

    def can_request_changes(self, user):
        """Any approver not involved in the edit may send it back, whether or not they approved."""
        return self.is_open and bool(approver_halves(user)) and user.pk not in self.contributor_ids


def review_of(task_state):
    """The ``Review`` of a national approval task state, as it stands now."""
    if not isinstance(task_state, NationalApprovalTaskState):
        task_state = NationalApprovalTaskState.objects.get(pk=task_state.pk)
    workflow_state = task_state.workflow_state
    page = Page.objects.select_related("latest_revision__user").get(pk=workflow_state.object_id)
    revision = page.latest_revision or task_state.revision
    approvals = {
        Half(approval.half): approval
        for approval in task_state.approvals.filter(revision=revision).select_related("user")
        if approval.counts_for(revision)
    }
    return Review(
        task_state=task_state,
        page=page,
        revision=revision,
        contributor_ids=contributor_ids(page, workflow_state),
        approvals=approvals,
    )


def actions_for(review, user):
    """The workflow actions (name, label, needs a form) ``user`` is offered on ``review``."""
    if not review.can_request_changes(user):
        return []
    actions = [("reject", _("Request changes"), True)]
    for half in review.halves_for(user):
        # "approve" only where it completes the approval: Wagtail labels it "… and Publish".
        name = "approve" if review.would_complete(half) else f"approve_{half.value}"
        label, label_with_comment = APPROVE_LABELS[half]
        actions += [(name, str(label), False), (name, str(label_with_comment), True)]
    return actions


def awaiting_approval_by(user, task=None):
    """Reviews of the national pages awaiting a half ``user`` can give, oldest first."""
    if not approver_halves(user):
        return []
    states = NationalApprovalTaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
    ).order_by("started_at")
    if task is not None:
        states = states.filter(task=task)
    reviews = (review_of(state) for state in states.select_related("workflow_state"))
    return [review for review in reviews if review.halves_for(user)]


# --- approving and rejecting ------------------------------------------------------------------


def _locked(task_state):
    # Two approvers acting at once must see each other's half, or neither would complete it.
    return NationalApprovalTaskState.objects.select_for_update().get(pk=task_state.pk)


@transaction.atomic
def approve(task_state, user, half=None, comment=""):
    """Record ``user``'s half of the approval of the revision under review.

    ``half`` may be left out when the user can give only one. Raises ``ApprovalRefused`` if the
    user may not give it. When both halves are in, the task is approved and the revision
    published; otherwise the other side's approvers are told their half awaits them. Returns the
    ``NationalApproval``.
    """
    task_state = _locked(task_state)
    review = review_of(task_state)
    if half is None:
        halves = review.halves_for(user)
        if not halves:
            raise ApprovalRefused(review.refusal(user))
        if len(halves) > 1:
            raise ApprovalRefused(_("You approve for both sides: choose the half you are giving."))
        half = halves[0]
    else:
        half = Half(half)
        reason = review.refusal(user, half)
        if reason:
            raise ApprovalRefused(reason)

    revision = review.revision
    # A half given before an autosave overwrote this revision no longer counts: replace it.
    NationalApproval.objects.filter(task_state=task_state, half=half, revision=revision).delete()
    approval = NationalApproval.objects.create(
        task_state=task_state, half=half, user=user, revision=revision, comment=comment
    )
    review.approvals[half] = approval
    if task_state.revision_id != revision.pk:
        task_state.revision = revision
        task_state.save(update_fields=["revision"])
    log(
        instance=review.page.specific,
        action=LOG_ACTION,
        user=user,
        revision=revision,
        data={
            "half": half.value,
            "revision": revision.pk,
            "task_state": task_state.pk,
            "complete": review.is_complete,
            "comment": comment,
        },
    )
    if review.is_complete:
        _complete(task_state, revision, user, comment)
    else:
        notify_approvers(review, reason="approved", approval=approval)
    return approval


def _complete(task_state, revision, user, comment):
    """Approve the task and publish the approved revision (not a later one saved meanwhile)."""
    task_state.approve(user=user, update=False, comment=comment)
    workflow_state = task_state.workflow_state
    if workflow_state.get_next_task() is not None:
        workflow_state.update(user=user)  # someone added a later task: it takes over
        return
    # Wagtail's finish would publish as the approver and check their publish permission, which
    # approvers do not have: both approvals are the authority to publish.
    workflow_state.status = WorkflowState.STATUS_APPROVED
    workflow_state.save()
    revision.publish(user=user, skip_permission_checks=True)
    workflow_approved.send(sender=WorkflowState, instance=workflow_state, user=user)


@transaction.atomic
def reject(task_state, user, comment):
    """Send the page back to its editor with ``comment`` (required), on behalf of either side.

    Raises ``ApprovalRefused`` if ``user`` is not an approver, edited the page, or gave no
    comment. Wagtail logs it and emails the editor.
    """
    task_state = _locked(task_state)
    review = review_of(task_state)
    if not review.can_request_changes(user):
        raise ApprovalRefused(review.refusal(user) or _("You cannot request changes to this page."))
    if not (comment or "").strip():
        raise ApprovalRefused(_("Say what needs to change: the editor is sent your comment."))
    if task_state.revision_id != review.revision.pk:
        task_state.revision = review.revision
        task_state.save(update_fields=["revision"])
    task_state.reject(user=user, comment=comment)
    return task_state


def revision_saved(revision, created):
    """Keep a national review on the latest revision when the page is edited mid-review.

    The halves given so far stop counting (see the module docstring); if any had been given, the
    approvers are told both halves are needed again. Called for every saved revision.
    """
    if revision.base_content_type_id != get_default_page_content_type().pk:
        return
    task_state = (
        NationalApprovalTaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type_id=revision.base_content_type_id,
            workflow_state__object_id=revision.object_id,
        )
        .select_related("revision")
        .first()
    )
    if task_state is None or task_state.revision_id == revision.pk:
        return  # an autosave overwriting the revision under review: no new revision
    previous = task_state.revision
    had_halves = any(
        approval.counts_for(previous) for approval in task_state.approvals.filter(revision=previous)
    )
    task_state.revision = revision
    task_state.save(update_fields=["revision"])
    if created and had_halves:
        # The page row still points at the previous revision until save_revision finishes.
        review = review_of(task_state)
        review.revision = revision
        review.approvals = {}
        notify_approvers(review, reason="changed")


# --- telling people ---------------------------------------------------------------------------


def admin_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _approver_candidates():
    """Active national approvers with an email address."""
    user_ids = RoleGroup.objects.filter(force=None, role__in=HALF_ROLES.values()).values_list(
        "group__user", flat=True
    )
    return (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def notify_approvers(review, reason, approval=None):
    """Email every approver who can give a half of ``review`` now that it awaits them.

    ``reason`` is ``"submitted"``, ``"approved"`` (``approval`` is the half just given) or
    ``"changed"`` (an edit undid the halves given). Never emails anyone involved in the edit or
    anyone who turned off "submitted" notifications in their Wagtail account. Returns how many
    emails were sent.
    """
    sent = 0
    for user in _approver_candidates():
        halves = review.halves_for(user)
        if not halves:
            continue
        profile = UserProfile.get_for_user(user)
        if not profile.submitted_notifications:
            continue
        with translation.override(profile.get_preferred_language()):
            context = {
                "recipient": get_user_display_name(user),
                "page_title": review.page.get_admin_display_title(),
                "editor": get_user_display_name(review.editor) if review.editor else "",
                "halves": [str(half.label) for half in halves],
                "reason": reason,
                "approval_half": str(Half(approval.half).label) if approval else "",
                "approver": get_user_display_name(approval.user) if approval else "",
                "review_url": admin_url(reverse("wagtailadmin_pages:edit", args=[review.page.pk])),
            }
            subject = render_to_string(
                "forces/governance/email/awaiting_approval_subject.txt", context
            )
            body = render_to_string("forces/governance/email/awaiting_approval.txt", context)
        EmailMessage(
            " ".join(subject.split()),
            body.strip(),
            getattr(settings, "WAGTAILADMIN_NOTIFICATION_FROM_EMAIL", None),
            [user.email],
            headers={"Auto-Submitted": "auto-generated"},
        ).send()
        sent += 1
    return sent


def notify_submitted(task_state, user=None):
    """Email the approvers that a national page has arrived at the approval task."""
    return notify_approvers(review_of(task_state), reason="submitted")
