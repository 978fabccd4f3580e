"""The media collections: one per force, and one national collection for the hub's media."""

from wagtail.models import Collection

NATIONAL_COLLECTION_NAME = "National"


def national_collection():
    """The national media collection, or ``None`` before the hub is set up."""
    root = Collection.get_first_root_node()
    if root is None:
        return None
    return root.get_children().filter(name=NATIONAL_COLLECTION_NAME).first()


def ensure_collection(name, previous=None):
    """Return a child collection of the root called ``name``, renaming ``previous`` if given."""
    root = Collection.get_first_root_node()
    if previous is not None:
        if previous.name != name:
            previous.name = name
            previous.save(update_fields=["name"])
        return previous, False
    existing = root.get_children().filter(name=name).first()
    if existing:
        return existing, False
    return root.add_child(instance=Collection(name=name)), True
