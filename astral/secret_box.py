"""Secrets stored encrypted at rest (provider access and refresh tokens): Fernet (AES-128-CBC +
HMAC-SHA256, from `cryptography`) with `INTEGRATION_TOKEN_KEY`, else a key derived from
SECRET_KEY (HKDF-SHA256, so the two keys are never the same bytes). A database dump alone does not
give anyone a working Strava token.

Rotating: put the new key first and the old ones after, comma-separated, in
INTEGRATION_TOKEN_KEY — every stored token stays readable (MultiFernet), new ones use the first.
"""

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class UnreadableSecret(Exception):
    """A stored secret that no configured key opens (the key changed without rotation)."""


def _derived_key(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"astral-integration-tokens")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


@cache
def _box(keys: str, secret_key: str) -> MultiFernet:
    configured = [key.strip() for key in keys.split(",") if key.strip()]
    return MultiFernet([Fernet(key) for key in configured] or [Fernet(_derived_key(secret_key))])


def _current() -> MultiFernet:
    return _box(settings.INTEGRATION_TOKEN_KEY, settings.SECRET_KEY)


def seal(plain: str) -> str:
    """The encrypted form of `plain` (text, safe to store); "" stays ""."""
    return _current().encrypt(plain.encode()).decode() if plain else ""


def unseal(sealed: str) -> str:
    if not sealed:
        return ""
    try:
        return _current().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret("A stored token cannot be decrypted with the configured keys.") from None
