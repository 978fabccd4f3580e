"""``{% fragment name key… %}…{% endfragment %}``: a part of a page rendered once and kept in
the process (``home.lookups.kept``) under keys that change whenever what it shows may have.

Unlike Django's ``{% cache %}``, nothing is read from the shared cache: every key carries
versions read from it once per request (the site chrome's version, ``fragment_key``), so a
kept fragment is never out of date and another process's change needs no telling. When the
first key is empty (a preview has no ``fragment_key``), the fragment is rendered every time.
"""

from django import template

from home.lookups import kept

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, keys):
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context):
        keys = tuple(str(key.resolve(context)) for key in self.keys)
        if not keys or keys[0] in ("", "None"):
            return self.nodelist.render(context)
        # The rendered nodes are a SafeString already.
        return kept.get_or_make(
            ("fragment", self.name, *keys), lambda: self.nodelist.render(context)
        )


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(
            f"'{bits[0]}' takes a name and at least one key: {{% fragment name key … %}}"
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return FragmentNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
