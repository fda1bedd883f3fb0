"""Deployment files: docker-compose.yml is a valid Compose file (a strict Compose Specification
parser; YAML merge keys resolved first, as Compose does), with the topology the README promises;
the Dockerfile runs as a non-root user with a health check; .env.example documents every setting.

No image is built here: no Docker engine or registry is reachable from this machine or CI.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from compose_spec import PyCompose

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict:
    raw = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    parsed = PyCompose.from_json(json.dumps(raw))  # raises ValueError on anything the spec refuses
    parsed.to_spec()  # and the full schema, as pydantic models
    return parsed.to_dict()


def test_the_validator_refuses_what_compose_refuses() -> None:
    with pytest.raises(ValueError, match="unknown variant"):
        PyCompose.from_yaml("services:\n  bot:\n    image: x\n    restart: sometimes\n")


def test_postgres_is_healthy_before_the_bot_starts_and_keeps_its_data(compose: dict) -> None:
    services = compose["services"]
    assert "pg_isready" in str(services["postgres"]["healthcheck"]["test"])
    assert services["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"] and "pgdata" in compose["volumes"]
    for name in ("bot", "pusher"):
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert services[name]["env_file"][0]["path"] == ".env"
        assert services[name]["environment"]["SPEECHBOT_DATABASE_URL"].startswith("postgresql+asyncpg://")


def test_push_only_replicas_come_with_a_profile(compose: dict) -> None:
    pusher = compose["services"]["pusher"]
    assert pusher["profiles"] == ["scale"] and pusher["environment"]["SPEECHBOT_RECEIVE_UPDATES"] == "false"
    assert "profiles" not in compose["services"]["bot"]  # the default stack: postgres and one bot


def test_the_image_runs_unprivileged_with_a_health_check() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    assert re.search(r"^FROM python:3\.1\d-slim$", dockerfile, re.M)
    assert re.search(r"^USER speechbot$", dockerfile, re.M)
    assert re.search(r"^HEALTHCHECK .*\n.*/livez", dockerfile, re.M)
    assert "RUN pip install .\n" in dockerfile  # dependencies from the project's own metadata
    assert 'ENTRYPOINT ["speechbot"]' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text("utf-8").split()
    assert {".git", ".venv", ".env", "data/"} <= set(ignored)


def env_name(field: str) -> str:
    alias = Settings.model_fields[field].validation_alias
    return str(alias.choices[0]) if alias is not None else f"SPEECHBOT_{field.upper()}"  # type: ignore[union-attr]


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_env_example_lists_every_setting_with_its_default(field: str) -> None:
    example = (ROOT / ".env.example").read_text("utf-8")
    match = re.search(rf"^#? ?{env_name(field)}=(.*)$", example, re.M)
    assert match, f"{env_name(field)} is missing from .env.example"
    default = Settings.model_fields[field].default
    if field != "token" and default not in (None, frozenset()):
        shown = match.group(1)
        expected = str(default).lower() if isinstance(default, bool) else str(default)
        assert shown == expected or (isinstance(default, float) and float(shown) == default), (field, shown)
