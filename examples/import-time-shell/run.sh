#!/usr/bin/env bash
# examples/import-time-shell: a package's import-time shell is denied; the
# package still imports and works, and the application's own command runs.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
enforce policy.yaml "$here/app.py"
expect_status 0
absent pwned "prettyconf's import-time shell did not run"
present app-ok "the application's own command ran"
finish
