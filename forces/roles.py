"""The platform's roles (a contract: tests and tools use these names) and what each may do.

A force-scoped role is held through one Django group per force; national roles through one group
each. The permissions below are applied by ``forces.onboarding`` and re-applied on every run, so
changing them here and re-running ``onboard_force`` brings every force up to date.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

NATIONAL_EDITOR = "national-editor"
NATIONAL_APPROVER_MPS = "national-approver-mps"
NATIONAL_APPROVER_FORCES = "national-approver-forces"
FORCE_EDITOR = "force-editor"
FORCE_MODERATOR = "force-moderator"
FORCE_ADMIN = "force-admin"
REPORT_HANDLER = "report-handler"

EDIT_PAGES = ("add_page", "change_page")
MODERATE_PAGES = (*EDIT_PAGES, "publish_page", "lock_page", "unlock_page")
ADMINISTER_PAGES = (*MODERATE_PAGES, "bulk_delete_page")
VIEW_PAGES = ("change_page",)

# Starting a translation (wagtail-localize): editors translate what they may edit, which
# forces.admin_urls checks, as wagtail-localize does not.
TRANSLATE = (("wagtail_localize", "submit_translation"),)

EDIT_MEDIA = ("add", "change", "choose")
MANAGE_MEDIA = (*EDIT_MEDIA, "delete")


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    force_scoped: bool
    page_permissions: tuple = ()
    media_permissions: tuple = ()
    edits_force_settings: bool = False
    extra_permissions: tuple = field(default=())

    def media_codenames(self):
        """Permission codenames on the role's collection, for images and documents alike."""
        return [
            (app, f"{action}_{model}")
            for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
            for action in self.media_permissions
        ]


ROLES = {
    role.name: role
    for role in (
        Role(
            NATIONAL_EDITOR,
            _("National editor"),
            False,
            EDIT_PAGES,
            EDIT_MEDIA,
            extra_permissions=TRANSLATE,
        ),
        Role(NATIONAL_APPROVER_MPS, _("National approver (MPS)"), False, VIEW_PAGES, ("choose",)),
        Role(
            NATIONAL_APPROVER_FORCES,
            _("National approver (other forces)"),
            False,
            VIEW_PAGES,
            ("choose",),
        ),
        Role(FORCE_EDITOR, _("Force editor"), True, EDIT_PAGES, EDIT_MEDIA, True, TRANSLATE),
        Role(
            FORCE_MODERATOR,
            _("Force moderator"),
            True,
            MODERATE_PAGES,
            MANAGE_MEDIA,
            True,
            TRANSLATE,
        ),
        Role(
            FORCE_ADMIN,
            _("Force administrator"),
            True,
            ADMINISTER_PAGES,
            MANAGE_MEDIA,
            True,
            TRANSLATE,
        ),
        Role(REPORT_HANDLER, _("Report handler"), True),
    )
}
# Every model-level permission a role may hold besides access to the admin (kept exactly).
EXTRA_PERMISSIONS = sorted({extra for role in ROLES.values() for extra in role.extra_permissions})
FORCE_ROLES = [name for name, role in ROLES.items() if role.force_scoped]
NATIONAL_ROLES = [name for name, role in ROLES.items() if not role.force_scoped]
SETTINGS_ROLES = [name for name, role in ROLES.items() if role.edits_force_settings]
