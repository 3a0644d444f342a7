#!/bin/sh
# Makes the certificates of `npm run demo -- --checks all` with openssl (see README.md here).
# Keys that exist are kept — the TLSA records in examples/zones/ are digests of mx.good.example.key —
# and missing ones are made; every certificate is issued again by the demo CA, valid for 100 years.
set -eu
cd "$(dirname "$0")"
DAYS=36500
ext=$(mktemp)
trap 'rm -f "$ext"' EXIT

key() {
  [ -f "$1.key" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
}

# The CA: self-signed, for signing certificates only.
key demo-ca
openssl req -x509 -new -key demo-ca.key -out demo-ca.pem -days "$DAYS" -subj '/CN=mxlint demo CA (offline examples only)' \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign

# leaf FILE NAME...: a server certificate for the names (the first is also the CN), followed by the
# CA certificate: the chain a server sends.
leaf() {
  file=$1
  shift
  key "$file"
  sans=$(printf 'DNS:%s,' "$@")
  printf 'basicConstraints = CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = %s\n' "${sans%,}" >"$ext"
  openssl req -new -key "$file.key" -subj "/CN=$1" |
    openssl x509 -req -CA demo-ca.pem -CAkey demo-ca.key -set_serial "0x$(openssl rand -hex 8)" -days "$DAYS" -extfile "$ext" -out "$file.pem"
  cat demo-ca.pem >>"$file.pem"
}

leaf mx.good.example mx1.good.example mx2.good.example mx.rollover.example
leaf mail.example.net mail.example.net
leaf mta-sts.good.example mta-sts.good.example

# The TLSA record the zones must publish for the demo SMTP servers' key (3 1 1: SHA-256 of the SPKI).
echo "TLSA for mx.good.example.key: 3 1 1 $(openssl pkey -in mx.good.example.key -pubout -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1)"
