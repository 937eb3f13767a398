#!/usr/bin/env bash
# Installs the Debian packages nnrun needs to build and test, if any are missing.
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -euo pipefail

packages=(cmake g++ make pkg-config libcli11-dev libyaml-cpp-dev libspdlog-dev libdnnl-dev
  doctest-dev zlib1g-dev
  ocl-icd-opencl-dev opencl-c-headers  # Debian's dnnl CMake config requires OpenCL headers
  dataset-fashion-mnist gnuplot-nox)   # Fashion-MNIST configs; plots of scripts/*.sh

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "nnrun needs these Debian packages: ${missing[*]}" >&2
  echo "Install them as root, then run this script again:" >&2
  echo "  sudo $command" >&2
  exit 1
fi
echo "+ $command"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have empty package lists: update once and retry.
if ! $command; then
  echo "+ apt-get update"
  apt-get update
  $command
fi
