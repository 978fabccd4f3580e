"""Report references: ``TVP-RTI-7KX2MQ`` — force, journey, then six unambiguous characters."""

import re
import secrets

# No 0/O, 1/I/L or U (which reads as V, and spells words): easy to read out on the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 6
MAX_LENGTH = 32  # Submission.reference


def _letters_and_digits(text):
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())


def new_reference(force, journey_code):
    """A new random reference for a report made on ``force``'s site with journey ``journey_code``.

    Not checked for uniqueness: the caller saves it under the unique constraint and retries
    with another on a collision (30⁶ ≈ 729 million per force and journey).
    """
    code = _letters_and_digits(journey_code)
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    room = MAX_LENGTH - len(code) - len(random_part) - 2
    force_part = _letters_and_digits(force.short_name)[:room]
    return "-".join(part for part in (force_part, code, random_part) if part)
