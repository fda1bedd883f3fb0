# The bot image: one process per container; several replicas share one PostgreSQL.
# Not built in CI (no Docker engine or registry is reachable there); tests/test_deploy.py
# checks this file's essentials and validates docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies from the project's own metadata, before the code, so code changes reuse the layer.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY content ./content
RUN pip install .
COPY seeds ./seeds

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin speechbot \
    && mkdir -p /app/data && chown speechbot /app/data
USER speechbot

ENV SPEECHBOT_SPEECH_FILE=/app/seeds/speech.txt \
    SPEECHBOT_HTTP_HOST=0.0.0.0 \
    SPEECHBOT_HTTP_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/livez', timeout=4).status != 200)"]

ENTRYPOINT ["speechbot"]
CMD ["run"]
