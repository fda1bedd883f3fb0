"""The bot's own HTTP server (aiohttp): the Telegram webhook when one is configured, the
operator's endpoints (``bot.ops``: /livez, /healthz, /metrics) and the reader (``bot.webapp``,
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
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from telegram import Update
from telegram.ext import Application

from bot.ops import Ops
from bot.webapp import ReaderApp

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_handler(app: Application[Any, Any, Any, Any, Any, Any], secret: str) -> Handler:
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
    if webhook is not None:
        path, handler = webhook
        web_app.router.add_post("/" + path.lstrip("/"), handler)
    if ops is not None:
        web_app.router.add_routes(ops.routes())
    if reader is not None:
        web_app.router.add_routes(reader.routes())
    return web_app
