#!/usr/bin/env bash
# Installs the Debian packages bertconv builds against (needs root or sudo), plus any named as
# arguments (CI adds python3-venv for the ONNX interop check).
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends \
  pkg-config libhdf5-dev libopenblas-dev libprotobuf-c-dev protobuf-c-compiler libsnappy-dev zlib1g-dev "$@" >/dev/null
