# The bot image: one process per container; several replicas share one PostgreSQL.
# Not built in CI (no Docker engine or registry is reachable there); tests/test_deploy.py
# checks this file's essentials and validates docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first, read from pyproject.toml alone: this layer is rebuilt only when
# pyproject.toml changes, and a code change reuses it.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt
# Then the code (the default speech is package data: content/data/speech.txt).
COPY README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY content ./content
RUN pip install --no-deps .

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin speechbot \
    && mkdir -p /app/data && chown speechbot /app/data
USER speechbot

ENV SPEECHBOT_HTTP_HOST=0.0.0.0 \
    SPEECHBOT_HTTP_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/livez', timeout=4).status != 200)"]

ENTRYPOINT ["speechbot"]
CMD ["run"]
