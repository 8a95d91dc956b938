#!/usr/bin/env bash
# Writes a throwaway CA (ca.pem, ca.key) and a server certificate for
# 127.0.0.1 (server.pem, server.key) signed by it into DIR, valid for a day.
# Used by tests/container/run.sh and bench/run.sh.
#
#   bash .ci/make-test-ca.sh DIR "CA common name"
set -euo pipefail
dir=$1
name=${2:-repository-dispatch test CA}
mkdir -p "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj "/CN=$name" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf '%s\n' "subjectAltName=IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 1 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
