"""Model fields whose values are encrypted at rest (see ``reporting.crypto``)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. Not searchable or orderable in the database, by design."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.decode(crypto.decrypt(value.encode("ascii")))

    def get_prep_value(self, value):
        value = super(models.TextField, self).get_prep_value(value)
        if value is None:
            return None
        return crypto.encrypt(self.encode(value)).decode("ascii")

    def to_python(self, value):
        return value

    def encode(self, value):
        return str(value).encode("utf-8")

    def decode(self, data):
        return data.decode("utf-8")


class EncryptedJSONField(EncryptedTextField):
    """Any JSON-serialisable value, stored encrypted."""

    def encode(self, value):
        return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":")).encode("utf-8")

    def decode(self, data):
        return json.loads(data)
