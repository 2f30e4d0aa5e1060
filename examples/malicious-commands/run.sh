#!/usr/bin/env bash
# examples/malicious-commands: a package running commands four ways is denied
# each time; the application's own os.system works.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
enforce policy.yaml "$here/app.py"
expect_status 0
for f in stolen-id stolen-uname pwned pwned-exec; do
  absent "$f" "strutils's command did not run"
done
present app-id "the application's own command ran"
finish
