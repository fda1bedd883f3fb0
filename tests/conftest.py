"""Shared fixtures: the default speech, parsed once per session."""

from __future__ import annotations

import pytest

from content import Speech, load_speech


@pytest.fixture(scope="session")
def speech() -> Speech:
    return load_speech()
