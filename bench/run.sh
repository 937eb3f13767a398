#!/usr/bin/env bash
# nnrun against PyTorch on the same networks and schedules, run in turn (A B A B ...), with
# the oneDNN matmul bound measured in the same run. Prints Markdown tables and keeps the
# whole output in bench/results/<date>-<cpu>-f<family>m<model>.md (with -HHMMSS added when
# that file exists), e.g. 2026-11-26-intel-xeon-processor-f6m207.md: the results are kept in
# the repository, so commit a run worth keeping.
#
#   bench/run.sh [--pairs N] [--threads T] [--build DIR] [--baseline DIR] [--quick]
#
# --pairs N       A/B pairs per case (default 3)   --threads T  for both tools (default 2)
# --build DIR     nnrun's build folder (default build-bench, configured Release)
# --baseline DIR  also run DIR/nnrun in every pair (an earlier build: before/after)
# --quick         batch 128 and Iris only
# When the build accepts `precision: bf16`, nnrun-bf16 runs in every Fashion-MNIST pair too.
# nnrun runs as a user would start it, without OpenMP variables: it chooses how its idle threads
# wait (app/openmp_env.hpp: sleep, after a short spin when nothing else was running at start);
# the report lists the choice per pair. At batch 128, nnrun-passive runs too: nnrun with
# OMP_WAIT_POLICY=PASSIVE (threads sleep at once), the setting for a busy machine.
#
# Installs what is missing (Debian: the build dependencies, python3-torch,
# libopenblas0-pthread, dataset-fashion-mnist) when run as root; otherwise prints the
# apt-get line and stops. PyTorch and the matmul peak run with OMP_WAIT_POLICY=PASSIVE (PyTorch's
# fastest setting here; libgomp's default spin takes the other core from everything else).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
pairs=3 threads=2 build=build-bench baseline="" quick=0
usage() { sed -n '2,18p' "$0"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --pairs | --threads | --build | --baseline)
      if [[ $# -lt 2 ]]; then
        echo "bench/run.sh: $1 needs a value" >&2
        usage >&2
        exit 2
      fi
      case "$1" in
        --pairs) pairs=$2 ;;
        --threads) threads=$2 ;;
        --build) build=$2 ;;
        --baseline) baseline=$2 ;;
      esac
      shift 2 ;;
    --quick) quick=1; shift ;;
    *) echo "bench/run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$pairs" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: --pairs needs a positive integer" >&2; exit 2; }
[[ "$threads" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: --threads needs a positive integer" >&2; exit 2; }
python=/usr/bin/python3  # Debian's, where python3-torch lives (not a pyenv or venv one)

# --- the reference and the tools ----------------------------------------------------------
scripts/install_deps.sh
packages=(python3-torch python3-numpy libopenblas0-pthread dataset-fashion-mnist time)
missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  command="apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "The benchmark needs these Debian packages: ${missing[*]}" >&2
    echo "Install them as root, then run it again:" >&2
    echo "  sudo $command" >&2
    exit 1
  fi
  echo "+ $command"
  export DEBIAN_FRONTEND=noninteractive
  $command || { echo "+ apt-get update"; apt-get update; $command; }
fi

echo "+ cmake --build $build (Release)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target nnrun nnrun_bench_matmul_peak nnrun_bench_step_profile >/dev/null
nnrun="$build/nnrun"
peak="$build/bench/nnrun_bench_matmul_peak"
profile="$build/bench/nnrun_bench_step_profile"
if [[ -n "$baseline" && ! -x "$baseline/nnrun" ]]; then
  echo "--baseline $baseline: no nnrun there" >&2
  exit 2
fi

# --- the machine ------------------------------------------------------------------------------
export OMP_WAIT_POLICY=PASSIVE
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
# A virtual machine may name its CPU only "Intel(R) Xeon(R) Processor": family and model
# numbers keep the generations apart (6/143 Sapphire Rapids, 6/207 Emerald Rapids).
family=$(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | head -1)
model=$(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | head -1)
slug=$(echo "$cpu" | tr 'A-Z' 'a-z' | sed -e 's/([^)]*)//g' -e 's/[^a-z0-9]\+/-/g' -e 's/^-//' -e 's/-$//')
slug="$slug-f${family:-0}m${model:-0}"
stamp=$(date +%Y-%m-%d)
mkdir -p bench/results
report="bench/results/$stamp-$slug.md"
[[ -e "$report" ]] && report="bench/results/$stamp-$slug-$(date +%H%M%S).md"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/results.jsonl"
: >"$results"

# Debian's OpenBLAS 0.3.21 does not know every new Intel model: it falls back to its
# generic "Prescott" kernels (about 15 GFLOP/s here instead of 70+). PyTorch's fp32 Linear
# runs on OpenBLAS, so the reference is given the right kernels when the CPU has AVX-512:
# PyTorch at its best, not at a packaging accident.
openblas_core=$(OPENBLAS_VERBOSE=2 "$python" -c 'import torch; torch.ones(64, 64) @ torch.ones(64, 64)' 2>&1 |
  sed -n 's/^Core: //p' | head -1)
torch_env=()
openblas_note="OpenBLAS core: ${openblas_core:-unknown} (as detected)"
if [[ "$openblas_core" == "Prescott" ]] && grep -qw avx512f /proc/cpuinfo; then
  torch_env=(OPENBLAS_CORETYPE=SkylakeX)
  openblas_note="OpenBLAS detected this CPU as \"Prescott\" (generic kernels); the PyTorch runs use OPENBLAS_CORETYPE=SkylakeX"
fi

# bf16 runs only where this build and this CPU accept the config key.
bf16=0
"$nnrun" check bench/configs/fashion_mlp_bench.yaml --set precision=bf16 >/dev/null 2>&1 && bf16=1
bf16_note=$("$nnrun" check bench/configs/fashion_mlp_bench.yaml --set precision=bf16 2>&1 >/dev/null |
  head -1 || true)

{
  echo "# nnrun vs PyTorch, $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "- CPU: $cpu (family $family, model $model), $(nproc) cores visible; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "  flags: $(grep -m1 -o -w -E 'avx512f|avx512_bf16|amx_bf16|amx_tile' /proc/cpuinfo | tr '\n' ' ')"
  if git rev-parse --git-dir >/dev/null 2>&1; then
    echo "- nnrun $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' (with uncommitted changes)'), $build"
  else
    echo "- nnrun (not a git checkout), $build"
  fi
  echo "- PyTorch $("$python" -c 'import torch; print(torch.__version__)'); $openblas_note"
  echo "- $threads threads for both, $pairs A/B pairs per case (nnrun first); PyTorch with OMP_WAIT_POLICY=PASSIVE, nnrun with the wait it chooses itself (listed per pair), nnrun-passive with OMP_WAIT_POLICY=PASSIVE"
  [[ -n "$baseline" ]] && echo "- baseline: $baseline/nnrun runs in every pair as nnrun-baseline"
  [[ $bf16 -eq 1 ]] && echo "- precision bf16: nnrun-bf16 runs in every Fashion-MNIST pair" ||
    echo "- precision bf16 not measured: ${bf16_note:-refused}"
} | tee "$report"

# --- the runs ----------------------------------------------------------------------------------
# One nnrun run: train, then turn its run directory into a JSON line.
run_nnrun() {  # tool binary case pair config [args...]
  local tool=$1 binary=$2 case=$3 pair=$4 config=$5
  shift 5
  local dir="$work/$tool-${case// /-}-$pair"
  # Without the OpenMP variables this script exports for PyTorch, unless the caller set some.
  env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT ${NNRUN_ENV:-} \
    /usr/bin/time -v -o "$work/time" "$binary" train "$config" --threads "$threads" \
    --run-dir "$dir" "$@" >"$work/nnrun.out" 2>&1 || { cat "$work/nnrun.out" >&2; exit 1; }
  "$python" bench/report.py nnrun "$dir" "$work/time" "$case" "$pair" "$tool" >>"$results"
}
# nnrun, then the baseline and bf16 when asked for, then PyTorch: one pair.
run_pair() {  # case pair config nnrun-args (one string) torch-args...
  local case=$1 pair=$2 config=$3 args=$4
  shift 4
  # shellcheck disable=SC2086  # args are words: --set key=value ...
  run_nnrun nnrun "$nnrun" "$case" "$pair" "$config" $args
  # shellcheck disable=SC2086
  [[ -n "$baseline" ]] && run_nnrun nnrun-baseline "$baseline/nnrun" "$case" "$pair" "$config" $args
  # shellcheck disable=SC2086
  [[ $bf16 -eq 1 && "$case" == fashion* ]] &&
    run_nnrun nnrun-bf16 "$nnrun" "$case" "$pair" "$config" $args --set precision=bf16
  # shellcheck disable=SC2086
  [[ "$case" == "fashion b128" ]] &&
    NNRUN_ENV=OMP_WAIT_POLICY=PASSIVE run_nnrun nnrun-passive "$nnrun" "$case" "$pair" "$config" $args
  run_torch "$case" "$pair" "$@"
}
run_torch() {  # case pair args...
  local case=$1 pair=$2
  shift 2
  env "${torch_env[@]}" /usr/bin/time -v -o "$work/time" "$python" bench/reference/torch_mlp.py \
    --threads "$threads" "$@" >"$work/torch.out" 2>&1 || { cat "$work/torch.out" >&2; exit 1; }
  "$python" bench/report.py torch "$work/torch.out" "$work/time" "$case" "$pair" >>"$results"
}
measure_peak() {  # batch pair: just before and just after the pair, so that both see its load
  "$peak" --threads "$threads" --batch "$1" --ms 100 >"$work/peak.out"
  "$python" bench/report.py peak "$work/peak.out" "$1" "$2" >>"$results"
}

batches=(128 32 512)
[[ $quick -eq 1 ]] && batches=(128)
for batch in "${batches[@]}"; do
  echo "fashion batch $batch: $pairs x (matmul peak, nnrun, pytorch, matmul peak)" >&2
  for pair in $(seq "$pairs"); do
    measure_peak "$batch" "$pair"
    # One seed per pair, the same for both tools (init and shuffling), so that the mean test
    # accuracy compares the tools rather than two lucky or unlucky seeds.
    seed=$((41 + pair))
    run_pair "fashion b$batch" "$pair" bench/configs/fashion_mlp_bench.yaml \
      "--set training.batch_size=$batch --seed $seed" fashion --batch-size "$batch" --seed "$seed"
    measure_peak "$batch" "$pair"
  done
done
echo "iris: $pairs pairs" >&2
no_checkpoints="--set checkpoint.save_best=false --set checkpoint.save_last=false"
for pair in $(seq "$pairs"); do
  run_pair iris "$pair" bench/configs/iris_bench.yaml "" iris
  # shellcheck disable=SC2086
  run_nnrun nnrun "$nnrun" "iris without checkpoints" "$pair" bench/configs/iris_bench.yaml \
    $no_checkpoints
  # The step alone, timed per step (metrics.csv has 0.1 ms per epoch of resolution).
  "$profile" --threads "$threads" --widths 4,16,3 --batch 16 --samples 120 --steps 4000 \
    >"$work/profile.out"
  "$python" bench/report.py profile "$work/profile.out" iris "$pair" >>"$results"
done

# Where one training step's time goes (the measurement that guides backend work).
step_profiles() {
  echo
  echo "### Where a step's time goes (bench/step_profile, random data, $threads threads)"
  echo
  echo '```'
  "$profile" --threads "$threads" --batch 128 --samples 60000
  echo
  "$profile" --threads "$threads" --widths 4,16,3 --batch 16 --samples 120 --steps 4000
  echo '```'
}

{
  echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$python" bench/report.py table "$results"
  step_profiles
  echo
  echo "<details><summary>every run (JSON lines)</summary>"
  echo
  echo '```'
  cat "$results"
  echo '```'
  echo "</details>"
} | tee -a "$report"
echo "saved $report" >&2
