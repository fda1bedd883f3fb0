"""Application wiring: settings, storage, scheduler, the CLI and the fake Bot API."""

import os

# Opt in to python-telegram-bot's timedelta durations (RetryAfter.retry_after …) now, instead of
# the int form that emits a deprecation warning on every access in PTB 22.
os.environ.setdefault("PTB_TIMEDELTA", "true")
