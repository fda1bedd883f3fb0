# Shared by scripts/start and scripts/test: create or reuse .venv and install the project
# (editable) when pyproject.toml changed since the last install. Needs only python3 and pip.
# pip's output goes to .venv/install.log and is shown only if the install fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
extras=${1:-}
stamp=".venv/.installed${extras:+-$extras}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "speechbot: installing into .venv${extras:+ (with $extras extras)}…" >&2
  if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e ".${extras:+[$extras]}"; } \
      > .venv/install.log 2>&1; then
    cat .venv/install.log >&2
    echo "speechbot: install failed (log above, also in .venv/install.log)" >&2
    exit 1
  fi
  touch "$stamp"
fi
