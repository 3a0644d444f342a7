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

# mark FILE DOMAIN LOGO OUT: a Mark Certificate (a VMC's shape) for DOMAIN from the demo CA — the BIMI
# extended key usage, and a logotype extension (RFC 9399) embedding LOGO gzip-compressed as a data:
# URI with its SHA-256 — followed by the CA certificate, written to OUT: the evidence document of a=.
mark() {
  file=$1 domain=$2 logo=$3 out=$4
  key "$file"
  data=$(gzip -9n <"$logo" | base64 | tr -d '\n')
  hash=$(gzip -9n <"$logo" | openssl dgst -sha256 -binary | od -An -tx1 | tr -d ' \n')
  cat >"$ext" <<EOF
[mark]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = 1.3.6.1.5.5.7.3.31
subjectAltName = DNS:$domain
1.3.6.1.5.5.7.1.12 = ASN1:SEQUENCE:logotype
[logotype]
subjectLogo = EXPLICIT:2C,IMPLICIT:0C,SEQUENCE:logotype_data
[logotype_data]
images = SEQUENCE:images
[images]
image = SEQUENCE:image
[image]
details = SEQUENCE:details
[details]
mediaType = IA5STRING:image/svg+xml
hashes = SEQUENCE:hashes
uris = SEQUENCE:uris
[hashes]
hash = SEQUENCE:hash
[hash]
algorithm = SEQUENCE:sha256
value = FORMAT:HEX,OCTETSTRING:$hash
[sha256]
oid = OID:sha256
[uris]
uri = IA5STRING:data:image/svg+xml;base64,$data
EOF
  openssl req -new -key "$file.key" -subj "/CN=$domain/O=mxlint demo brand" |
    openssl x509 -req -CA demo-ca.pem -CAkey demo-ca.key -set_serial "0x$(openssl rand -hex 8)" -days "$DAYS" -extfile "$ext" -extensions mark -out "$out"
  cat demo-ca.pem >>"$out"
}

leaf mx.good.example mx1.good.example mx2.good.example mx.rollover.example
leaf mail.example.net mail.example.net
leaf mta-sts.good.example mta-sts.good.example
leaf bimi.good.example bimi.good.example
mark good.example.mark good.example ../bimi/good.example.svg ../bimi/good.example.vmc.pem

# The TLSA record the zones must publish for the demo SMTP servers' key (3 1 1: SHA-256 of the SPKI).
echo "TLSA for mx.good.example.key: 3 1 1 $(openssl pkey -in mx.good.example.key -pubout -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1)"
