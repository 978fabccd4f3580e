"""Background jobs of the reporting app (run by ``manage.py run_worker``).

Thin entry points: the work is done by the services in ``reporting.delivery`` and
``reporting.retention``, which views, commands and tests call directly too.
"""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)

# Reports reach their force before housekeeping (search index updates, reference index, ...):
# a backlog of those, after a big publish, must never hold a report up.
DELIVERY_PRIORITY = 50


@task(priority=DELIVERY_PRIORITY)
def deliver(delivery_id):
    """Try one delivery of a report (webhook, force inbox or reporter's confirmation)."""
    from .delivery import attempt

    outcome = attempt(delivery_id)
    if outcome is None:
        return "skipped"
    return "delivered" if outcome.delivered else "not-delivered"


@task()
def sweep_deliveries():
    """Queue again deliveries that are due and held by no worker (see ``delivery.sweep``)."""
    from .delivery import sweep

    count = sweep()
    logger.info("Sweep: %s deliveries queued again", count)
    return count


@task()
def purge_expired_reports():
    """Delete reports past their force's retention period, and abandoned drafts."""
    from .retention import purge_expired

    return purge_expired()
