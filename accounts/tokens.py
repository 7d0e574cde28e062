"""Secrets that authenticate API callers: generation and the one-way digest we store."""

import hashlib
import secrets

ACCESS_TOKEN_PREFIX = "ast_"
API_KEY_PREFIX = "astk_"


def digest(secret: str) -> str:
    """SHA-256 hex digest. The secrets are 256-bit random, so a fast hash is safe (no guessing)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)
