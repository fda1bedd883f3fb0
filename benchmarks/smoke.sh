#!/usr/bin/env bash
# CI smoke run of every benchmark with tiny sizes: proves they run and prints their figures.
# Nothing here fails on a number; real figures come from running them by hand (docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
$PY -m benchmarks.startup --runs 2
$PY -m benchmarks.search --sizes 500 --queries 30 --brute-queries 5
$PY -m benchmarks.cli --runs 2
$PY -m benchmarks.quality  # the whole evaluation sets: development and held-out
$PY -m benchmarks.dense --queries 30 --burst 10
$PY -m benchmarks.updates --updates 60 --latency-updates 10
$PY -m benchmarks.push --chats 60 --small 30 --limited-chats 20
$PY -m benchmarks.cards --chats 40
$PY -m benchmarks.replicas --chats 45  # three replicas on one bot's rate limit (Redis)
$PY -m benchmarks.reader --readers 5 --rounds 2 --loads 1  # the Mini App: weight, first render, API load
$PY -m benchmarks.library --texts 3 --chars 2000 --encoder none --capacity 2 --docx 1 --queries 6 --lru-queries 3  # a library of texts
$PY -m benchmarks.hostile --small --searches 5 --encoder none  # hostile files refused by the import's limits
$PY -m benchmarks.ledger_files --members 20 --reflections 50 --runs 1  # the 学习台账 as .xlsx and .docx
$PY -m benchmarks.ledger --members 20 --joined 5 --notes 50 --runs 1  # the 学习台账 of a year
if [ -n "${SPEECHBOT_TEST_DATABASE_URL:-}" ]; then  # PostgreSQL only
  $PY -m benchmarks.scale --sizes 200,400 --sends 100
  $PY -m benchmarks.rank --members 200 --weeks 4 --queries 5
fi
