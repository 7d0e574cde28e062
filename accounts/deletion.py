"""Account deletion (GDPR art. 17): the user row goes, and with it — by the foreign keys'
CASCADE — their tokens, activities and samples, wellness, snapshot, insights, race goals, plan
instances, memberships and group memberships. Rows of others that pointed at them
(an organization's creator, a plan's author, an athlete's assigned coach) keep existing with
the reference cleared (SET_NULL).

accounts sits below the other apps and never imports them: they take part through two signals
they connect in their AppConfig.ready():

- `user_deletion_vetoes` — "may this user go?": a receiver returns an ApplicationError (e.g. 409
  LAST_ADMIN) to refuse, or None. Also asked by the admin before it shows its confirmation.
- `user_deleting` — sent inside the deletion transaction just before the rows go, so a
  receiver can stale what it cached about the user (organization generations, group insights).
"""

from django.db import transaction
from django.dispatch import Signal

from accounts.models import User
from astral.exceptions import ApplicationError, InvalidInput

user_deletion_vetoes = Signal()  # kwargs: user → receivers return ApplicationError | None
user_deleting = Signal()  # kwargs: user


def user_deletion_blockers(*, user: User) -> list[ApplicationError]:
    """Every reason given by another app not to delete `user` now (empty: the user may go)."""
    return [reason for _, reason in user_deletion_vetoes.send(sender=User, user=user) if reason is not None]


@transaction.atomic
def user_delete(*, user: User, password: str | None = None) -> dict[str, int]:
    """Delete `user` and everything that is theirs; returns rows deleted per model label.

    `password` (the API's confirmation) must match when given; admins delete without it.
    Raises the first veto (409 LAST_ADMIN …) and then nothing is changed.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if password is not None and not user.check_password(password):
        raise InvalidInput("The password is not correct.", "WRONG_PASSWORD", field="password")
    blockers = user_deletion_blockers(user=user)
    if blockers:
        raise blockers[0]
    user_deleting.send(sender=User, user=user)
    _, per_model = user.delete()
    return per_model
