"""What an operator watches: ``/livez``, ``/healthz`` and ``/metrics`` over HTTP.

- ``/livez``: 200 while the process serves requests.
- ``/healthz``: 200 when the database answers and (with the push on) a push pass ended within
  three push intervals (counted from start-up until the first pass); else 503 with a one-line
  JSON reason.
- ``/metrics``: Prometheus text (``bot.metrics``), database gauges read at scrape time.
"""

from __future__ import annotations

import json
import time

from aiohttp import web
from sqlalchemy import text

from bot import metrics
from bot.clock import Clock, system_clock
from bot.storage import Store


class Ops:
    """Health state and the three endpoints; ``store`` is set once the database is open. Ages
    (health) are measured on the monotonic clock; instants come from ``clock``."""

    def __init__(self, push_interval: float | None, clock: Clock = system_clock) -> None:
        self.store: Store | None = None
        self.clock = clock
        self.push_interval = push_interval  # None: this process does not push
        self.started = time.monotonic()
        self.last_pass: float | None = None

    def push_passed(self) -> None:
        """Called after every push pass."""
        self.last_pass = time.monotonic()
        metrics.PUSH_LAST_PASS.set(self.clock().timestamp())

    async def problem(self) -> str | None:
        """Why the bot is unhealthy, or None."""
        if self.store is None:
            return "database not open"
        try:
            async with self.store.db.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:  # any failure to answer is the answer
            return f"database does not answer: {type(exc).__name__}"
        if self.push_interval is not None:
            since = time.monotonic() - (self.last_pass or self.started)
            if since > 3 * self.push_interval:
                return f"no push pass for {since:.0f} s (interval {self.push_interval:g} s)"
        return None

    async def livez(self, _request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def healthz(self, _request: web.Request) -> web.Response:
        reason = await self.problem()
        if reason:
            return web.Response(text=json.dumps({"ok": False, "reason": reason}) + "\n", status=503,
                                content_type="application/json")
        return web.json_response({"ok": True})

    async def metrics(self, _request: web.Request) -> web.Response:
        subscribed = lag = None
        if self.store is not None:
            try:
                subscribed = await self.store.insights.subscribed_by_kind()
                lag = await self.store.insights.oldest_due_lag(self.clock())
            except Exception:  # metrics must not fail because the database hiccups
                pass
        body = metrics.exposition(subscribed, lag)
        return web.Response(body=body, headers={"Content-Type": metrics.CONTENT_TYPE})

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/livez", self.livez), web.get("/healthz", self.healthz), web.get("/metrics", self.metrics)]
