#!/usr/bin/env bash
# Writes a throwaway CA (ca.pem, ca.key) and a server certificate for
# 127.0.0.1 (server.pem, server.key) signed by it into DIR, valid for a day.
# With --leaf, writes one more server certificate, NAME.pem and NAME.key, for
# the subject alternative names SAN, signed by the CA already in DIR.
# Used by tests/container/run.sh, bench/run.sh and tests/container/lib.sh.
#
#   bash .ci/make-test-ca.sh DIR "CA common name"
#   bash .ci/make-test-ca.sh --leaf DIR NAME SAN     (SAN: IP:127.0.0.1,DNS:localhost)
set -euo pipefail

# leaf DIR NAME SAN: DIR/NAME.pem and DIR/NAME.key, signed by DIR/ca.pem.
leaf() {
    local dir=$1 name=$2 san=$3 cn
    cn="${san%%,*}" # the first name, without its IP: or DNS: kind
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=${cn#*:}" \
        -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
    printf '%s\n' "subjectAltName=$san" "basicConstraints=critical,CA:FALSE" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >"$dir/$name.ext"
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
        -days 1 -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
}

if [ "${1:-}" = --leaf ]; then
    leaf "$2" "$3" "$4"
    exit 0
fi
dir=$1
name=${2:-repository-dispatch test CA}
mkdir -p "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj "/CN=$name" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
leaf "$dir" server "IP:127.0.0.1"
