"""Telegram Mini App ``initData``: check its signature and age, and sign it for local trials.

Telegram hands the Mini App a query string (``Telegram.WebApp.initData``, or ``tgWebAppData`` in
the URL fragment) signed with the bot's token; it is the reader's only proof of who is asking,
so every API call carries it and nothing is trusted before ``validate`` passes. As Telegram
documents it: ``secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)`` and ``hash =
hex(HMAC_SHA256(key=secret_key, msg=data_check_string))``, where the data-check-string is every
received field but ``hash``, as ``key=value`` lines sorted by key (``signature``, the Ed25519
field for third parties, is one of those fields).

Refused (``InitDataError``, the API answers 401): no or a malformed hash, a field given twice, a
signature that does not match, no user (or an id Telegram never gives), an ``auth_date`` older
than ``max_age`` seconds (an old initData replayed) or more than ``MAX_SKEW`` seconds in the
future. Within ``max_age`` the same initData stays valid: Telegram's scheme is stateless, so the
age is the replay bound.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

MAX_LENGTH = 4096  # Telegram's initData is a few hundred bytes; refuse anything huge unread
MAX_SKEW = 60.0  # seconds an auth_date may lie ahead of our clock (clocks differ a little)
MAX_USER_ID = 2**52 - 1
"""Telegram's user ids have at most 52 significant bits; a larger one (signed with a leaked or
local token) would overflow the database's 64-bit columns."""


class InitDataError(ValueError):
    """The initData is not Telegram's, is stale, or names no user; the reason is for logs only."""


@dataclass(frozen=True)
class WebAppUser:
    """Who opened the Mini App, as the signed initData says."""

    id: int
    first_name: str
    language_code: str | None
    auth_date: int
    start_param: str | None = None  # ?startapp=… of a direct link (signed with the rest)
    chat_type: str | None = None  # private, group, supergroup, channel, sender (direct links)


def _secret(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def signature(fields: dict[str, str], token: str) -> str:
    """The ``hash`` Telegram would give ``fields`` (every field but ``hash`` is signed)."""
    return hmac.new(_secret(token), _check_string(fields).encode(), hashlib.sha256).hexdigest()


def sign(fields: dict[str, str], token: str) -> str:
    """``fields`` as a signed initData query string (local trials, tests, benchmarks)."""
    return urlencode({**fields, "hash": signature(fields, token)})


def local_init_data(token: str, user_id: int, first_name: str, language_code: str, now: float,
                    **extra: str) -> str:
    """initData as Telegram would give a private chat's Mini App to this user at ``now`` (a Unix
    time from the bot's clock), signed with ``token``."""
    user = {"id": user_id, "first_name": first_name, "language_code": language_code}
    fields = {"user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
              "auth_date": str(int(now)), "chat_type": "private", **extra}
    return sign(fields, token)


def validate(init_data: str, token: str, max_age: float, now: float) -> WebAppUser:
    """The user the initData names, if Telegram signed it with ``token`` less than ``max_age``
    seconds before ``now`` (a Unix time from the bot's clock); else ``InitDataError``."""
    if not init_data or len(init_data) > MAX_LENGTH:
        raise InitDataError("missing or oversized initData")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True, errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise InitDataError("not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("a field is given twice")
    given = fields.get("hash", "")
    if len(given) != 64 or not all(ch in "0123456789abcdef" for ch in given):
        raise InitDataError("no hash")
    if not hmac.compare_digest(signature(fields, token), given):
        raise InitDataError("bad signature")
    try:
        auth_date = int(fields.get("auth_date", ""))
    except ValueError:
        raise InitDataError("no auth_date") from None
    if now - auth_date > max_age:
        raise InitDataError(f"stale: signed {now - auth_date:.0f} s ago (at most {max_age:g})")
    if auth_date - now > MAX_SKEW:
        raise InitDataError("auth_date in the future")
    try:
        user = json.loads(fields["user"])
        user_id = user["id"]
    except (KeyError, TypeError, ValueError, RecursionError):
        raise InitDataError("no user") from None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id <= MAX_USER_ID:
        raise InitDataError("no user id")
    language = user.get("language_code")
    return WebAppUser(user_id, str(user.get("first_name") or ""), language if isinstance(language, str) else None,
                      auth_date, fields.get("start_param"), fields.get("chat_type"))
