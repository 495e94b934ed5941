#!/usr/bin/env bash
# Installs nginx from Debian's packages for the TLS tests (a real TLS-terminating HTTP/2
# proxy in front of Spark Connect). Does nothing when nginx is already there. The
# package's own service is kept from starting (policy-rc.d): the tests run their own
# nginx on a free loopback port with a config of their own, and nothing else should
# listen on port 80.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "nginx is needed by the TLS tests; install it (e.g. sudo apt-get install nginx) and run again." >&2
  exit 1
fi
policy=/usr/sbin/policy-rc.d
created=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created=1
fi
trap '[ "$created" = 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends nginx >/dev/null
echo "[install-nginx] installed $(/usr/sbin/nginx -v 2>&1)"
