#!/usr/bin/env bash
# Installs schemathesis, pinned by tools/schemathesis-requirements.txt, into
# a virtualenv under target/ (default target/schemathesis), where
# tests/openapi.rs looks for it. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-target/schemathesis}"
requirements=tools/schemathesis-requirements.txt
stamp="$venv/.requirements"
if [ -x "$venv/bin/st" ] && cmp -s "$requirements" "$stamp"; then
    exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" "$stamp"
"$venv/bin/st" --version
