"""Signals accounts sends so that the apps above it can react without accounts importing them.

accounts is the lowest app: it never imports organizations, plans or analytics. They connect
receivers to these signals in their AppConfig.ready() (account deletion has its own two signals
in accounts.deletion).

- `athlete_data_changed` — sent by `accounts.services.user_data_changed` after it bumped the
  athletes' `data_version`: organizations stales the cache generation of their organizations,
  analytics queues the rebuild of their snapshots (unless `queue_refresh` is False).
- `athlete_profile_changed` — sent by `accounts.services.user_profile_update` with the names of
  the fields it changed: analytics recomputes the stored training load when one it depends on did.
- `user_primary_org_requested` — asked by `accounts.presentation.profile_payload`: organizations
  answers with the public id of the organization the user joined first (or None).
"""

from django.dispatch import Signal

athlete_data_changed = Signal()  # kwargs: user_ids (list[int]), queue_refresh (bool)
athlete_profile_changed = Signal()  # kwargs: user (User), fields (set[str])
user_primary_org_requested = Signal()  # kwargs: user → receivers return an organization public id | None
