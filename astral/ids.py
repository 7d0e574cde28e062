"""Public identifiers: prefixed random strings (`usr_3f9c…`); integer primary keys stay internal."""

import re
import secrets

from django.db import models

PUBLIC_ID_RANDOM_BYTES = 8  # 16 hex characters: 2^64 ids per prefix
_RANDOM_PART = re.compile(rf"[0-9a-f]{{{2 * PUBLIC_ID_RANDOM_BYTES}}}")


def new_public_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(PUBLIC_ID_RANDOM_BYTES)}"


def is_public_id(value: object, prefix: str | type[models.Model]) -> bool:
    """True when `value` has exactly the shape new_public_id() gives: `<prefix>_` + 16 lowercase hex.

    `prefix` is the prefix itself (`"usr"`) or a model with a PublicIdField (`User`). Every lookup
    by a public id from request input asks here first, so a malformed id (wrong prefix or length,
    non-hex, a NUL byte, 10 000 characters) is the endpoint's usual "not found" without a query.
    """
    if not isinstance(prefix, str):
        prefix = prefix._meta.get_field("public_id").prefix
    if not isinstance(value, str) or not value.startswith(f"{prefix}_"):
        return False
    return _RANDOM_PART.fullmatch(value, len(prefix) + 1) is not None


class PublicIdField(models.CharField):
    """A unique, indexed `<prefix>_<hex>` id, filled on first save (also by bulk_create)."""

    def __init__(self, *args, prefix: str, **kwargs):
        self.prefix = prefix
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("unique", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["prefix"] = self.prefix
        for key, default in (("max_length", 32), ("unique", True), ("editable", False)):
            if kwargs.get(key) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if not value:
            value = new_public_id(self.prefix)
            setattr(model_instance, self.attname, value)
        return value
