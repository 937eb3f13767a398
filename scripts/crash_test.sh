#!/usr/bin/env bash
# Kills `nnrun train` with SIGKILL N times at random moments and checks, each time, that
# best.ckpt loads and holds the last epoch train.log marked as a new best (or the epoch
# being finished when the kill came, whose line was not yet written).
# Usage: scripts/crash_test.sh [N]   (default 100; needs build/nnrun)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
if [[ ! "$n" =~ ^[1-9][0-9]*$ || $# -gt 1 ]]; then
  echo "usage: scripts/crash_test.sh [N]   (N: a positive number of kills, default 100)" >&2
  exit 2
fi
nnrun=build/nnrun
[[ -x $nnrun ]] || { echo "crash_test.sh: build first (scripts/demo.sh or scripts/test.sh)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/c.yaml" <<'YAML'
data:
  train: {format: synthetic, generator: blobs, samples: 600, classes: 4, features: 8}
  validation: {format: synthetic, generator: blobs, samples: 200, classes: 4, features: 8}
model:
  layers:
    - dense: {units: 512, activation: relu}
    - dense: {units: 512, activation: relu}
    - dense: {units: 4}
optimizer: {type: sgd, lr: 0.01}
training: {epochs: 40, batch_size: 64}
YAML
failures=0
for ((i = 1; i <= n; i++)); do
  run="$work/run$i"
  "$nnrun" train "$work/c.yaml" -q --run-dir "$run" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 900))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  marked=$(grep '\* best' "$run/train.log" 2>/dev/null | tail -1 | awk '{print $2}')
  marked=${marked:-0}
  if [[ ! -f $run/best.ckpt ]]; then
    [[ $marked == 0 ]] || { echo "kill $i: log marks epoch $marked but there is no best.ckpt"; failures=$((failures + 1)); }
    continue
  fi
  if ! json=$("$nnrun" inspect "$run/best.ckpt" --json 2>&1); then
    echo "kill $i: best.ckpt does not load: $json"
    failures=$((failures + 1))
    continue
  fi
  epoch=$(echo "$json" | grep -m1 '"epoch"' | tr -dc '0-9')
  rows=$(($(wc -l <"$run/metrics.csv") - 1))
  if [[ $epoch != "$marked" && $epoch != "$rows" ]]; then
    echo "kill $i: best.ckpt holds epoch $epoch, the log marks $marked"
    failures=$((failures + 1))
  fi
  rm -rf "$run"
done
echo "crash_test.sh: $n kills, $failures failures"
[[ $failures == 0 ]]
