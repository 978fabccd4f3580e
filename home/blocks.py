"""StreamField blocks shared by every site's pages. Each StreamBlock set is defined once here."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "home/blocks/heading.html"
        description = _("A section heading. Use Heading 2 for sections, Heading 3 within them.")
        preview_value = {"text": _("What to do next"), "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "home/blocks/paragraph.html"
        description = _("Formatted text: paragraphs, lists and links.")
        preview_value = "<p>Lock doors and windows when you go out, even for a few minutes.</p>"


class CalloutBlock(blocks.StructBlock):
    """GOV.UK warning text, inset text or an 'important' notification banner."""

    style = blocks.ChoiceBlock(
        label=_("Style"),
        choices=[
            ("warning", _("Warning (for danger and emergencies)")),
            ("inset", _("Inset (to set a point apart)")),
            ("important", _("Important information banner")),
        ],
        default="warning",
    )
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "link", "ul"])

    class Meta:
        icon = "warning"
        template = "home/blocks/callout.html"
        description = _("Draws attention to something, such as “If you are in danger, call 999”.")
        preview_value = {
            "style": "warning",
            "text": "<p>If you are in immediate danger, call 999.</p>",
        }

    def clean(self, value):
        value = super().clean(value)
        if value["style"] == "important" and not value["heading"]:
            raise StructBlockValidationError(
                block_errors={"heading": [_("An important information banner needs a heading.")]}
            )
        return value


class AccordionItemBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    summary = blocks.CharBlock(label=_("Summary"), required=False, max_length=250)
    content = blocks.RichTextBlock(label=_("Content"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ul"


class AccordionBlock(blocks.StructBlock):
    items = blocks.ListBlock(AccordionItemBlock(), min_num=1, label=_("Sections"))

    class Meta:
        icon = "list-ul"
        template = "home/blocks/accordion.html"
        description = _("Sections that open and close, for related information people scan.")
        preview_value = {
            "items": [
                {"heading": _("At home"), "content": "<p>Fit good locks.</p>"},
                {"heading": _("On the street"), "content": "<p>Keep valuables hidden.</p>"},
            ]
        }


class LinkStructValue(blocks.StructValue):
    def url(self):
        page = self.get("page")
        return page.url if page else self.get("url")

    def text(self):
        page = self.get("page")
        return self.get("title") or (page.title if page else self.get("url"))


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=120)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or an external address"), required=False)

    class Meta:
        icon = "link"
        value_class = LinkStructValue

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choose a page or enter an address, but not both.")
            raise StructBlockValidationError(block_errors={"page": [message], "url": [message]})
        if value.get("url") and not value.get("title"):
            raise StructBlockValidationError(
                block_errors={"title": [_("Give link text for an external address.")]}
            )
        return value


class LinkListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    links = blocks.ListBlock(LinkBlock(), min_num=1, label=_("Links"))

    class Meta:
        icon = "list-ul"
        template = "home/blocks/link_list.html"
        description = _("A list of related links, to pages on this site or elsewhere.")
        preview_value = {
            "heading": _("Related"),
            "links": [{"title": "Victim Support", "url": "https://www.victimsupport.org.uk/"}],
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=250,
        help_text=_(
            "Describe the image for people who cannot see it; leave empty to use the "
            "image's own description."
        ),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "home/blocks/image.html"
        description = _("An image with alternative text and an optional caption.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        template = "home/blocks/document.html"
        description = _("A downloadable document, shown with its type and size.")


class ContactDetailsBlock(blocks.StructBlock):
    """Ways to get in touch; left empty, the force's own numbers from its settings are shown."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    phone = blocks.CharBlock(label=_("Phone"), required=False, max_length=40)
    email = blocks.EmailBlock(label=_("Email"), required=False)
    address = blocks.TextBlock(label=_("Address"), required=False)
    opening_hours = blocks.CharBlock(label=_("Opening hours"), required=False, max_length=200)
    use_force_details = blocks.BooleanBlock(
        label=_("Also show the force's 999, 101 and textphone numbers"),
        required=False,
        default=True,
    )

    class Meta:
        icon = "mail"
        template = "home/blocks/contact_details.html"
        description = _("Phone numbers, email and address, with the force's 999 and 101 details.")
        preview_value = {"heading": _("Contact us"), "use_force_details": True}


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    callout = CalloutBlock()
    accordion = AccordionBlock()
    link_list = LinkListBlock()
    image = ImageBlock()
    document = DocumentBlock()
    contact_details = ContactDetailsBlock()


class FeaturedTaskBlock(blocks.StructBlock):
    """A task on a force home page: 'Report', 'Advice', 'Contact us' and the like."""

    title = blocks.CharBlock(label=_("Title"), max_length=60)
    description = blocks.CharBlock(label=_("Description"), max_length=160, required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(
        label=_("Or an address"),
        required=False,
        max_length=250,
        help_text=_("A path on this site such as /report/, or a full address."),
    )

    class Meta:
        icon = "pick"
        template = "home/blocks/featured_task.html"
        value_class = LinkStructValue
        description = _("A common task people come to the site for.")
        preview_value = {"title": _("Contact us"), "url": "/contact-us/"}

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choose a page or enter an address, but not both.")
            raise StructBlockValidationError(block_errors={"page": [message], "url": [message]})
        return value


class FeaturedTasksBlock(blocks.StreamBlock):
    task = FeaturedTaskBlock()

    class Meta:
        max_num = 6
