#!/usr/bin/env bash
# examples/spawn-blocked: one module may not start processes, another may
# start /usr/bin/true only; the application itself spawns freely.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
enforce policy.yaml "$here/app.py"
expect_status 0
absent thumbs-spawned "thumbs could not start a process"
absent buildinfo-spawned "buildinfo could not start a program outside its exec rule"
present app-spawned "the application's own subprocess ran"
finish
