#!/usr/bin/env bash
# Learning curves of one nnrun run directory: training and validation loss and error per
# epoch (from metrics.csv), the best epoch and the stopping point (from summary.json)
# marked, as RUN_DIR/learning_curves.png and RUN_DIR/learning_curves.svg.
set -uo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'EOF'
usage: scripts/plot_run.sh RUN_DIR

Plots RUN_DIR/metrics.csv (written by `nnrun train`): loss (log scale) and error against
the epoch, training and validation, with the best epoch (summary.json best_epoch, by
checkpoint.monitor) and the point where training stopped marked. Writes
RUN_DIR/learning_curves.png and RUN_DIR/learning_curves.svg. Needs gnuplot
(Debian: apt-get install gnuplot-nox). Error is 1 - accuracy for classification and the
MSE for regression. Exit code: 0 plotted; 1 gnuplot missing or failed; 2 usage.
EOF
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
esac
if (($# != 1)) || [[ "$1" == -* ]]; then
  [[ $# -eq 0 ]] && echo "plot_run.sh: no RUN_DIR given" >&2 || echo "plot_run.sh: expected one RUN_DIR, got: $*" >&2
  usage >&2
  exit 2
fi
run=${1%/}
if [[ "$run" == *[$'\n\r']* ]]; then  # gnuplot would read the rest as a command of its own
  echo "plot_run.sh: the run folder's path holds a line break; rename it" >&2
  exit 2
fi
metrics=$run/metrics.csv
if [[ ! -f "$metrics" ]]; then
  echo "plot_run.sh: $run: no metrics.csv (not an nnrun run directory?)" >&2
  exit 2
fi
header=$(head -n 1 "$metrics")
[[ "$header" == epoch,train_loss,train_error,val_loss,val_error* ]] ||
  nnrun_die "$metrics: unexpected header '$header' (want epoch,train_loss,train_error,val_loss,val_error,...)" 2
rows=$(($(wc -l <"$metrics") - 1))
((rows > 0)) || nnrun_die "$metrics: no epoch finished yet: nothing to plot" 1
have_gnuplot || exit 1

# has_finite COLUMN: true when some epoch has a finite value there (gnuplot fails on a curve
# whose every point is nan or inf, as in a run that diverged in its first epoch).
has_finite() {
  awk -F, -v c="$1" 'NR > 1 && tolower($c) !~ /nan|inf/ { found = 1 } END { exit !found }' "$metrics"
}
# finite_number TEXT: true when TEXT is a finite number (metrics.csv writes nan and inf).
finite_number() {
  awk -v x="$1" 'BEGIN { exit !(x ~ /^[-+]?[0-9.]+([eE][-+]?[0-9]+)?$/) }'
}
has_finite 2 || has_finite 4 ||
  nnrun_die "$metrics: no epoch has a finite loss (the run diverged at once; see its summary.json): nothing to plot" 1

best_epoch="" epochs_run="" stop_reason="" monitor="" name=""
if [[ -f "$run/summary.json" ]]; then
  best_epoch=$(json_get "$run/summary.json" best_epoch)
  epochs_run=$(json_get "$run/summary.json" epochs_run)
  stop_reason=$(json_get "$run/summary.json" stop_reason)
  monitor=$(json_get "$run/summary.json" monitor)
  name=$(json_get "$run/summary.json" name)
fi
[[ "$best_epoch" == 0 ]] && best_epoch=""
last_epoch=$(tail -n 1 "$metrics" | cut -d, -f1)
[[ -n "$epochs_run" ]] || epochs_run=$last_epoch
[[ -n "$name" ]] || name=$(basename "$(cd "$run" && pwd)")
[[ -n "$stop_reason" ]] || stop_reason="no summary.json: still running, or killed"

# Regression runs log the MSE as both loss and error.
regression=$(awk -F, 'NR > 1 && $2 != $3 { diff = 1 } END { print diff ? 0 : 1 }' "$metrics")
if ((regression)); then error_label="error (MSE)"; else error_label="error (1 - accuracy)"; fi

# Epoch, train and validation loss and error at the best epoch, for its marker.
best_line=""
[[ -n "$best_epoch" ]] && best_line=$(awk -F, -v e="$best_epoch" 'NR > 1 && $1 == e' "$metrics")

esc() { gp_text "$1"; }

gp=$(mktemp)
trap 'rm -f "$gp"' EXIT
{
  echo "set datafile separator ','"
  echo "set key top right box font ',9'"
  echo "set grid"
  echo "set lmargin 12"
  echo "set xlabel 'epoch'"
  echo "set xrange [0:$(awk -v e="$last_epoch" 'BEGIN { m = e * 0.03; print e + (m < 1 ? 1 : m) }')]"
  reason=$stop_reason
  ((${#reason} <= 110)) || reason="${reason:0:107}..."
  echo "set multiplot layout 2,1 title \"$(esc "Learning curves: $name ($run)")\\n$(esc "stopped at epoch $epochs_run: $reason")\" font ',11'"
  for panel in loss error; do
    if [[ $panel == loss ]]; then
      col_train=2 col_val=4
      echo "set logscale y; set format y '%g'; set offsets 0, graph 0.02, 0, 0"
      echo "set ylabel 'loss (log scale)'"
    else
      col_train=3 col_val=5
      echo "unset logscale y"
      echo "set yrange [0:*]; set offsets 0, graph 0.02, graph 0.05, 0"
      echo "set ylabel '$error_label'"
    fi
    echo "unset arrow"
    [[ -n "$best_epoch" ]] &&
      echo "set arrow from $best_epoch, graph 0 to $best_epoch, graph 1 nohead dt 2 lw 1.5 lc rgb '#2ca02c'"
    echo "set arrow from $epochs_run, graph 0 to $epochs_run, graph 1 nohead lw 1.5 lc rgb '#7f7f7f'"
    # The marks are explained in the key (NaN plots draw nothing but a key entry).
    # Curves with no finite point are left out (gnuplot would fail on them).
    curves=()
    has_finite "$col_train" &&
      curves+=("$(gp_quote "$metrics") using 1:$col_train with lines lw 2 lc rgb '#1f77b4' title 'training'")
    has_finite "$col_val" &&
      curves+=("$(gp_quote "$metrics") using 1:$col_val with lines lw 2 lc rgb '#d62728' title 'validation'")
    ((${#curves[@]} > 0)) ||
      curves+=("NaN with lines lw 2 lc rgb '#1f77b4' title 'no finite $panel'")
    plots=$(IFS=$'\n'; sed 's/$/, \\/; $ s/, \\$//' <<<"${curves[*]}")
    if [[ -n "$best_epoch" ]]; then
      plots+=", \\
  NaN with lines dt 2 lw 1.5 lc rgb '#2ca02c' title \"$(esc "best: epoch $best_epoch (${monitor:-monitor})")\""
    fi
    plots+=", \\
  NaN with lines lw 1.5 lc rgb '#7f7f7f' title \"$(esc "stopped: epoch $epochs_run")\""
    if [[ -n "$best_line" ]]; then
      for value in "$(cut -d, -f"$col_val" <<<"$best_line")" "$(cut -d, -f"$col_train" <<<"$best_line")"; do
        finite_number "$value" || continue  # a nan or inf mark would fail the plot
        plots+=", \\
  '+' using ($best_epoch):($value) every ::0::0 with points pt 6 ps 2 lw 2 lc rgb '#2ca02c' notitle"
      done
    fi
    echo "plot $plots"
  done
  echo "unset multiplot"
} >"$gp"

ok=1
"$GNUPLOT" -e "set terminal $(gnuplot_png_terminal | sed 's/900,600/900,800/'); set output $(gp_quote "$run/learning_curves.png")" "$gp" || ok=0
"$GNUPLOT" -e "set terminal svg size 900,800 dynamic enhanced; set output $(gp_quote "$run/learning_curves.svg")" "$gp" || ok=0
if ((!ok)); then
  echo "plot_run.sh: gnuplot failed on $run" >&2
  exit 1
fi
echo "wrote $run/learning_curves.png, $run/learning_curves.svg"
