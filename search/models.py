"""How often each search is made on each site, a day at a time, for the "Popular searches" report.

Only the normalised text of the query is kept (no user, session or IP address), with the number of
times it was searched that day and how many results the latest of those searches found.
"""

import re

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import Site

MAX_QUERY_LENGTH = 200

# PostgreSQL and SQLite alike (the conflict target is the model's unique constraint).
RECORD_SQL = """
    INSERT INTO {table} (site_id, query, day, hits, results) VALUES (%s, %s, %s, 1, %s)
    ON CONFLICT (site_id, day, query)
    DO UPDATE SET hits = {table}.hits + 1, results = excluded.results
"""


# Control characters mean nothing in a search, and PostgreSQL cannot take NUL in a text value.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def without_control_characters(text):
    """``text`` with each control character (NUL, escape, new line…) read as a space."""
    return CONTROL_CHARACTERS.sub(" ", text)


def normalise_query(query):
    """Lower case, with control characters and runs of whitespace collapsed to one space."""
    return " ".join(without_control_characters(query).split()).lower()[:MAX_QUERY_LENGTH]


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
        """Count one search of ``query`` on ``site`` today, in one statement that is safe under
        concurrent requests (an insert that adds to the day's row if it is already there)."""
        query = normalise_query(query)
        if not query:
            return
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            # Only the table's name is interpolated; every value goes in as a parameter.
            cursor.execute(
                RECORD_SQL.format(table=table),
                [site.pk, query, timezone.localdate(), results],
            )


class PromotedResultQuerySet(models.QuerySet):
    def for_query(self, query, site):
        """The promotions of ``query`` that ``site`` shows: national ones and its force's own
        (the force's first), in their order."""
        return (
            self.filter(query_string=normalise_query(query))
            .filter(models.Q(force__isnull=True) | models.Q(force__site=site))
            .order_by(models.F("force").asc(nulls_last=True), "sort_order", "pk")
        )


class PromotedResult(models.Model):
    """An editor's "Recommended" result for a search: a page or an external link.

    National promotions (no force) show on every site; a force's show only on its site. A
    promoted page shows as the site's own copy of it (see ``search.promotions``).
    """

    force = models.ForeignKey(
        "forces.Force",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="promoted_results",
        verbose_name=_("force"),
        help_text=_("The site that shows it. Leave empty for every site (national)."),
    )
    query_string = models.CharField(
        _("search"),
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "The search it is recommended for, matched whole, ignoring capitals and extra "
            "spaces (for example: burglary)."
        ),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("page"),
        help_text=_("A page on the site, or a national page."),
    )
    external_link_url = models.URLField(
        _("external link"), blank=True, help_text=_("Or a link to another website.")
    )
    external_link_text = models.CharField(_("external link text"), max_length=200, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Shown under the link. For a page, leave empty to use its own summary."),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers are shown first.")
    )

    objects = PromotedResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("promoted search result")
        verbose_name_plural = _("promoted search results")
        ordering = ["query_string", "sort_order", "pk"]
        indexes = [models.Index(fields=["query_string"], name="search_promotion_query")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(page__isnull=False, external_link_url="")
                    | models.Q(page__isnull=True) & ~models.Q(external_link_url="")
                ),
                name="search_promotion_page_or_link",
            )
        ]

    def __str__(self):
        return f"{self.query_string}: {self.title}"

    def save(self, *args, **kwargs):
        self.query_string = normalise_query(self.query_string)
        super().save(*args, **kwargs)

    @property
    def title(self):
        return self.page.title if self.page_id else self.external_link_text

    @property
    def shown_on(self):
        return self.force.name if self.force_id else _("Every site (national)")
