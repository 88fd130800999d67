#!/usr/bin/env bash
# Installs the Debian packages the hub needs (mosquitto, chromium) when they are missing
# and this machine allows it; otherwise says in one line what to install.
set -euo pipefail
missing=()
for dep in "$@"; do
  case "$dep" in
    mosquitto) [ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null || missing+=(mosquitto) ;;
    chromium) [ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core) ;;
    node) { command -v node && command -v npm; } >/dev/null || missing+=(nodejs npm) ;;
    sqlite3) command -v sqlite3 >/dev/null || missing+=(sqlite3) ;;
    # initdb/pg_ctl/pg_dump of a private cluster (fault, restore and scale-out tests)
    postgresql) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql) ;;
    *) echo "unknown dependency $dep" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian package starts a system broker on 1883; the hub starts its own when needed.
else
  echo "missing: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
