"""The bot's own HTTP server (aiohttp): the Telegram webhook when one is configured, the
operator's endpoints (``bot.ops``: /livez, /healthz, /metrics) and the reader (``bot.reader.routes``,
the Mini App under /app/ and /api/) on the same server.

Why not PTB's built-in webhook server: it cannot cap the request body (tornado's default is
100 MB) and answers a malformed body with 500. Here, as in PTB's custom-webhook example,
updates are put on ``application.update_queue`` directly:

- the secret token header must match (compared in constant time): else 403;
- the body must be declared ``application/json``, as Telegram sends it: else 415 (PTB's own
  handler refuses other types too, with 403; 415 says what is wrong);
- the body may be at most ``MAX_BODY`` bytes (Telegram's updates are a few KB): else 413;
- it must be a JSON object with an integer ``update_id`` that PTB reads as an ``Update``:
  else 400.

Every answer carries the security headers (``bot.reader.routes.SECURITY_HEADERS``: CSP, nosniff, …),
aiohttp's own 404, 405 and 413 too; a request the HTTP parser refuses (a header over 8 KB) is
one line in the log, not a traceback: it is the client's fault (``runner``).
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.typedefs import Handler
from telegram import Update

from bot.ops import Ops
from bot.reader.routes import SECURITY_HEADERS, ReaderApp
from handlers.context import BotApplication

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _ClientErrors(logging.Filter):
    """A request the HTTP parser refused (a header line over 8 KB, a malformed request line) is
    logged as one line: aiohttp logs it with a traceback, as it does a handler's failure (which
    keeps its traceback here)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            reason = (error.message.splitlines() or [""])[0].split(": b'")[0][:100]
            record.msg, record.args = "%s: %d %s (%s)", (record.getMessage(), error.code, reason,
                                                        type(error).__name__)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


SERVER_LOG = logging.getLogger("bot.http.server")
"""Where the HTTP server logs what it could not handle."""
SERVER_LOG.addFilter(_ClientErrors())


def runner(web_app: web.Application) -> web.AppRunner:
    """The runner every server of the bot starts ``web_app`` with: no access log (the metrics
    count requests), and refused requests in one line (``_ClientErrors``)."""
    return web.AppRunner(web_app, access_log=None, logger=SERVER_LOG)


async def _secure(_request: web.Request, response: web.StreamResponse) -> None:
    """The security headers on every answer, unless it set its own."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


def webhook_handler(app: BotApplication, secret: str) -> Handler:
    """The request handler for Telegram's POSTs to the webhook URL."""

    async def receive(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        if request.content_type != "application/json":  # a form or text/plain is not an update
            return web.json_response({"ok": False, "error": "unsupported media type"}, status=415)
        try:
            raw = await request.read()  # raises 413 past client_max_size
            data = json.loads(raw)
            update_id = data.get("update_id") if isinstance(data, dict) else None
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                raise ValueError("not an update: no integer update_id")
            update = Update.de_json(data, app.bot)
        except web.HTTPRequestEntityTooLarge:
            raise
        except Exception as exc:  # malformed JSON or not an Update: the sender's fault
            log.warning("webhook: refused a malformed update (%s)", type(exc).__name__)
            return web.json_response({"ok": False, "error": "malformed update"}, status=400)
        await app.update_queue.put(update)
        return web.json_response({"ok": True})

    return receive


def make_web_app(webhook: tuple[str, Handler] | None = None, ops: Ops | None = None,
                 reader: ReaderApp | None = None) -> web.Application:
    """The aiohttp application: the webhook route at its path, the ops routes and the reader
    (Mini App: /app/ and /api/), as given."""
    web_app = web.Application(client_max_size=MAX_BODY)
    web_app.on_response_prepare.append(_secure)
    if webhook is not None:
        path, handler = webhook
        web_app.router.add_post("/" + path.lstrip("/"), handler)
    if ops is not None:
        web_app.router.add_routes(ops.routes())
    if reader is not None:
        web_app.router.add_routes(reader.routes())
    return web_app
