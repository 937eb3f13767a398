#!/usr/bin/env bash
# The main job from a fresh clone: install what is missing, build Release, train the
# shipped Iris config, and evaluate its best checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --parallel "$(nproc)" --target nnrun
build/nnrun train configs/iris.yaml
build/nnrun eval runs/iris/best.ckpt
