"""Validation of force settings: colours the header can carry, hostnames, slugs, languages, and
where reports are delivered."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HOSTNAME_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")

# WCAG 2.2 AA contrast for normal-size text: the header and buttons carry white text on the
# force colour, so a colour that fails this would make every page of the site inaccessible.
MINIMUM_CONTRAST_WITH_WHITE = 4.5


def relative_luminance(colour):
    """Relative luminance of a ``#rrggbb`` colour, as WCAG defines it."""

    def channel(value):
        value = value / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_with_white(colour):
    """WCAG contrast ratio between ``colour`` and white (1.0 to 21.0)."""
    return 1.05 / (relative_luminance(colour) + 0.05)


def validate_hex_colour(value):
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(
            _("Enter a colour as # and six hexadecimal digits, like #1d4f91, not “%(value)s”."),
            code="invalid_colour",
            params={"value": value},
        )


def validate_theme_colour(value):
    """A colour that white text can sit on at WCAG AA contrast."""
    validate_hex_colour(value)
    ratio = contrast_with_white(value)
    if ratio < MINIMUM_CONTRAST_WITH_WHITE:
        raise ValidationError(
            _(
                "The colour %(value)s is too light: white text on it has a contrast of "
                "%(ratio).1f:1, and WCAG AA needs at least 4.5:1. Choose a darker colour."
            ),
            code="low_contrast",
            params={"value": value, "ratio": ratio},
        )


def validate_force_slug(value):
    if not SLUG.match(value or "") or len(value) > 50:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid force slug: use lower-case letters, digits and "
                "single hyphens, up to 50 characters (for example thames-valley)."
            ),
            code="invalid_slug",
            params={"value": value},
        )


def validate_hostname(value):
    labels = (value or "").split(".")
    if len(value or "") > 253 or not all(HOSTNAME_LABEL.match(label) for label in labels):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid hostname: use lower-case letters, digits, hyphens "
                "and dots, without a scheme, port or path (for example thames-valley.police.uk)."
            ),
            code="invalid_hostname",
            params={"value": value},
        )


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def validate_languages(value):
    """``value`` is a comma-separated list of language codes, English first."""
    codes = [code.strip() for code in (value or "").split(",") if code.strip()]
    unknown = [code for code in codes if code not in language_codes()]
    if unknown:
        raise ValidationError(
            _("Unknown language %(codes)s: the platform supports %(supported)s."),
            code="unknown_language",
            params={"codes": ", ".join(unknown), "supported": ", ".join(language_codes())},
        )
    if not codes or codes[0] != "en":
        raise ValidationError(
            _("Languages must start with en (English), for example “en” or “en,cy”."),
            code="english_first",
        )
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Each language may be listed only once."), code="duplicate")


# A webhook secret signs every report sent to the force (HMAC-SHA256): long enough not to be
# guessed, and short enough to paste.
WEBHOOK_SECRET_MIN_LENGTH = 16
WEBHOOK_SECRET_MAX_LENGTH = 256


def validate_webhook_url(value):
    """An absolute http or https address (a force's back office takes reports over HTTP)."""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as error:
        raise ValidationError(
            _(
                "“%(value)s” is not a webhook address: give a full http or https URL, for "
                "example https://reports.thamesvalley.police.uk/solh."
            ),
            code="invalid_webhook_url",
            params={"value": value},
        ) from error


def validate_webhook_secret(value):
    """A secret of 16 to 256 characters, with no spaces at either end (easily lost in copying)."""
    if len(value) < WEBHOOK_SECRET_MIN_LENGTH:
        raise ValidationError(
            _(
                "The webhook secret must be at least %(min)s characters long: it signs every "
                "report sent to the webhook."
            ),
            code="short_webhook_secret",
            params={"min": WEBHOOK_SECRET_MIN_LENGTH},
        )
    if len(value) > WEBHOOK_SECRET_MAX_LENGTH:
        raise ValidationError(
            _("The webhook secret must be at most %(max)s characters long."),
            code="long_webhook_secret",
            params={"max": WEBHOOK_SECRET_MAX_LENGTH},
        )
    if value != value.strip():
        raise ValidationError(
            _("The webhook secret must not start or end with a space or a line break."),
            code="padded_webhook_secret",
        )
