#!/usr/bin/env bash
# examples/web-backdoor: a web app's backdoor route cannot run a command; the
# normal route works; the access logger writes under ~/logs only.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
enforce policy.yaml "$here/app.py"
expect_status 0
has responses.txt "/ 200 hello from webroutes" "the normal route answered"
has responses.txt "/backdoor?cmd=id 500 backdoor failed" "the backdoor route failed"
lacks responses.txt "uid=" "id did not run: no output of it"
has "$HOME/logs/access.log" "GET /backdoor?cmd=id 500" "accesslog wrote under ~/logs"
lacks "$HOME/.bashrc" "curl" "accesslog could not write outside ~/logs"
finish
