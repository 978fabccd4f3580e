"""Where uploaded files live, from environment variables (imported by ``base``).

Local files by default (``MEDIA_ROOT`` and ``PRIVATE_MEDIA_ROOT``). Setting
``AWS_STORAGE_BUCKET_NAME`` moves media to S3 (or any S3-compatible service):

* ``default``: images and renditions as public-read objects with plain, unsigned URLs (through
  ``AWS_S3_CUSTOM_DOMAIN`` when a CDN fronts the bucket); Wagtail documents go to the same bucket
  as *private* objects and are only ever read by Wagtail's serve view (collection privacy).
* ``private``: a separate bucket, ``AWS_PRIVATE_BUCKET_NAME``, of private objects whose URLs are
  signed and expire after ``AWS_PRIVATE_URL_EXPIRY`` seconds.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DEFAULT_PRIVATE_URL_EXPIRY = 300


def _get(environ, name, default=None):
    value = environ.get(name, "")
    return value if value != "" else default


def _s3_connection_options(environ):
    """Endpoint, region and credentials shared by both buckets (the instance role when unset)."""
    options = {}
    for option, variable in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
    ):
        value = _get(environ, variable)
        if value is not None:
            options[option] = value
    return options


def private_url_expiry(environ):
    value = _get(environ, "AWS_PRIVATE_URL_EXPIRY")
    if value is None:
        return DEFAULT_PRIVATE_URL_EXPIRY
    try:
        seconds = int(value)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"AWS_PRIVATE_URL_EXPIRY must be a whole number, not {value!r}."
        ) from error
    if seconds <= 0:
        raise ImproperlyConfigured("AWS_PRIVATE_URL_EXPIRY must be a positive number of seconds.")
    return seconds


def media_storages(environ, base_dir):
    """The ``default`` and ``private`` entries of ``STORAGES`` for the environment ``environ``."""
    bucket = _get(environ, "AWS_STORAGE_BUCKET_NAME")
    if bucket is None:
        private_root = Path(_get(environ, "PRIVATE_MEDIA_ROOT", Path(base_dir) / "private_media"))
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            # Outside MEDIA_ROOT, so nothing serves it; read only through code that checks access.
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(private_root), "base_url": None},
            },
        }

    private_bucket = _get(environ, "AWS_PRIVATE_BUCKET_NAME")
    if private_bucket is None:
        raise ImproperlyConfigured(
            "AWS_PRIVATE_BUCKET_NAME must be set when AWS_STORAGE_BUCKET_NAME is: private files "
            "need a bucket of their own."
        )
    if private_bucket == bucket:
        raise ImproperlyConfigured(
            "AWS_PRIVATE_BUCKET_NAME must differ from AWS_STORAGE_BUCKET_NAME."
        )

    connection = _s3_connection_options(environ)
    public_options = {
        **connection,
        "bucket_name": bucket,
        "location": _get(environ, "AWS_LOCATION", "media"),
        "default_acl": "public-read",
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=86400"},
    }
    custom_domain = _get(environ, "AWS_S3_CUSTOM_DOMAIN")
    if custom_domain is not None:
        public_options["custom_domain"] = custom_domain

    private_options = {
        **connection,
        "bucket_name": private_bucket,
        "location": "",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": private_url_expiry(environ),
        "file_overwrite": False,
        "custom_domain": None,
        "object_parameters": {"CacheControl": "private, no-store"},
    }
    return {
        "default": {"BACKEND": "solh.storage.MediaStorage", "OPTIONS": public_options},
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": private_options},
    }
