"""Application wiring: settings, storage, scheduler, the CLI and the fake Bot API."""
