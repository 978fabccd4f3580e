"""Logging filters that keep what people typed out of the logs."""

import logging
import re


class WithoutTemplateContext(logging.Filter):
    """Drop the exception from ``django.template``'s "Exception while resolving variable" lines.

    That exception's text is the whole template context, which on a reporting journey holds
    the reporter's answers. The line itself (variable and template names) is kept.
    """

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True


class WithoutQueryStrings(logging.Filter):
    """Cut the query string out of request lines (``runserver``'s "GET /path?… HTTP/1.1").

    A query string can carry a one-time token (the link to a saved report, see
    ``reporting.save_and_return``); the path is enough to read a log by.
    """

    QUERY = re.compile(r"(?<=[^\s?])\?[^\s\"']*")

    def _clean(self, value):
        return self.QUERY.sub("?…", value) if isinstance(value, str) else value

    def filter(self, record):
        record.msg = self._clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._clean(arg) for arg in record.args)
        return True
