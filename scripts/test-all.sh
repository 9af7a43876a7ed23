#!/usr/bin/env bash
# The one test command (npm test): system packages, typecheck, build,
# unit/integration (vitest, real SQLite/Redis/coturn), end to end
# (Playwright + Debian Chromium). Ends with "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf test-results && mkdir -p test-results
bash scripts/system-deps.sh || echo "system-deps: some packages missing; tests needing them will fail" >&2
steps_failed=0
run_step() { # name, command...
  local name=$1; shift
  echo "== $name"
  if "$@"; then echo "ok: $name"; else echo "FAILED: $name"; steps_failed=$((steps_failed+1)); echo "$name" >> test-results/failed-steps; fi
}
run_step typecheck npm run -s typecheck
run_step build npm run -s build:web
run_step vitest npx vitest run
run_step playwright npx playwright test
npx tsx scripts/test-summary.ts
