"""How often each search is made on each site, a day at a time, for the "Popular searches" report.

Only the normalised text of the query is kept (no user, session or IP address), with the number of
times it was searched that day and how many results the latest of those searches found.
"""

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import Site

MAX_QUERY_LENGTH = 200


def normalise_query(query):
    """Lower case, with runs of whitespace collapsed to one space."""
    return " ".join(query.split()).lower()[:MAX_QUERY_LENGTH]


class SearchQueryCount(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="search_query_counts", verbose_name=_("site")
    )
    query = models.CharField(_("query"), max_length=MAX_QUERY_LENGTH)
    day = models.DateField(_("day"))
    hits = models.PositiveIntegerField(_("hits"), default=0)
    results = models.PositiveIntegerField(
        _("results"), default=0, help_text=_("Results found by the latest search that day.")
    )

    class Meta:
        verbose_name = _("search query count")
        verbose_name_plural = _("search query counts")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "day", "query"], name="search_query_count_unique_per_day"
            )
        ]

    def __str__(self):
        return f"{self.query} ({self.day}: {self.hits})"

    @classmethod
    def record(cls, site, query, results):
        """Count one search of ``query`` on ``site`` today, safely under concurrent requests."""
        query = normalise_query(query)
        if not query:
            return
        today = timezone.localdate()
        rows = cls.objects.filter(site=site, day=today, query=query)
        if rows.update(hits=F("hits") + 1, results=results):
            return
        try:
            with transaction.atomic():
                cls.objects.create(site=site, day=today, query=query, hits=1, results=results)
        except IntegrityError:  # another request created it first
            rows.update(hits=F("hits") + 1, results=results)
