"""Deployment files: docker-compose.yml is a valid Compose file (a strict Compose Specification
parser; YAML merge keys resolved first, as Compose does), with the topology the README promises;
the Dockerfile runs as a non-root user with a health check; .env.example documents every setting.

No image is built here: no Docker engine or registry is reachable from this machine or CI.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
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


def test_every_replica_shares_one_rate_limit_through_redis(compose: dict) -> None:
    """Three sending replicas once got 12/s each (36 > Telegram's 30): the rates are the bot's now."""
    services = compose["services"]
    assert "redis-cli" in str(services["redis"]["healthcheck"]["test"]) and "profiles" not in services["redis"]
    for name in ("bot", "pusher"):
        env = services[name]["environment"]
        assert env["SPEECHBOT_RATE_LIMITER"] == "redis" and env["SPEECHBOT_REDIS_URL"].startswith("redis://redis:")
        assert float(env["SPEECHBOT_RATE_PER_SECOND"]) <= 30 and float(env["SPEECHBOT_GROUP_PER_MINUTE"]) <= 20
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_the_image_runs_unprivileged_with_a_health_check() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    assert re.search(r"^FROM python:3\.1\d-slim$", dockerfile, re.M)
    assert re.search(r"^USER speechbot$", dockerfile, re.M)
    assert re.search(r"^HEALTHCHECK .*\n.*/livez", dockerfile, re.M)
    assert "RUN pip install --no-deps .\n" in dockerfile  # the code, its dependencies already there
    assert 'ENTRYPOINT ["speechbot"]' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text("utf-8").split()
    assert {".git", ".venv", ".env", "data/"} <= set(ignored)


def test_the_image_installs_the_dependencies_from_pyproject_before_the_code(tmp_path: Path) -> None:
    """A layer that only changes with pyproject.toml installs exactly the project's dependencies;
    the code is copied after it (so a code change reuses the layer), then installed without them."""
    lines = (ROOT / "Dockerfile").read_text("utf-8").replace("\\\n", " ").splitlines()
    steps = [line.split(None, 1) for line in lines if line and not line.startswith("#")]
    copies = [(n, rest) for n, (op, rest) in enumerate(steps) if op == "COPY"]
    deps = next(n for n, (op, rest) in enumerate(steps) if op == "RUN" and "requirements.txt" in rest)
    assert copies[0] == (copies[0][0], "pyproject.toml ./") and copies[0][0] < deps
    assert all(n > deps for n, _ in copies[1:])  # nothing else is copied before the dependencies
    assert steps.index(["RUN", "pip install --no-deps ."]) > max(n for n, _ in copies)
    command = shlex.split(steps[deps][1].split(">", 1)[0])  # python -c "…", run here on a copy
    (tmp_path / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    printed = subprocess.run([sys.executable, *command[1:]], cwd=tmp_path, capture_output=True, text=True, check=True)
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    assert printed.stdout.splitlines() == expected


def test_tools_are_pinned_exactly() -> None:
    """ruff and mypy are pinned (==) in the dev extras: a new release cannot fail yesterday's build."""
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]["dev"]
    pins = {re.split(r"[=<>!~\[]", item, maxsplit=1)[0]: item for item in dev}
    assert re.fullmatch(r"ruff==[\d.]+", pins["ruff"]) and re.fullmatch(r"mypy==[\d.]+", pins["mypy"])


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
