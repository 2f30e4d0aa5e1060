#!/usr/bin/env bash
# examples/pickle-payload: a pickle payload exec'ing a shell is denied; the
# application's own command runs.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
enforce policy.yaml "$here/app.py"
expect_status 0
absent pwned "the payload's shell did not run"
present app-ok "the application's own command ran"
finish
