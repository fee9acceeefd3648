#!/usr/bin/env bash
# Runs every test file compiled from test/*.test.ts with node's built-in runner.
set -euo pipefail
cd "$(dirname "$0")/.."
files=()
for src in test/*.test.ts; do
  [ -e "$src" ] || continue
  files+=("dist/test/$(basename "${src%.ts}").js")
done
if [ ${#files[@]} -eq 0 ]; then
  echo "no test files" >&2
  exit 1
fi
exec node --test --test-concurrency=1 --test-timeout=600000 "${files[@]}"
