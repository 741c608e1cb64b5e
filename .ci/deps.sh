#!/usr/bin/env bash
# Installs the real peers the tests talk to (xmlsec1, xmllint, redis-server)
# from Debian's packages when they are missing, or says in one line why not.
set -euo pipefail
missing=()
command -v xmlsec1 >/dev/null || missing+=(xmlsec1)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing ${missing[*]}: install them (apt-get install -y ${missing[*]}) and run make test again" >&2
  exit 1
fi
echo "installing ${missing[*]} with apt-get" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
