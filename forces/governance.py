"""National governance: the 50:50 approval workflow on the national tree.

(Being built: see the national content issue.)
"""


def ensure_national_workflow(hub):
    """Create or update the national workflow and assign it to the hub's tree.

    Returns True if anything changed.
    """
    return False
