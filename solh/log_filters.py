"""Logging filters that keep what people typed out of the logs."""

import logging


class WithoutTemplateContext(logging.Filter):
    """Drop the exception from ``django.template``'s "Exception while resolving variable" lines.

    That exception's text is the whole template context, which on a reporting journey holds
    the reporter's answers. The line itself (variable and template names) is kept.
    """

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True
