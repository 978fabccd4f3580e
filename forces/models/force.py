"""A police force: its site, theme, contacts and languages, and the groups that hold its roles."""

from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Collection, Site

from reporting import crypto

from ..validators import (
    validate_force_slug,
    validate_hex_colour,
    validate_languages,
    validate_theme_colour,
    validate_webhook_url,
)

# How long a force keeps its reports: a month at least (time to act on them), ten years at most.
RETENTION_MIN_DAYS = 30
RETENTION_MAX_DAYS = 3650
RETENTION_DEFAULT_DAYS = 365


class Country(models.TextChoices):
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")


class Phase(models.TextChoices):
    ALPHA = "alpha", _("Alpha")
    BETA = "beta", _("Beta")
    LIVE = "live", _("Live")


class ForceQuerySet(models.QuerySet):
    def for_user(self, user):
        """Forces in which ``user`` holds any force-scoped role (every force for superusers)."""
        if user.is_superuser:
            return self
        return self.filter(role_groups__group__user=user).distinct()

    def handled_by(self, user):
        """Forces whose reports ``user`` handles (every force for superusers)."""
        from ..roles import REPORT_HANDLER

        if user.is_superuser:
            return self
        return self.filter(
            role_groups__role=REPORT_HANDLER, role_groups__group__user=user
        ).distinct()


class Force(models.Model):
    """One territorial police force, 1:1 with the Wagtail ``Site`` that serves its website."""

    site = models.OneToOneField(Site, on_delete=models.PROTECT, related_name="force")
    slug = models.SlugField(
        _("slug"), max_length=50, unique=True, validators=[validate_force_slug], editable=False
    )
    name = models.CharField(_("name"), max_length=255, help_text=_("For example Kent Police."))
    welsh_name = models.CharField(_("Welsh name"), max_length=255, blank=True)
    short_name = models.CharField(
        _("short name"), max_length=20, help_text=_("Shown where space is tight, e.g. KENT.")
    )
    country = models.CharField(
        _("country"), max_length=10, choices=Country.choices, default=Country.ENGLAND
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#1d3f77",
        validators=[validate_theme_colour],
        help_text=_("Header and buttons; white text must be readable on it (#rrggbb)."),
    )
    secondary_colour = models.CharField(
        _("secondary colour"),
        max_length=7,
        default="#0b0c0c",
        validators=[validate_hex_colour],
        help_text=_("Accents and the footer border (#rrggbb)."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone_non_emergency = models.CharField(_("non-emergency number"), max_length=30, default="101")
    phone_textphone = models.CharField(
        _("textphone (Relay UK)"), max_length=30, default="18001 101"
    )
    emergency_text = models.CharField(
        _("emergency text service"),
        max_length=200,
        default=_("If you cannot speak, text 999 (register first by texting REGISTER to 999)"),
        help_text=_("How deaf, hard of hearing or speech-impaired people contact 999."),
    )
    email = models.EmailField(_("contact email"), blank=True)
    address = models.TextField(_("contact address"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    x_url = models.URLField(_("X (Twitter)"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=20,
        default="en",
        validators=[validate_languages],
        help_text=_("Language codes, English first: “en” or “en,cy” for a bilingual force."),
    )
    collection = models.OneToOneField(
        Collection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="force",
        editable=False,
    )
    # Report delivery: set by platform admins only (onboard_force, or the admin's delivery panel).
    webhook_url = models.URLField(
        _("webhook URL"),
        max_length=500,
        blank=True,
        validators=[validate_webhook_url],
        help_text=_("The force's back office: every report is posted here as signed JSON."),
    )
    # A Fernet token (reporting.crypto), never the secret itself: use set_webhook_secret and
    # get_webhook_secret. Not editable, so no form shows it.
    webhook_secret = models.TextField(_("webhook secret (encrypted)"), blank=True, editable=False)
    reports_email = models.EmailField(
        _("reports email"),
        blank=True,
        help_text=_("The force's reports inbox: every report is also emailed here."),
    )
    report_retention_days = models.PositiveIntegerField(
        _("report retention (days)"),
        default=RETENTION_DEFAULT_DAYS,
        validators=[
            MinValueValidator(
                RETENTION_MIN_DAYS,
                message=_("Keep reports for at least %(limit_value)s days."),
            ),
            MaxValueValidator(
                RETENTION_MAX_DAYS,
                message=_("Keep reports for at most %(limit_value)s days (ten years)."),
            ),
        ],
        help_text=_(
            "Reports, their evidence and their contact details are deleted this many days "
            "after they were made (30 to 3650)."
        ),
    )

    # The GOV.UK phase banner on every page of the force's site ("live": none).
    phase = models.CharField(
        _("phase"),
        max_length=10,
        choices=Phase.choices,
        default=Phase.LIVE,
        help_text=_("Alpha or beta shows a phase banner with a feedback link on every page."),
    )
    phase_feedback_url = models.URLField(
        _("phase banner feedback link"),
        blank=True,
        help_text=_("Where the banner's feedback link goes. Empty: the site's own feedback form."),
    )

    objects = ForceQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("welsh_name"), FieldPanel("short_name")],
            heading=_("Names"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("primary_colour"), FieldPanel("secondary_colour")]),
                FieldPanel("logo"),
            ],
            heading=_("Theme"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("phone_non_emergency"),
                FieldPanel("phone_textphone"),
                FieldPanel("emergency_text"),
                FieldPanel("email"),
                FieldPanel("address"),
            ],
            heading=_("Contact details"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("x_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
            ],
            heading=_("Social media"),
        ),
        MultiFieldPanel(
            [FieldPanel("phase"), FieldPanel("phase_feedback_url")],
            heading=_("Phase banner"),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("force")
        verbose_name_plural = _("forces")

    def __str__(self):
        return self.name

    def set_webhook_secret(self, secret):
        """Store ``secret`` encrypted (an empty ``secret`` removes it). Call ``save()`` after."""
        self.webhook_secret = (
            crypto.encrypt(secret.encode("utf-8")).decode("ascii") if secret else ""
        )

    def get_webhook_secret(self):
        """The webhook secret in plain text, or "" if none is set."""
        if not self.webhook_secret:
            return ""
        return crypto.decrypt(self.webhook_secret.encode("ascii")).decode("utf-8")

    def rotate_webhook_secret(self):
        """Re-encrypt the stored secret with the current key (after a key rotation); no save."""
        if self.webhook_secret:
            self.webhook_secret = crypto.rotate(self.webhook_secret.encode("ascii")).decode("ascii")

    @property
    def has_webhook_secret(self):
        return bool(self.webhook_secret)

    @property
    def language_codes(self):
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    @property
    def is_bilingual(self):
        return len(self.language_codes) > 1

    @property
    def url(self):
        return self.site.root_url

    @cached_property
    def social_links(self):
        """(label, url) for each social network the force has filled in."""
        links = [
            ("Facebook", self.facebook_url),
            ("X", self.x_url),
            ("Instagram", self.instagram_url),
            ("YouTube", self.youtube_url),
        ]
        return [(label, url) for label, url in links if url]


class RoleGroup(models.Model):
    """Ties a Django ``Group`` to a platform role, and to a force for force-scoped roles."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role")
    role = models.CharField(_("role"), max_length=40)
    force = models.ForeignKey(
        Force, null=True, blank=True, on_delete=models.CASCADE, related_name="role_groups"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "force"], name="unique_role_per_force"),
            models.UniqueConstraint(
                fields=["role"], condition=models.Q(force=None), name="unique_national_role"
            ),
        ]

    def __str__(self):
        return self.group.name
