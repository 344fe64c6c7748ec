"""The sandbox's access tokens once checked and kept: the expiry is checked again at every
use, and a token is only ever valid under the secret it was signed with."""

from __future__ import annotations

import time

import pytest

from tiime.sandbox.tokens import TokenError, decode_token, issue_token

SECRET = "s" * 32
NOW = int(time.time()) - 10  # issued in the past: PyJWT refuses a future "iat"


def test_a_token_used_while_valid_expires_all_the_same() -> None:
    token = issue_token(SECRET, user_id=7, email="a@tiime.test", expires_in=60, now=NOW)

    assert decode_token(SECRET, token, now=NOW + 1).user_id == 7
    assert decode_token(SECRET, token, now=NOW + 59).email == "a@tiime.test"
    with pytest.raises(TokenError) as caught:
        decode_token(SECRET, token, now=NOW + 60)
    assert caught.value.reason == "expired"


def test_a_token_checked_under_one_secret_is_invalid_under_another() -> None:
    token = issue_token(SECRET, user_id=7, email="a@tiime.test", expires_in=60, now=NOW)
    decode_token(SECRET, token, now=NOW)

    with pytest.raises(TokenError) as caught:
        decode_token("t" * 32, token, now=NOW)
    assert caught.value.reason == "invalid"


def test_a_token_altered_after_a_valid_one_was_kept_is_invalid() -> None:
    token = issue_token(SECRET, user_id=7, email="a@tiime.test", expires_in=60, now=NOW)
    decode_token(SECRET, token, now=NOW)
    head, _, signature = token.split(".")
    forged = issue_token("t" * 32, user_id=1, email="a@tiime.test", expires_in=60, now=NOW)

    with pytest.raises(TokenError):
        decode_token(SECRET, f"{head}.{forged.split('.')[1]}.{signature}", now=NOW)
