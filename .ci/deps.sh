#!/usr/bin/env bash
# Installs the real peers the tests talk to (xmlsec1, xmllint, redis-server)
# from Debian's packages when they are missing, and node-soap (npm) for the
# WSDL toolkit test, or says in one line why it cannot.
set -euo pipefail
missing=()
command -v xmlsec1 >/dev/null || missing+=(xmlsec1)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing ${missing[*]}: install them (apt-get install -y ${missing[*]}) and run make test again" >&2
  exit 1
fi
echo "installing ${missing[*]} with apt-get" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# node-soap, the standard SOAP toolkit the WSDL test calls the adapter with.
soapclient=adapter/server/testdata/soapclient
if [ ! -d "$soapclient/node_modules/soap" ]; then
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing nodejs and npm with apt-get" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
      echo "missing node and npm: install them (apt-get install -y nodejs npm) and run make test again" >&2
      exit 1
    fi
  fi
  echo "installing node-soap for the WSDL toolkit test (npm ci)" >&2
  (cd "$soapclient" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
