#!/usr/bin/env bash
# examples/model-injection: a compute function with an injected os.system.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
enforce policy.yaml "$here/app.py"
expect_status 0
absent pwned "the injected command did not run"
has prediction.txt "21.0" "the prediction was computed"
present app-ok "the application's own command ran"
finish
