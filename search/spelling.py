""" "Did you mean …?": a spelling suggestion drawn from the words of the site's page titles.

On PostgreSQL, trigram similarity (the ``pg_trgm`` extension, enabled by a migration) picks each
query word's closest title word in the database; elsewhere (the SQLite demo) ``difflib`` does the
same in Python.
"""

import difflib
import re

from django.db import connection

MIN_WORD_LENGTH = 3
TRIGRAM_THRESHOLD = 0.3
DIFFLIB_CUTOFF = 0.75

WORD = re.compile(r"\w+")

# For each query term, the title word most similar to it (trigram similarity), if similar enough.
CLOSEST_WORDS_SQL = """
    WITH title_words AS (
        SELECT DISTINCT lower(word) AS word
        FROM ({titles}) AS titles,
             regexp_split_to_table(titles.title, '[[:space:][:punct:]]+') AS word
        WHERE length(word) >= %s
    )
    SELECT term, (
        SELECT word FROM title_words
        WHERE similarity(word, term) >= %s
        ORDER BY similarity(word, term) DESC, word
        LIMIT 1
    )
    FROM unnest(%s::text[]) AS terms(term)
"""


def _query_words(query):
    return WORD.findall(query.lower())


def _closest_postgresql(words, pages):
    """Map each of ``words`` to its most similar title word of ``pages`` (or to nothing)."""
    titles_sql, titles_params = pages.values("title").query.sql_with_params()
    # Only Django's own SQL for ``pages`` is interpolated; every value goes in as a parameter.
    sql = CLOSEST_WORDS_SQL.format(titles=titles_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*titles_params, MIN_WORD_LENGTH, TRIGRAM_THRESHOLD, words])
        return {term: match for term, match in cursor.fetchall() if match}


def _closest_difflib(words, pages):
    title_words = {
        word
        for title in pages.values_list("title", flat=True)
        for word in _query_words(title)
        if len(word) >= MIN_WORD_LENGTH
    }
    closest = {}
    for word in words:
        matches = difflib.get_close_matches(word, title_words, n=1, cutoff=DIFFLIB_CUTOFF)
        if matches:
            closest[word] = matches[0]
    return closest


def suggest(query, pages):
    """A corrected ``query`` built from the title words of ``pages``, or ``None``.

    Only words of ``MIN_WORD_LENGTH`` letters or more are corrected; the suggestion is ``None``
    when no word changes.
    """
    words = _query_words(query)
    candidates = sorted({word for word in words if len(word) >= MIN_WORD_LENGTH})
    if not candidates:
        return None
    if connection.vendor == "postgresql":
        closest = _closest_postgresql(candidates, pages)
    else:
        closest = _closest_difflib(candidates, pages)
    suggestion = " ".join(closest.get(word, word) for word in words)
    return suggestion if suggestion != " ".join(words) else None
