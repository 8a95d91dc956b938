#!/usr/bin/env bash
# Installs Debian packages with apt-get, through sudo unless run as root; the
# one place the test command, the tests and the benchmarks install from
# Debian.
#
#   bash .ci/apt-install.sh PACKAGE...
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: bash .ci/apt-install.sh PACKAGE..." >&2; exit 2; }
sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
echo "installing from Debian: $*"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null
