"""``{% hashed_style %}…{% endhashed_style %}``: an inline ``<style>`` block that the
Content-Security-Policy allows by its hash (``solh.csp``), with no ``'unsafe-inline'``.

Only for CSS that is the same for every visitor of a site (a nonce would be needed otherwise),
and never inside a cached ``{% fragment %}``: the hash is recorded while the block renders.
"""

from django import template
from django.utils.safestring import mark_safe

from solh.csp import allow_inline_style

register = template.Library()


class HashedStyleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        css = self.nodelist.render(context)
        allow_inline_style(context.get("request"), css)
        # The content was rendered (and escaped) by the template itself.
        return mark_safe(f"<style>{css}</style>")  # noqa: S308


@register.tag
def hashed_style(parser, token):
    """Render the enclosed CSS as a ``<style>`` block allowed by its sha256 hash."""
    nodelist = parser.parse(("endhashed_style",))
    parser.delete_first_token()
    return HashedStyleNode(nodelist)
