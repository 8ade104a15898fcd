#!/bin/sh
# Builds a static Parley binary: the one command that CI (.ci/run) and the
# Docker image (deploy/Dockerfile) both use, so that they ship the same thing.
#
#   sh deploy/build.sh OUT [PACKAGE]     PACKAGE defaults to ./cmd/parley
#
# CGO_ENABLED=0 makes the binary static (it runs on distroless or scratch);
# -trimpath and -s -w keep build paths and debug tables out of it.
set -eu
out=${1:?usage: sh deploy/build.sh OUT [PACKAGE]}
pkg=${2:-./cmd/parley}
case $out in
/*) ;;
*) out=$PWD/$out ;;
esac
cd "$(dirname "$0")/.."
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$out" "$pkg"
