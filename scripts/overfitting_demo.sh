#!/usr/bin/env bash
# The textbook picture of overfitting: five noisy points on a line, fit by a 2-parameter
# linear model (configs/overfit_line_linear.yaml) and by a 7-parameter network
# (configs/overfit_line_7param.yaml). Trains both, prints them side by side and plots the
# points with both fitted curves.
set -uo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'EOF'
usage: scripts/overfitting_demo.sh [--out DIR] [--set KEY=VALUE ...]

Trains configs/overfit_line_linear.yaml (dense 1->1: 2 parameters) and
configs/overfit_line_7param.yaml (dense 1->2 tanh, dense 2->1: 7 parameters) on the same 5
noisy points of y = x, then measures each final model (last.ckpt, the weights training
ended with) with `nnrun eval --json` on the 5 training points and on 50 held-out points of
the same line, and prints the two side by side. Expected: the 7-parameter model's
training MSE is near 0 (1.5e-9 with the configs' seed) and below the linear model's; its validation MSE is higher.
Writes DIR/linear/ and DIR/7param/ (the runs), DIR/results.csv (model, parameters,
train_mse, val_mse) and, with gnuplot, DIR/fit.png and DIR/fit.svg: the points and both
fitted curves (from `nnrun predict` on an x grid). An earlier demo in DIR is moved into
DIR/previous-N/ first.

  --out DIR         output folder (default runs/overfitting_demo)
  --set KEY=VALUE   an override for both runs (repeatable), e.g. --set training.epochs=300
Exit code: 0 done (whatever the ordering); 1 a run or an evaluation failed; 2 usage.
EOF
}

usage_error() {
  echo "overfitting_demo.sh: $1" >&2
  usage >&2
  exit 2
}

out=runs/overfitting_demo
sets=()
while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --out) (($# >= 2)) || usage_error "--out needs a value"; out=$2; shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    --set) (($# >= 2)) || usage_error "--set needs a value"
           [[ "$2" == ?*=* ]] || usage_error "--set needs KEY=VALUE, got '$2'"
           sets+=(--set "$2"); shift 2 ;;
    --set=*) [[ "${1#*=}" == ?*=* ]] || usage_error "--set needs KEY=VALUE, got '${1#*=}'"
             sets+=(--set "${1#*=}"); shift ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
[[ -n "$out" ]] || usage_error "--out is empty"
# gnuplot reads its commands line by line: a folder name with a line break or a quote could
# start one of its own (the plot names files inside shell commands).
[[ "$out" != *[$'\n\r'\'\"\`\$]* ]] || usage_error "--out must not hold line breaks, quotes, \` or \$"
nnrun_require_binary
out=$(realpath -m -- "$out")

models=(linear 7param)
declare -A label=([linear]="linear: dense 1->1" [7param]="7-param: dense 1->2 tanh, 2->1")

# Both configs with the overrides through `nnrun check` first: a mistyped --set is a usage
# error, reported before anything is trained or moved.
for m in "${models[@]}"; do
  if ! err=$("$NNRUN" check "$NNRUN_REPO_ROOT/configs/overfit_line_$m.yaml" --set threads=1 \
               "${sets[@]}" 2>&1 >/dev/null); then
    echo "overfitting_demo.sh: $err" >&2
    exit 2
  fi
done

mkdir -p "$out" || nnrun_die "cannot create $out"
# An earlier demo's outputs go into DIR/previous-N/.
move_earlier_outputs "$out" demo linear 7param linear.log 7param.log results.csv grid.csv \
  train_points.dat val_points.dat fit.gp fit.png fit.svg gnuplot.log

# Both runs at once, one thread each (they are tiny: the time goes into checkpoints).
echo "training configs/overfit_line_linear.yaml and configs/overfit_line_7param.yaml -> $out"
declare -A pid=()
for m in "${models[@]}"; do
  "$NNRUN" train "$NNRUN_REPO_ROOT/configs/overfit_line_$m.yaml" --run-dir "$out/$m" --quiet \
    --set threads=1 "${sets[@]}" </dev/null >"$out/$m.log" 2>&1 &
  pid[$m]=$!
done
failed=0
for m in "${models[@]}"; do
  if ! wait "${pid[$m]}"; then
    echo "overfitting_demo.sh: training $m failed; its output ($out/$m.log):" >&2
    sed 's/^/  /' "$out/$m.log" >&2
    failed=1
  fi
done
((failed == 0)) || exit 1

# The final model of each run: parameters, and the MSE on the training and validation split.
declare -A params=() train_mse=() val_mse=()
for m in "${models[@]}"; do
  ckpt=$out/$m/last.ckpt
  for split in train val; do
    "$NNRUN" eval "$ckpt" --json --split "$split" >"$out/$m/eval-last-$split.json" ||
      nnrun_die "nnrun eval $ckpt --split $split failed"
  done
  "$NNRUN" inspect "$ckpt" --json >"$out/$m/inspect.json" || nnrun_die "nnrun inspect $ckpt failed"
  params[$m]=$(json_get "$out/$m/inspect.json" total_parameters)
  train_mse[$m]=$(json_get "$out/$m/eval-last-train.json" mse)
  val_mse[$m]=$(json_get "$out/$m/eval-last-val.json" mse)
done

{
  echo "model,parameters,train_mse,val_mse"
  for m in "${models[@]}"; do
    echo "$m,${params[$m]},${train_mse[$m]},${val_mse[$m]}"
  done
} >"$out/results.csv"

echo
echo "final models (last.ckpt), MSE measured by nnrun eval:"
printf '  %-32s %10s %12s %12s\n' model parameters "train MSE" "val MSE"
for m in "${models[@]}"; do
  printf '  %-32s %10s %12.4g %12.4g\n' "${label[$m]}" "${params[$m]}" "${train_mse[$m]}" \
    "${val_mse[$m]}"
done
echo "  (train: the 5 training points; val: 50 held-out points of the same line)"
ordering=$(awk -v lt="${train_mse[linear]}" -v lv="${val_mse[linear]}" \
               -v pt="${train_mse[7param]}" -v pv="${val_mse[7param]}" 'BEGIN {
  if (pt < lt && pv > lv) print "as expected: the 7-parameter model fits the training points better but generalizes worse (overfitting)"
  else print "NOT the textbook ordering (want 7-param train < linear train and 7-param val > linear val)" }')
echo "$ordering"

# ---------------------------------------------------------------------------------------
# The plot. `nnrun predict` prints predictions only, so the data points are read back from
# nnrun's own generator: the synthetic source of the resolved config, with
#   x_i = (p_i - b) / w    p_i: the linear model's prediction for point i, w and b its
#                          slope and intercept (its predictions at x = 0 and 1);
#   y_i = p_i - C + r_i    r_i^2 = k MSE_k - (k-1) MSE_{k-1}, MSE_k: eval of the linear
#                          model on the first k points (a seeded source with samples: k
#                          starts with the same k points) with the intercept raised by C,
#                          so that every residual p_i - (y_i + C) is negative.
# A check against the eval MSE guards the reconstruction.

# source_of CONFIG ROLE SAMPLES SHIFT: the data.ROLE mapping of a resolved config as a flow
# mapping, with samples and intercept replaced (intercept + SHIFT).
source_of() {
  awk -v role="$2" -v samples="$3" -v shift_by="$4" '
    /^data:/ { in_data = 1; next }
    in_data && /^[^ ]/ { in_data = 0 }
    in_data && $0 ~ "^  " role ":" { in_role = 1; next }
    in_role && !/^    / { in_role = 0 }
    in_role {
      line = $0; sub(/^ +/, "", line)
      k = line; sub(/:.*/, "", k); v = line; sub(/^[^:]*: */, "", v)
      if (k == "samples") v = samples
      if (k == "intercept") v = v + shift_by
      out = out (out == "" ? "" : ", ") k ": " v
    }
    END { print "{" out "}" }' "$1"
}
config_value() {  # CONFIG ROLE KEY
  awk -v role="$2" -v key="$3" '
    /^data:/ { in_data = 1; next }
    in_data && /^[^ ]/ { in_data = 0 }
    in_data && $0 ~ "^  " role ":" { in_role = 1; next }
    in_role && !/^    / { in_role = 0 }
    in_role && $1 == key ":" { print $2; exit }' "$1"
}

# recover_points ROLE FILE: writes "x y" rows of the ROLE (train, validation) points.
recover_points() {
  local role=$1 file=$2 cfg=$out/linear/config.yaml ckpt=$out/linear/last.ckpt
  local n generator shift_by=5 k mse preds
  generator=$(config_value "$cfg" "$role" generator)
  n=$(config_value "$cfg" "$role" samples)
  [[ "$generator" == line && "$n" =~ ^[0-9]+$ ]] && ((n >= 1 && n <= 200)) || return 1
  preds=$("$NNRUN" predict "$ckpt" --input "$(source_of "$cfg" "$role" "$n" 0)" | tail -n +2) ||
    return 1
  local sums=()
  for ((k = 1; k <= n; k++)); do
    mse=$("$NNRUN" eval "$ckpt" --json --data "$(source_of "$cfg" "$role" "$k" "$shift_by")" \
            >"$out/recover.json" && json_get "$out/recover.json" mse) || return 1
    [[ -n "$mse" ]] || return 1
    sums+=("$mse")
  done
  rm -f "$out/recover.json"
  paste -d' ' <(echo "$preds") <(printf '%s\n' "${sums[@]}") |
    awk -v w="$slope_fit" -v b="$intercept_fit" -v c="$shift_by" '
      { k = NR; s = k * $2; sq = s - prev; prev = s; if (sq < 0) sq = 0
        printf "%.7g %.7g\n", ($1 - b) / w, $1 - c + sqrt(sq) }' >"$file"
}

plot_note="no plot"
if have_gnuplot; then
  feature=$(awk '/"feature_names": \[/ { getline; gsub(/[ ",]/, ""); print; exit }' \
              "$out/linear/inspect.json")
  [[ -n "$feature" ]] || feature=x
  x_min=$(config_value "$out/linear/config.yaml" train x_min); x_min=${x_min:--1}
  x_max=$(config_value "$out/linear/config.yaml" train x_max); x_max=${x_max:-1}
  awk -v f="$feature" -v a="$x_min" -v b="$x_max" 'BEGIN {
    print f; lo = a - 0.1 * (b - a); hi = b + 0.1 * (b - a)
    for (i = 0; i <= 240; i++) printf "%.6g\n", lo + (hi - lo) * i / 240 }' >"$out/grid.csv"
  ok=1
  for m in "${models[@]}"; do
    "$NNRUN" predict "$out/$m/last.ckpt" --input "$out/grid.csv" --output "$out/$m/curve.csv" \
      >/dev/null || ok=0
  done
  if ((ok)); then
    # The linear model's own slope and intercept, for reading the points back.
    printf '%s\n0\n1\n' "$feature" >"$out/unit.csv"
    read -r intercept_fit slope_fit < <("$NNRUN" predict "$out/linear/last.ckpt" \
      --input "$out/unit.csv" | awk 'NR == 2 { b = $1 } NR == 3 { print b, $1 - b }')
    rm -f "$out/unit.csv"
    points_ok=0
    if awk -v w="$slope_fit" 'BEGIN { exit !(w > 1e-3 || w < -1e-3) }' &&
       recover_points train "$out/train_points.dat" &&
       recover_points validation "$out/val_points.dat"; then
      # The check: the linear model's MSE on the points read back equals eval's.
      points_ok=$(awk -v w="$slope_fit" -v b="$intercept_fit" -v want="${train_mse[linear]}" '
        { d = w * $1 + b - $2; s += d * d; n++ }
        END { got = s / n; print (n > 0 && (got - want)^2 <= (1e-3 * want + 1e-6)^2) ? 1 : 0 }' \
        "$out/train_points.dat")
    fi
    ((points_ok)) || echo "overfitting_demo.sh: could not read the data points back; plotting the curves only" >&2
    slope=$(config_value "$out/linear/config.yaml" train slope); slope=${slope:-1}
    intercept=$(config_value "$out/linear/config.yaml" train intercept); intercept=${intercept:-0}
    line_text=$(awk -v a="$slope" -v b="$intercept" 'BEGIN {
      s = (a == 1) ? "x" : (a == -1) ? "-x" : a "x"
      if (b > 0) s = s " + " b; else if (b < 0) s = s " - " (-b)
      print "y = " s }')
    gp=$out/fit.gp
    {
      cat <<EOF
# gnuplot script written by scripts/overfitting_demo.sh
set grid
set key bottom right box opaque
set title "$(gp_text "Overfitting: 5 noisy points of $line_text, fit with 2 and with 7 parameters")"
set xlabel "$(gp_text "$feature")"
set ylabel "y"
set xrange [${x_min}-0.1*(${x_max}-(${x_min})):${x_max}+0.1*(${x_max}-(${x_min}))]
EOF
      plots="\"< paste -d, '$out/grid.csv' '$out/linear/curve.csv'\" using 1:2 every ::1 with lines lw 2 lc rgb '#1f77b4' title sprintf('linear, 2 parameters: train MSE %.3g, val MSE %.3g', ${train_mse[linear]}, ${val_mse[linear]})"
      plots+=", \"< paste -d, '$out/grid.csv' '$out/7param/curve.csv'\" using 1:2 every ::1 with lines lw 2 lc rgb '#d62728' title sprintf('7 parameters: train MSE %.3g, val MSE %.3g', ${train_mse[7param]}, ${val_mse[7param]})"
      plots+=", ${slope}*x + ${intercept} with lines dt 2 lw 1 lc rgb '#555555' title 'the true line'"
      if ((points_ok)); then
        plots+=", '$out/val_points.dat' using 1:2 with points pt 6 ps 0.8 lc rgb '#999999' title 'held-out points (validation)'"
        plots+=", '$out/train_points.dat' using 1:2 with points pt 7 ps 1.8 lc rgb 'black' title 'the 5 training points'"
      fi
      echo "set datafile separator ','"
      echo "plot $plots"
    } >"$gp"
    # The points files are space-separated: gnuplot's "," separator also splits on nothing
    # else, so give them commas.
    if ((points_ok)); then
      sed -i 's/ /,/' "$out/train_points.dat" "$out/val_points.dat"
    fi
    if "$GNUPLOT" -e "set terminal $(gnuplot_png_terminal); set output $(gp_quote "$out/fit.png")" "$gp" \
         2>"$out/gnuplot.log" &&
       "$GNUPLOT" -e "set terminal svg size 900,600 dynamic enhanced; set output $(gp_quote "$out/fit.svg")" "$gp" \
         2>>"$out/gnuplot.log"; then
      plot_note="$out/fit.png, $out/fit.svg"
    else
      plot_note="gnuplot failed: see $out/gnuplot.log"
    fi
  else
    plot_note="nnrun predict failed: no plot"
  fi
fi
echo "results: $out/results.csv"
echo "plot:    $plot_note"
