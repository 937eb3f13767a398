#!/usr/bin/env bash
# Downloads the four MNIST files into DIR from the usual public mirrors, trying each in turn,
# and checks their SHA-256 sums. Usage: datasets/fetch_mnist.sh [DIR]   (default: datasets/mnist)
# configs/mnist_*.yaml read from datasets/mnist.
set -euo pipefail

dir=${1:-"$(dirname "$0")/mnist"}
mirrors=(
  https://ossci-datasets.s3.amazonaws.com/mnist
  https://storage.googleapis.com/cvdf-datasets/mnist
  http://yann.lecun.com/exdb/mnist
)
# file and SHA-256, as published with the original data set
files=(
  "train-images-idx3-ubyte.gz 440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
  "train-labels-idx1-ubyte.gz 3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
  "t10k-images-idx3-ubyte.gz 8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"
  "t10k-labels-idx1-ubyte.gz f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"
)

if command -v curl >/dev/null; then
  fetch() { curl --fail --silent --show-error --location --connect-timeout 10 -o "$2" "$1"; }
elif command -v wget >/dev/null; then
  fetch() { wget --quiet --timeout=10 -O "$2" "$1"; }
else
  echo "fetch_mnist.sh: needs curl or wget (apt-get install curl)" >&2
  exit 1
fi

mkdir -p "$dir"
# Ctrl-C or a kill mid-download leaves no partial file behind.
partial=""
trap 'rm -f "$partial"; exit 130' INT
trap 'rm -f "$partial"; exit 143' TERM
for entry in "${files[@]}"; do
  read -r name sum <<<"$entry"
  target="$dir/$name"
  if [[ -f "$target" ]] && echo "$sum  $target" | sha256sum --check --status; then
    echo "$name: already present, checksum OK"
    continue
  fi
  ok=0
  for mirror in "${mirrors[@]}"; do
    echo "$name: downloading from $mirror"
    partial=$target.part
    if error=$(fetch "$mirror/$name" "$target.part" 2>&1); then
      if echo "$sum  $target.part" | sha256sum --check --status; then
        mv "$target.part" "$target"
        ok=1
        break
      fi
      echo "$name: checksum mismatch from $mirror; trying the next mirror" >&2
    else
      echo "$name: $mirror failed: ${error:-no answer}" >&2
    fi
    rm -f "$target.part"
  done
  if [[ $ok -ne 1 ]]; then
    echo "fetch_mnist.sh: could not download $name from any mirror." >&2
    echo "Is there a network connection? Fashion-MNIST needs none: configs/fashion_*.yaml" >&2
    echo "read Debian's dataset-fashion-mnist package." >&2
    exit 1
  fi
done
echo "MNIST is in $dir"
