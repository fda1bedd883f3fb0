"""python-telegram-bot's HTTP transport on aiohttp instead of httpx.

Why aiohttp: with concurrent requests httpx's AsyncClient spends ~4 ms of CPU per request here
(its connection pool and anyio socket checks; a known, open httpx issue, encode/httpx#3215),
while aiohttp does the whole round trip in ~1 ms. For a bot that pushes to thousands of chats
that is the difference between the bot and Telegram being the bottleneck. PTB supports custom
transports through ``BaseRequest``.

The contract is PTB's: ``do_request`` returns (status, body) and maps failures to PTB's errors.
On top of it, failures say whether Telegram may have acted on the request, which is what the
daily push needs to avoid double sends:

- never sent (connect refused, DNS, connect or pool timeout): ``NetworkError``/``TimedOut``;
  safe to retry.
- sent, outcome unknown (no reply in time, connection lost after the request went out):
  ``UnknownOutcome`` (``ReadTimedOut`` for the timeout). Retrying may send twice.
- ``Server disconnected`` before any byte of a reply: either the server had closed an idle
  pooled connection (it never saw the request) or it acted on the request and the connection
  dropped before the answer (a restart, a proxy, an overloaded server). The client cannot tell
  which. A request that is safe to repeat (``get…``, ``set…``, ``delete…``: reading, or
  setting a value twice) is retried on a fresh connection (at most twice); anything else, a
  message above all, is ``UnknownOutcome``: repeating it could send it twice, and the retry's
  own failure (a timeout, a 429) would then hide that the first copy had arrived. The pool
  closes idle connections after ``idle_timeout`` (4 s), below common server idle timeouts
  (5 s in Bot API emulators), so the idle race is rare to begin with.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.metrics import API_CALLS, API_ERRORS, api_method, status_kind

STALE_RETRIES = 2
REPEATABLE = ("get", "set", "delete")  # method prefixes whose repetition changes nothing


def repeatable(url: str) -> bool:
    """Whether the Bot API method at ``url`` may be sent again when its outcome is unknown."""
    return url.rsplit("/", 1)[-1].startswith(REPEATABLE)


class UnknownOutcome(NetworkError):
    """The request went out but no answer came back: Telegram may or may not have acted on it."""


class ReadTimedOut(TimedOut, UnknownOutcome):
    """No reply within the read timeout after the request was sent."""


async def _mark_reused(_session: aiohttp.ClientSession, context: SimpleNamespace, _params: object) -> None:
    context.trace_request_ctx["reused"] = True


def _tracing() -> aiohttp.TraceConfig:
    """Tells each request whether its connection came from the pool (see the module docstring)."""
    config = aiohttp.TraceConfig()
    config.on_connection_reuseconn.append(_mark_reused)
    return config


# What PTB passes for a timeout: seconds, None (wait for ever), or ``BaseRequest.DEFAULT_NONE``
# (not given: ours applies). PTB's own alias for it lives in a private module, so the
# parameters are typed as wide as the base class's and read through ``seconds``.
Timeout = object


def seconds(value: Timeout, default: float | None) -> float | None:
    """A timeout argument as seconds: ``default`` when PTB says "not given" (its public
    sentinel ``BaseRequest.DEFAULT_NONE``, compared by identity as PTB documents)."""
    if value is BaseRequest.DEFAULT_NONE:
        return default
    if value is None or isinstance(value, int | float):
        return value
    raise TypeError(f"not a timeout: {value!r}")


class AiohttpRequest(BaseRequest):
    """A ``BaseRequest`` backed by one ``aiohttp.ClientSession`` with a bounded connection pool."""

    def __init__(self, connection_pool_size: int = 256, read_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0, pool_timeout: float | None = 1.0,
                 idle_timeout: float = 4.0) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout  # aiohttp has no write timeout: the read timeout covers the reply
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._idle_timeout = idle_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300,
                                             keepalive_timeout=self._idle_timeout)
            self._session = aiohttp.ClientSession(connector=connector, trace_configs=[_tracing()])

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; return the HTTP status and the raw body (counted in the metrics)."""
        method_label = api_method(url)
        API_CALLS.labels(method_label).inc()
        try:
            status, body = await self._send(url, method, request_data, read_timeout, connect_timeout, pool_timeout)
        except UnknownOutcome:
            API_ERRORS.labels(method_label, "unknown_outcome").inc()
            raise
        except TimedOut:
            API_ERRORS.labels(method_label, "timeout").inc()
            raise
        except NetworkError:
            API_ERRORS.labels(method_label, "network").inc()
            raise
        kind = status_kind(status)
        if kind:
            API_ERRORS.labels(method_label, kind).inc()
        return status, body

    async def _send(self, url: str, method: str, request_data: RequestData | None, read_timeout: Timeout,
                    connect_timeout: Timeout, pool_timeout: Timeout) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            await self.initialize()
        assert self._session is not None
        read = seconds(read_timeout, self._read_timeout)
        connect = seconds(connect_timeout, self._connect_timeout)
        pool = seconds(pool_timeout, self._pool_timeout)
        total_connect = None if connect is None else connect + (pool or 0)
        timeout = aiohttp.ClientTimeout(total=None, connect=total_connect, sock_connect=connect, sock_read=read)
        retries = STALE_RETRIES if repeatable(url) else 0
        for attempt in range(retries + 1):
            used: dict[str, bool] = {"reused": False}
            try:
                data, headers = _body(request_data)
                async with self._session.request(method, url, data=data, headers=headers, timeout=timeout,
                                                 trace_request_ctx=used) as response:
                    return response.status, await response.read()
            except aiohttp.ConnectionTimeoutError as exc:  # connecting, or waiting for a pooled connection
                raise TimedOut(f"aiohttp: {exc!r}") from exc
            except aiohttp.ClientConnectorError as exc:  # refused, unreachable, DNS: nothing was sent
                raise NetworkError(f"aiohttp: {exc!r}") from exc
            except aiohttp.ServerDisconnectedError as exc:
                if used["reused"] and attempt < retries:
                    continue  # perhaps an idle connection the server had closed: a fresh one
                raise UnknownOutcome(f"aiohttp: {exc!r}") from exc
            except TimeoutError as exc:
                raise ReadTimedOut(f"aiohttp: {exc!r}") from exc
            except (aiohttp.ClientOSError, aiohttp.ClientPayloadError) as exc:  # lost mid-request
                raise UnknownOutcome(f"aiohttp: {exc!r}") from exc
            except aiohttp.ClientError as exc:
                raise NetworkError(f"aiohttp: {exc!r}") from exc
        raise AssertionError("unreachable: the last attempt returns or raises")


JSON = {"Content-Type": "application/json"}


def _body(request_data: RequestData | None) -> tuple[aiohttp.FormData | bytes | None, dict[str, str] | None]:
    """The body and its headers: PTB's parameters as JSON, which the Bot API accepts as it does a
    form (each value a string, objects JSON-encoded, as PTB gives them); files (a card's PNG) as
    multipart. Not a urlencoded form: percent-encoding a Chinese reminder, three escapes per
    byte in pure Python, cost 0.3 ms a message, a tenth of the push's CPU."""
    files = request_data.multipart_data if request_data else {}
    fields = request_data.json_parameters if request_data else {}  # computed on each access: once
    if not files:
        return (json.dumps(fields).encode(), JSON) if fields else (None, None)
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form, None
