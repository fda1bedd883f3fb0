# The bot image: one process per container; run several against one PostgreSQL to scale out.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY content ./content
COPY seeds ./seeds
RUN pip install --no-cache-dir .
ENV SPEECHBOT_SPEECH_FILE=/app/seeds/speech.txt
CMD ["speechbot", "run"]
