"""Parsing and checking what the public type and upload into a reporting journey.

Text parsers return a normalised value, or ``None`` when the input is not recognised; the
question fields in ``reporting.journey`` turn ``None`` into a GOV.UK-style error message.

``check_evidence_file`` checks an uploaded evidence file by its contents (never only its name)
and raises ``ValidationError`` with a message that never repeats the file's name: file names
can hold personal data, and messages end up in logs and error reports.
"""

import datetime
import io
import re
import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

import filetype
import phonenumbers

# --- Postcodes ---------------------------------------------------------------------------------

# The outward code (area, district) and inward code (sector, unit) of a UK postcode. The letters
# each position can hold follow Royal Mail's rules (no Q, V or X first, no I, J or Z second, and
# no C, I, K, M, O or V in the unit), so "obviously wrong" postcodes are refused.
POSTCODE_RE = re.compile(
    r"^(?P<outward>"
    r"[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"
    r")(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(text):
    """``text`` as a UK postcode, upper case with one space ("rg11aa" → "RG1 1AA"), or None."""
    compact = re.sub(r"[\s\-.]", "", str(text or "")).upper()
    if compact == "GIR0AA":
        return "GIR 0AA"
    match = POSTCODE_RE.match(compact)
    if not match:
        return None
    return f"{match['outward']} {match['inward']}"


# --- Vehicle registrations ----------------------------------------------------------------------

# Each format, with where the space goes. Checked in this order; the first match wins.
REGISTRATION_FORMATS = [
    # Current, since 2001: AB12 CDE.
    re.compile(r"^(?P<a>[A-Z]{2}[0-9]{2})(?P<b>[A-Z]{3})$"),
    # Prefix, 1983–2001: A123 BCD.
    re.compile(r"^(?P<a>[A-Z][0-9]{1,3})(?P<b>[A-Z]{3})$"),
    # Suffix, 1963–1983: ABC 123D.
    re.compile(r"^(?P<a>[A-Z]{3})(?P<b>[0-9]{1,3}[A-Z])$"),
    # Dateless and Northern Ireland (letters then numbers): A 1, ABC 1234, AIZ 1234.
    re.compile(r"^(?P<a>[A-Z]{1,3})(?P<b>[0-9]{1,4})$"),
    # Dateless (numbers then letters): 1 A, 1234 AB.
    re.compile(r"^(?P<a>[0-9]{1,4})(?P<b>[A-Z]{1,3})$"),
]


def normalise_registration(text):
    """``text`` as a UK vehicle registration, upper case with the usual space, or None."""
    compact = re.sub(r"[\s\-.]", "", str(text or "")).upper()
    if not 2 <= len(compact) <= 7:
        return None
    for pattern in REGISTRATION_FORMATS:
        match = pattern.match(compact)
        if match:
            return f"{match['a']} {match['b']}"
    return None


# --- Telephone numbers --------------------------------------------------------------------------

# Ofcom's ranges for drama. They are not real numbers, but GOV.UK's own example numbers come from
# them, so the examples in our error messages (and testers copying them) must be accepted.
DRAMA_NUMBER_PREFIXES = ("+441632960", "+447700900")


def normalise_phone(text):
    """``text`` as a telephone number in E.164 ("+447700900982"), or None.

    UK numbers may be written nationally ("07700 900 982") or internationally; other countries'
    numbers need their ``+`` code.
    """
    text = str(text or "").strip()
    if not text or len(text) > 30:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(number):
        return e164
    if e164.startswith(DRAMA_NUMBER_PREFIXES) and len(e164) == 13:
        return e164
    return None


def format_phone(e164):
    """A stored E.164 number for people: national format for UK numbers, else international."""
    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return str(e164)
    if number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --- Email addresses ----------------------------------------------------------------------------

_email_validator = EmailValidator()


def normalise_email(text):
    """``text`` as an email address (trimmed, domain in lower case), or None."""
    text = str(text or "").strip()
    if len(text) > 254 or "@" not in text:
        return None
    local, _at, domain = text.rpartition("@")
    # A real address has a dot in its domain; "name@localhost" is almost always a typo.
    if "." not in domain.strip("."):
        return None
    address = f"{local}@{domain.lower()}"
    try:
        _email_validator(address)
    except ValidationError:
        return None
    return address


# --- Times --------------------------------------------------------------------------------------

TIME_WORDS = {
    "midday": (12, 0),
    "noon": (12, 0),
    "12noon": (12, 0),
    "midnight": (0, 0),
    "12midnight": (0, 0),
    "canol dydd": (12, 0),
    "hanner nos": (0, 0),
}
TIME_RE = re.compile(
    r"^(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?\s*(?P<half>am|pm|a\.m\.|p\.m\.)?$"
)
TIME_COMPACT_RE = re.compile(r"^(?P<hour>[0-9]{2})(?P<minute>[0-9]{2})$")


def parse_time(text):
    """A time of day from what people type ("14:30", "2:30pm", "2pm", "midday"), or None."""
    text = re.sub(r"\s+", " ", str(text or "").strip().lower())
    if text in TIME_WORDS:
        return datetime.time(*TIME_WORDS[text])
    match = TIME_RE.match(text) or TIME_COMPACT_RE.match(text)
    if not match:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    half = (match.groupdict().get("half") or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match["minute"] is None:
        # "14" alone is ambiguous enough to ask again; "2pm" and "14:00" are not.
        return None
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def format_time(value):
    """A stored "HH:MM" time as GOV.UK writes times: "2:30pm", "9am", "midday", "midnight"."""
    try:
        hour, minute = (int(part) for part in str(value).split(":")[:2])
    except ValueError:
        return str(value)
    if (hour, minute) == (12, 0):
        return str(_("midday"))
    if (hour, minute) == (0, 0):
        return str(_("midnight"))
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}{suffix}" if minute == 0 else f"{hour12}:{minute:02d}{suffix}"


# --- Dates --------------------------------------------------------------------------------------

# fmt: off
ENGLISH_MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]
# Welsh too: the service is offered in Cymraeg.
WELSH_MONTHS = [
    "ionawr", "chwefror", "mawrth", "ebrill", "mai", "mehefin",
    "gorffennaf", "awst", "medi", "hydref", "tachwedd", "rhagfyr",
]
# fmt: on
MONTH_NAMES = {
    **{name: number for number, name in enumerate(ENGLISH_MONTHS, start=1)},
    # GOV.UK accepts "jan" as well as "january".
    **{name[:3]: number for number, name in enumerate(ENGLISH_MONTHS, start=1)},
    "sept": 9,
    **{name: number for number, name in enumerate(WELSH_MONTHS, start=1)},
}


def parse_day(text):
    """A day of the month as a number ("01" → 1), or None if it is not a number."""
    text = str(text or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,2}", text) else None


def parse_month(text):
    """A month as a number from "1", "01", "jan" or "January" (and Welsh names), or None."""
    text = str(text or "").strip().lower().rstrip(".")
    if re.fullmatch(r"[0-9]{1,2}", text):
        return int(text)
    return MONTH_NAMES.get(text)


def parse_year(text):
    """A four-digit year, or None."""
    text = str(text or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{4}", text) else None


# --- Evidence files -----------------------------------------------------------------------------

# What each accepted kind of file is, keyed by its canonical extension: the MIME type stored and
# sent to the force, the extensions a file of that type may be named with, what the public call
# it, and the kind an editor accepts it under.
EVIDENCE_TYPES = {
    "jpg": ("image/jpeg", {"jpg", "jpeg", "jpe", "jfif"}, "JPG", "images"),
    "png": ("image/png", {"png"}, "PNG", "images"),
    "heic": ("image/heic", {"heic", "heif"}, "HEIC", "images"),
    "webp": ("image/webp", {"webp"}, "WEBP", "images"),
    "gif": ("image/gif", {"gif"}, "GIF", "images"),
    "mp4": ("video/mp4", {"mp4", "m4v"}, "MP4", "video"),
    "mov": ("video/quicktime", {"mov", "qt"}, "MOV", "video"),
    "pdf": ("application/pdf", {"pdf"}, "PDF", "documents"),
}
EVIDENCE_KINDS = ("images", "video", "documents")

# ISO base media (ftyp) brands: QuickTime, HEIF images, MP4 video. AVIF and others are refused.
QUICKTIME_BRANDS = {"qt  "}
HEIF_BRANDS = {"heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1"}
HEIF_IMAGE_BRANDS = HEIF_BRANDS - {"mif1", "msf1"}
MP4_BRANDS = {
    "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "M4VH",
    "M4VP", "f4v ", "mmp4", "dash", "MSNV", "XAVC",
}  # fmt: skip

# Markup a browser would render or run if the file were ever opened from a URL.
MARKUP_STARTS = (b"<!doctype", b"<html", b"<head", b"<body", b"<svg", b"<?xml", b"<script")

HEAD_SIZE = 8192

# Mach-O (32/64-bit, both byte orders, and universal binaries).
MACHO_MAGICS = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
PILLOW_FORMATS = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}


def accepted_types(kinds=EVIDENCE_KINDS):
    """The canonical extensions accepted for the given kinds, in the order they are listed."""
    return [ext for ext, (_mime, _names, _public, kind) in EVIDENCE_TYPES.items() if kind in kinds]


def describe_types(kinds=EVIDENCE_KINDS):
    """ "JPG, PNG, HEIC, MP4, MOV or PDF": the accepted types as GOV.UK lists them."""
    names = [EVIDENCE_TYPES[ext][2] for ext in accepted_types(kinds)]
    # The less familiar still-image formats are accepted but not advertised.
    shown = [name for name in names if name not in ("WEBP", "GIF")] or names
    if len(shown) == 1:
        return shown[0]
    return str(_("%(list)s or %(last)s")) % {"list": ", ".join(shown[:-1]), "last": shown[-1]}


def format_file_size(size):
    """A size in bytes as GOV.UK writes it: "20MB", "500KB", "1.5MB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + "MB"
    if size >= 1024:
        return f"{size / 1024:.0f}KB"
    return str(_("%(count)s bytes")) % {"count": size}


def _iso_brands(head):
    """The major and compatible brands of an ISO base media file (MP4, MOV, HEIC), or None."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return None
    (box_size,) = struct.unpack(">I", head[:4])
    if box_size < 16 or box_size > len(head):
        box_size = min(len(head), 64)
    major = head[8:12].decode("latin-1")
    compatible = {
        head[offset : offset + 4].decode("latin-1") for offset in range(16, box_size - 3, 4)
    }
    return major, compatible


def _sniff(head):
    """The canonical extension of an accepted type that ``head`` is, or None."""
    brands = _iso_brands(head)
    if brands:
        major, compatible = brands
        if major in QUICKTIME_BRANDS:
            return "mov"
        if major in HEIF_IMAGE_BRANDS or (major in HEIF_BRANDS and compatible & HEIF_IMAGE_BRANDS):
            return "heic"
        if major in MP4_BRANDS or (major not in HEIF_BRANDS and compatible & MP4_BRANDS):
            return "mp4"
        return None
    kind = filetype.guess(head)
    if kind is None:
        return None
    return {
        "image/jpeg": "jpg",
        "image/png": "png",
        "image/webp": "webp",
        "image/gif": "gif",
        "application/pdf": "pdf",
    }.get(kind.mime)


def is_program(head):
    """Whether ``head`` (the first bytes of a file) is an executable or a script.

    The same test as document uploads (``solh.uploads``), which cannot be imported while
    models load.
    """
    if head.startswith((b"\x7fELF", *MACHO_MAGICS)):
        return True
    # A DOS/Windows header always holds NUL bytes; a text file that happens to start "MZ" does not.
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        return True
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"#!")


def _is_markup(head):
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n\f\v").lower()
    return start.startswith(MARKUP_STARTS)


def _pillow_reads(upload, extension):
    """Whether Pillow recognises the image header (it reads the header, not the whole image)."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(io.BytesIO(upload.read(HEAD_SIZE * 8))) as image:
            return image.format == PILLOW_FORMATS[extension]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error):
        return False
    finally:
        upload.seek(0)


def check_evidence_file(upload, kinds=EVIDENCE_KINDS, subject=None):
    """Check one uploaded evidence file; return its ``(content_type, extension)``.

    The file is recognised by its contents. It is refused (``ValidationError``, with a GOV.UK
    message about "the selected file") if it is empty, larger than
    ``REPORT_EVIDENCE_MAX_BYTES``, a program (whatever it is called), a web page or SVG, not
    one of the accepted ``kinds`` ("images", "video", "documents"), or named as a different
    type from its contents. ``subject`` replaces "The selected file" in messages, e.g. to say
    which of several files it is. The file is rewound afterwards.
    """
    subject = subject or _("The selected file")
    max_bytes = settings.REPORT_EVIDENCE_MAX_BYTES
    types = describe_types(kinds)
    wrong_type = ValidationError(
        _("%(subject)s must be a %(types)s"),
        code="file_type",
        params={"subject": subject, "types": types},
    )
    size = upload.size
    if not size:
        raise ValidationError(_("%(subject)s is empty"), code="empty", params={"subject": subject})
    if size > max_bytes:
        raise ValidationError(
            _("%(subject)s must be smaller than %(size)s"),
            code="too_large",
            params={"subject": subject, "size": format_file_size(max_bytes)},
        )
    upload.seek(0)
    head = upload.read(HEAD_SIZE)
    upload.seek(0)
    if is_program(head):
        raise ValidationError(
            _("%(subject)s is a program, so it cannot be uploaded. It must be a %(types)s"),
            code="program",
            params={"subject": subject, "types": types},
        )
    if _is_markup(head):
        raise wrong_type
    extension = _sniff(head)
    if extension is None or extension not in accepted_types(kinds):
        raise wrong_type
    if extension in PILLOW_FORMATS and not _pillow_reads(upload, extension):
        raise wrong_type
    content_type, names, _public, _kind = EVIDENCE_TYPES[extension]
    name = str(getattr(upload, "name", "") or "")
    named_as = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if named_as and named_as not in names:
        raise ValidationError(
            _("%(subject)s is not the type of file its name says. It must be a %(types)s"),
            code="name_mismatch",
            params={"subject": subject, "types": types},
        )
    return content_type, extension
