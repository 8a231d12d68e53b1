#!/bin/sh
# Generates throw-away test certificates into DIR (used by capi_tls; nothing is committed):
#   ca.pem/ca.key          test CA
#   server.pem/.key        signed by the CA for IP:127.0.0.1 and DNS:localhost
#   wronghost.pem/.key     signed by the CA for DNS:wrong.example only
#   selfsigned.pem/.key    self-signed for IP:127.0.0.1 and DNS:localhost
#   client.pem/.key        client certificate (clientAuth) signed by the CA
#   client-enc.key         the same key encrypted with the password "test-pass"
#   cadir/                 the CA in OpenSSL's hashed directory format
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }
key ca.key
openssl req -x509 -new -key ca.key -sha256 -days 2 -subj /CN=sdrs-test-ca -out ca.pem \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
sign() { # name subject extensions
  key "$1.key"
  openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
  printf '%s\n' "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days 2 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
sign server /CN=localhost "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth"
sign wronghost /CN=wrong.example "subjectAltName=DNS:wrong.example
extendedKeyUsage=serverAuth"
sign client /CN=sdrs-test-client "extendedKeyUsage=clientAuth"
openssl pkey -in client.key -aes256 -passout pass:test-pass -out client-enc.key
key selfsigned.key
openssl req -x509 -new -key selfsigned.key -sha256 -days 2 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost -out selfsigned.pem
mkdir -p cadir
cp ca.pem cadir/
openssl rehash cadir
