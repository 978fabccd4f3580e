"""National content once, on every force site: aliases of the national library.

(Being built: see the national content issue.)
"""


def ensure_national_library(force):
    """Give ``force`` the whole current national library at its own ``/advice/``.

    Returns True if anything changed.
    """
    return False
