#!/usr/bin/env bash
# Installs the Debian packages some tests run for real, when they are missing, so `pnpm test` works on a
# fresh machine as the README's Quick start says (one apt-get update for all; nothing when present):
# pgbouncer puts a transaction-mode pooler in front of the test PostgreSQL; promtool (the prometheus
# package) checks the alert rules and a live /metrics; chromium runs the operator console's browser tests
# (driven by playwright-core, which downloads no browser). --no-install-recommends keeps it small; their
# services do not start in a container without an init system. Not root or no apt-get: it says what to
# install and the tests that need them fail naming them.
set -uo pipefail
missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
{ command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ]; } || missing+=(pgbouncer)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: ${missing[*]} not installed; install them (Debian: apt-get install --no-install-recommends ${missing[*]}) or the tests that need them fail" >&2
  exit 0
fi
echo "installing ${missing[*]} (Debian packages some tests run for real)" >&2
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >/dev/null \
  || echo "warning: could not install ${missing[*]}; the tests that need them will fail naming them" >&2
exit 0
