"""initData: only what Telegram signed with our token, recently, for a user, passes."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl, quote, urlencode

import pytest

from bot.reader.initdata import InitDataError, local_init_data, sign, validate

TOKEN = "123456:TEST-TOKEN-fake-bot-api"
NOW = 1_800_000_000.0
DAY = 86400.0


def fresh(**extra: str) -> str:
    return local_init_data(TOKEN, 42, "李明", "zh-hans", now=NOW - 10, **extra)


def test_a_fresh_signed_init_data_names_its_user() -> None:
    user = validate(fresh(start_param="s4-2"), TOKEN, DAY, now=NOW)
    assert (user.id, user.first_name, user.language_code, user.start_param) == (42, "李明", "zh-hans", "s4-2")


def test_the_hash_is_the_documented_hmac_over_the_sorted_fields() -> None:
    """Computed here by the documentation's recipe, independently of ``bot.reader.initdata``."""
    fields = {"user": '{"id":7,"first_name":"A"}', "auth_date": str(int(NOW)), "query_id": "AAE"}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert validate(urlencode({**fields, "hash": digest}), TOKEN, DAY, now=NOW).id == 7
    assert dict(parse_qsl(sign(fields, TOKEN)))["hash"] == digest


def test_forged_with_another_token_is_refused() -> None:
    forged = local_init_data("654321:SOMEONE-ELSES-token", 42, "李明", "zh-hans", NOW)
    with pytest.raises(InitDataError, match="signature"):
        validate(forged, TOKEN, DAY, now=NOW)


@pytest.mark.parametrize("change", ["user id", "auth_date", "extra field", "dropped field", "hash"])
def test_tampered_is_refused(change: str) -> None:
    fields = dict(parse_qsl(fresh(query_id="AAE")))
    if change == "user id":
        fields["user"] = fields["user"].replace('"id":42', '"id":43')
    elif change == "auth_date":
        fields["auth_date"] = str(int(NOW))
    elif change == "extra field":
        fields["start_param"] = "c-100123"
    elif change == "dropped field":
        del fields["query_id"]
    else:
        fields["hash"] = fields["hash"][:-1] + ("0" if fields["hash"][-1] != "0" else "1")
    with pytest.raises(InitDataError):
        validate(urlencode(fields), TOKEN, DAY, now=NOW)


def test_replayed_after_max_age_is_refused_and_within_it_accepted() -> None:
    old = local_init_data(TOKEN, 42, "李明", "zh-hans", NOW - DAY - 1)
    with pytest.raises(InitDataError, match="stale"):
        validate(old, TOKEN, DAY, now=NOW)
    assert validate(old, TOKEN, 2 * DAY, now=NOW).id == 42  # the age is a setting


def test_from_the_future_is_refused() -> None:
    with pytest.raises(InitDataError, match="future"):
        validate(local_init_data(TOKEN, 42, "李明", "zh-hans", NOW + 3600), TOKEN, DAY, now=NOW)


@pytest.mark.parametrize("raw", [
    "", "garbage", "hash=", "a=1&a=2&hash=" + "0" * 64, "x" * 5000,
    sign({"auth_date": str(int(NOW))}, TOKEN),  # signed, but nobody
    sign({"auth_date": str(int(NOW)), "user": '{"id":"42"}'}, TOKEN),  # not an integer id
    sign({"auth_date": str(int(NOW)), "user": "not json"}, TOKEN),
    sign({"user": json.dumps({"id": 42})}, TOKEN),  # no auth_date
])
def test_malformed_is_refused(raw: str) -> None:
    with pytest.raises(InitDataError):
        validate(raw, TOKEN, DAY, now=NOW)


def test_a_field_given_twice_is_refused_even_if_one_copy_is_signed() -> None:
    signed = fresh()
    with pytest.raises(InitDataError, match="twice"):
        validate(signed + "&user=" + quote('{"id":1}'), TOKEN, DAY, now=NOW)
