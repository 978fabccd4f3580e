"""The one table every process reads to learn what changed in another (``solh.versions``)."""

from django.db import models


class SharedVersion(models.Model):
    """A named token that moves (to a new random value) whenever what it stands for changes:
    each process compares it with the value it last read, on its next request."""

    name = models.CharField(max_length=32, primary_key=True)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = "shared version"

    def __str__(self):
        return f"{self.name}={self.value}"
