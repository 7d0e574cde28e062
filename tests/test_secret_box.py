"""Provider tokens are stored encrypted: Fernet with INTEGRATION_TOKEN_KEY (rotatable), else a key
derived from SECRET_KEY; a stored value opens only with the right key."""

import pytest
from cryptography.fernet import Fernet

from astral.secret_box import UnreadableSecret, seal, unseal


def test_a_sealed_token_is_not_the_token_and_opens_again(settings):
    settings.INTEGRATION_TOKEN_KEY = ""
    sealed = seal("a-strava-access-token")
    assert "a-strava-access-token" not in sealed
    assert seal("a-strava-access-token") != sealed  # a fresh IV every time
    assert unseal(sealed) == "a-strava-access-token"
    assert (seal(""), unseal("")) == ("", "")


def test_another_secret_key_cannot_open_it(settings):
    settings.INTEGRATION_TOKEN_KEY = ""
    sealed = seal("token")
    settings.SECRET_KEY = "another-installation-secret-key-" + "y" * 40
    with pytest.raises(UnreadableSecret):
        unseal(sealed)


def test_keys_rotate_new_first_old_still_readable(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.INTEGRATION_TOKEN_KEY = old
    sealed_with_old = seal("token")
    settings.INTEGRATION_TOKEN_KEY = f"{new},{old}"
    assert unseal(sealed_with_old) == "token"
    sealed_with_new = seal("token")
    settings.INTEGRATION_TOKEN_KEY = new
    assert unseal(sealed_with_new) == "token"
    with pytest.raises(UnreadableSecret):
        unseal(sealed_with_old)  # the old key dropped: only what the new key sealed opens
