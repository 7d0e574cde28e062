"""This process's installation id: the namespace of every key it puts in the shared cache.

Two Astral databases may share one Redis (staging and production, two clubs, a restored backup):
integer pks and generation counters collide between them, the installation id does not. It is read
once per process (the first cache use) and kept; a missing row (a flushed test database) is
created on demand, so the id is always there.
"""

from django.db import transaction

from astral.ids import new_public_id
from astral.models import SINGLETON_PK, Installation

INSTALLATION_ID_PREFIX = "ins"

_memo: str | None = None


def installation_id() -> str:
    """This database's installation id (`ins_<16 hex>`), memoised for the life of the process."""
    global _memo
    if _memo is None:
        row, _ = Installation.objects.get_or_create(
            pk=SINGLETON_PK, defaults={"installation_id": new_public_id(INSTALLATION_ID_PREFIX)}
        )
        _memo = row.installation_id
    return _memo


def installation_key(key: str) -> str:
    """`key` in this installation's namespace of the shared cache."""
    return f"{installation_id()}:{key}"


def installation_id_forget() -> None:
    """Drop the memo: the next cache use reads the id from the database again."""
    global _memo
    _memo = None


@transaction.atomic
def installation_id_rotate() -> str:
    """Issue a new installation id (for a restored copy running beside its original) and use it in
    this process. Other running processes keep the old id until they restart."""
    global _memo
    new_id = new_public_id(INSTALLATION_ID_PREFIX)
    Installation.objects.update_or_create(pk=SINGLETON_PK, defaults={"installation_id": new_id})
    _memo = new_id
    return new_id
