"""What every process reads to learn what changed in another (``solh.versions``)."""

from django.db import models


class VersionStamp(models.Model):
    """One mark left by a change: a version token is the set of its stamps' ids.

    A change adds a stamp in its own transaction (an insert, which never waits for another
    writer), so the token moves when, and only when, the change commits. Once it has committed,
    the older stamps of the token are replaced by one new stamp: every token a process ever
    reads holds an id never seen before, so no token comes back.
    """

    name = models.CharField(max_length=32, db_index=True)

    class Meta:
        verbose_name = "version stamp"

    def __str__(self):
        return f"{self.name}#{self.pk}"
