"""Storage backends: public media on S3, with Wagtail documents kept private.

Images and renditions are public objects (served straight from the bucket or its CDN).
Documents live in the same bucket but as private objects, so the only way to read one is
Wagtail's document serve view, which applies collection privacy first.
"""

from storages.backends.s3 import S3Storage

# Wagtail's Document.file uses ``upload_to="documents"``.
PRIVATE_PREFIXES = ("documents/",)


class MediaStorage(S3Storage):
    """S3 storage whose objects are public-read, except documents, which are private."""

    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        if self.is_private_name(name):
            params["ACL"] = "private"
        return params

    def is_private_name(self, name):
        location = (self.location or "").strip("/")
        relative = name.lstrip("/")
        if location and relative.startswith(location + "/"):
            relative = relative[len(location) + 1 :]
        return relative.startswith(PRIVATE_PREFIXES)
