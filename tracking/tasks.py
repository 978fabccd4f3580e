"""Background jobs of the tracking app (run by ``manage.py run_worker``)."""

from django_tasks import task

from reporting.tasks import DELIVERY_PRIORITY


@task(priority=DELIVERY_PRIORITY)
def send_code(challenge_id, sealed_code):
    """Send a "Track my report" code (``tracking.challenges.send``); a no-op unless it matched."""
    from .challenges import send

    return send(challenge_id, sealed_code)
