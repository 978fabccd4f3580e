"""Feedback is purged ``FEEDBACK_RETENTION_DAYS`` after it was given."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Feedback


def purge(now=None, *, dry_run=False):
    """Delete (or count) feedback older than ``FEEDBACK_RETENTION_DAYS``."""
    days = settings.FEEDBACK_RETENTION_DAYS
    if not days:
        return 0
    old = Feedback.objects.filter(created_at__lt=(now or timezone.now()) - timedelta(days=days))
    if dry_run:
        return old.count()
    deleted, _by_model = old.delete()
    return deleted
