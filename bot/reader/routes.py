"""The reader (Telegram Mini App) over HTTP, on the bot's own aiohttp server: the page under
``/app/`` (plain HTML, CSS and one JS module, packaged in ``bot/static/reader``) and its JSON API
under ``/api/texts/<text>/…`` (``bot.reader.api`` answers; ``<text>`` is a library id, 1 the
original speech, or ``current``: the member's current text; the page reads ``?text=N``).

Security:
- every API call carries Telegram's signed ``initData`` in ``X-Telegram-Init-Data``; it is
  checked with the bot's token and its age (``bot.reader.initdata``), else 401. The user id comes from
  it and nowhere else, so a member reads and changes only their own bookmarks, place and plan.
- the API answers only same-origin requests in practice: the custom header makes any other
  origin's request a CORS preflight, which gets no CORS headers here.
- per-user rate limit (a token bucket per user, ``SPEECHBOT_WEBAPP_RATE_PER_MINUTE``, at most
  ``MAX_BUCKETS`` users remembered, least recently seen forgotten first): 429 with Retry-After.
- a strict Content-Security-Policy on every page and answer: scripts only from this origin and
  Telegram's ``telegram-web-app.js``, no inline script or style, no other connections.
  No token or secret is ever in a page: the page holds only the initData Telegram gave it.

Routes: GET /app/ (the page), GET /app/reader.js, /app/reader.css; GET …/start (everything the
first screen needs), …/outline, …/nodes/{id}, …/search?q=; PUT and DELETE …/bookmarks/{ref};
PUT …/position {"at": N}; POST …/plan/done {"day": N}.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from bot.clock import Clock
from bot.reader.api import Invalid, NotFound, Reader
from bot.reader.initdata import InitDataError, WebAppUser, validate
from bot.reader.schema import Answer, DoneBody, PositionBody, Refused
from handlers.catalog import language

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parents[1] / "static" / "reader"
PAGES = {"index.html": "text/html", "reader.js": "text/javascript", "reader.css": "text/css"}
INIT_HEADER = "X-Telegram-Init-Data"
TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"
CSP = ("default-src 'none'; script-src 'self' https://telegram.org; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'self' https://web.telegram.org")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MAX_BUCKETS = 50_000  # users whose request budget is remembered (~100 bytes each)
MAX_JSON = 4096  # an API body is a few bytes: {"at": 1234}


class RateLimiter:
    """A token bucket per user: ``per_minute`` requests a minute, bursts up to ``burst``; bounded
    memory (the least recently seen users are forgotten, and start again with a full bucket)."""

    def __init__(self, per_minute: int, burst: int | None = None, size: int = MAX_BUCKETS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst if burst is not None else max(10, per_minute // 4))
        self.size = size
        self.clock = clock
        self._buckets: OrderedDict[int, tuple[float, float]] = OrderedDict()  # user → (tokens, at)

    def take(self, user_id: int) -> float:
        """0 if the user may go on now, else how many seconds until they may."""
        now = self.clock()
        tokens, at = self._buckets.pop(user_id, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self._buckets[user_id] = (tokens, now)
        while len(self._buckets) > self.size:
            self._buckets.popitem(last=False)
        return wait

    def __len__(self) -> int:
        return len(self._buckets)


def _json(data: Answer, status: int = 200, **headers: str) -> web.Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return web.Response(text=body, status=status, content_type="application/json",
                        headers={**SECURITY_HEADERS, "Cache-Control": "no-store", **headers})


def _error(status: int, error: str, **headers: str) -> web.Response:
    return _json(Refused(ok=False, error=error), status, **headers)


Handler = Callable[[web.Request, WebAppUser], Awaitable[web.Response]]


class ReaderApp:
    """The reader's routes; ``token`` checks initData (the bot's token; a local dev token for
    ``speechbot reader`` without one), its age measured on the bot's ``clock``."""

    def __init__(self, reader: Reader, token: str, max_age: float, per_minute: int, clock: Clock) -> None:
        self.reader = reader
        self.token = token
        self.max_age = max_age
        self.limiter = RateLimiter(per_minute)
        self.clock = clock  # the bot's one clock: initData's age is measured on it
        self._pages = {name: (STATIC / name).read_bytes() for name in PAGES}

    # --- the page ------------------------------------------------------------------------------

    async def page(self, request: web.Request) -> web.Response:
        name = request.match_info.get("name") or "index.html"
        if name not in PAGES:
            raise web.HTTPNotFound()
        # The page changes with a release: revalidate, cheaply (a few KB) and always fresh.
        response = web.Response(body=self._pages[name], content_type=PAGES[name], charset="utf-8",
                                headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"})
        response.enable_compression()  # gzip when the browser takes it: a third of the bytes on a slow network
        return response

    async def to_page(self, _request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/app/")

    # --- the API ---------------------------------------------------------------------------------

    def _api(self, handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        """Identify the user from initData (401), limit their rate (429), map the reader's
        refusals to HTTP (404, 400, 503)."""

        async def guarded(request: web.Request) -> web.Response:
            try:
                user = validate(request.headers.get(INIT_HEADER, ""), self.token, self.max_age,
                                self.clock().timestamp())
            except InitDataError as exc:
                log.info("reader: refused initData (%s)", exc)
                return _error(401, "unauthorized")
            wait = self.limiter.take(user.id)
            if wait:
                return _error(429, "too many requests", **{"Retry-After": str(math.ceil(wait))})
            try:
                response = await handler(request, user)
                if isinstance(response.body, bytes) and len(response.body) > 1024:  # the first screen: 20 KB → 9 KB
                    response.enable_compression()
                return response
            except NotFound:
                return _error(404, "not found")
            except Invalid as exc:
                return _error(400, str(exc))

        return guarded

    @staticmethod
    async def _body(request: web.Request) -> dict[str, object]:
        if request.content_type != "application/json":
            raise Invalid("expected application/json")
        raw = b""
        while len(raw) <= MAX_JSON:  # a slow client's body comes in pieces: all of it, up to the limit
            piece = await request.content.read(MAX_JSON + 1 - len(raw))
            if not piece:
                break
            raw += piece
        if len(raw) > MAX_JSON:
            raise Invalid("body too large")
        try:
            data: object = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: thousands of nested brackets
            raise Invalid("malformed JSON") from None
        if not isinstance(data, dict):
            raise Invalid("expected a JSON object")
        return data

    @staticmethod
    def _int(data: dict[str, object], key: str) -> int:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise Invalid(f"{key} must be an integer")
        return value

    async def start(self, request: web.Request, user: WebAppUser) -> web.Response:
        return _json(await self.reader.start(request.match_info["text"], user.id, language(user.language_code)))

    async def outline(self, request: web.Request, user: WebAppUser) -> web.Response:
        return _json(await self.reader.outline(request.match_info["text"], user.id, language(user.language_code)))

    async def node(self, request: web.Request, user: WebAppUser) -> web.Response:
        return _json(await self.reader.node(request.match_info["text"], user.id, request.match_info["node"]))

    async def search(self, request: web.Request, user: WebAppUser) -> web.Response:
        return _json(await self.reader.search(request.match_info["text"], user.id, request.query.get("q", "")))

    async def save(self, request: web.Request, user: WebAppUser) -> web.Response:
        on = request.method == "PUT"
        return _json(await self.reader.bookmark(request.match_info["text"], user.id, request.match_info["ref"], on))

    async def position(self, request: web.Request, user: WebAppUser) -> web.Response:
        body = PositionBody(at=self._int(await self._body(request), "at"))
        return _json(await self.reader.place(request.match_info["text"], user.id, body["at"]))

    async def done(self, request: web.Request, user: WebAppUser) -> web.Response:
        body = DoneBody(day=self._int(await self._body(request), "day"))
        lang = language(user.language_code)
        return _json(await self.reader.done(request.match_info["text"], user.id, lang, body["day"]))

    def routes(self) -> list[web.RouteDef]:
        api = "/api/texts/{text}"
        return [
            web.get("/app", self.to_page),
            web.get("/app/", self.page),
            web.get("/app/{name}", self.page),
            web.get(f"{api}/start", self._api(self.start)),
            web.get(f"{api}/outline", self._api(self.outline)),
            web.get(f"{api}/nodes/{{node}}", self._api(self.node)),
            web.get(f"{api}/search", self._api(self.search)),
            web.put(f"{api}/bookmarks/{{ref}}", self._api(self.save)),
            web.delete(f"{api}/bookmarks/{{ref}}", self._api(self.save)),
            web.put(f"{api}/position", self._api(self.position)),
            web.post(f"{api}/plan/done", self._api(self.done)),
        ]
