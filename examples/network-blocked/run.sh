#!/usr/bin/env bash
# examples/network-blocked: one HTTP client package may connect to the local
# server, another may not open a socket.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
enforce policy.yaml "$here/app.py"
expect_status 0
has received.txt "GET /forecast" "weatherclient reached the server"
lacks received.txt "/collect" "telemetry's request never reached the server"
finish
