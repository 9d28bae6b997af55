#!/bin/sh
# Entry point of the image (docker/Dockerfile): runs the app named by APP with node.
#
#   APP=issuance | merchant | redemption | settlement  ->  dist/apps/<APP>/src/main.js
#   APP=settlement-worker                             ->  dist/apps/settlement/src/worker.js
#   APP=web                                           ->  dist/scripts/web-gateway.js (the pages and /api/<app>/)
#
# APP defaults to the image's build argument (--build-arg APP=...) and can be overridden at
# run time (docker run -e APP=...). If the container is given a command, that command runs
# instead (e.g. `docker run --rm -it IMAGE sh`), like the official node image.
set -eu

if [ "$#" -gt 0 ]; then
  exec "$@"
fi

APPS='issuance, merchant, redemption, settlement, settlement-worker, web'
app="${APP:-}"

case "$app" in
  issuance | merchant | redemption | settlement)
    entry="/app/dist/apps/$app/src/main.js"
    ;;
  settlement-worker)
    entry="/app/dist/apps/settlement/src/worker.js"
    ;;
  web)
    entry="/app/dist/scripts/web-gateway.js"
    ;;
  '')
    echo "vouchers-entrypoint: APP is not set; set it to one of: $APPS" >&2
    exit 64
    ;;
  *)
    echo "vouchers-entrypoint: unknown APP '$app'; expected one of: $APPS" >&2
    exit 64
    ;;
esac

if [ ! -f "$entry" ]; then
  echo "vouchers-entrypoint: $entry is missing from the image (APP=$app); was the build complete?" >&2
  exit 1
fi

# The options of scripts/app-node-args.cjs (not in the image), for the same reasons.
case "$app" in
  issuance | redemption) exec node --max-semi-space-size=64 "$entry" ;;
  *) exec node "$entry" ;;
esac
