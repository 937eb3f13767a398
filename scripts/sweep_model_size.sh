#!/usr/bin/env bash
# Model-size sweep: one training run per value of a config key, then each run's best and
# final model measured on the training and validation splits, tabulated and plotted
# against the parameter count. Run with --help for the options.
set -uo pipefail  # no -e: a run that fails is a row in the table, and the sweep goes on

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'EOF'
usage: scripts/sweep_model_size.sh CONFIG --key KEY --values V1,V2,... [--jobs N] [--out DIR]
                                   [--set KEY=VALUE ...] [--title TEXT] [--slurm] [--dry-run]
                                   [--collect]

Checks every value with `nnrun check` first (a bad key or value is a usage error), trains
CONFIG once per value (nnrun train CONFIG --set KEY=VALUE), N runs at a time, then measures
every run's best model (best.ckpt) and final model (the weights the run ended with: the
restored best epoch under early_stopping.restore_best, else last.ckpt) on the training and
the validation split with `nnrun eval --json` (evaluation mode: dropout off) and its
parameter count with `nnrun inspect --json`, and writes
  DIR/results.csv   value,parameters,best_train_error,best_val_error,final_train_error,
                    final_val_error,best_epoch,epochs_run,stop_reason
  DIR/results.md    the same as a Markdown table
  DIR/error_vs_parameters.png, .svg
                    training and validation error against the parameter count (log scale),
                    the best size marked (needs gnuplot)
  DIR/runs/NN-VALUE/  the run directories;  DIR/logs/  each run's console output and exit code
Error is 1 - accuracy for classification and the MSE for regression. A run that fails is
a row with its exit code and last error line; the sweep goes on.

  --key KEY         the config key to vary, e.g. model.layers[0].dense.units
  --values LIST     comma-separated values, e.g. 1,2,4,8,16 (a value cannot hold a comma)
  --jobs N          runs at the same time (default 1); each gets nproc/N threads
  --out DIR         output folder (default runs/sweep_CONFIGNAME); an earlier sweep in it
                    is moved into DIR/previous-N/ first
  --set KEY=VALUE   an override for every run (repeatable), e.g. --set training.epochs=20
  --title TEXT      the plot's title (default: Model-size sweep: KEY (CONFIG NAME))
  --slurm           write DIR/sweep.sbatch (a job array: one task per value) and
                    DIR/collect.sbatch (the collection step) instead of training here, and
                    print the sbatch line that chains them
  --dry-run         print the commands (or, with --slurm, the files) and run nothing
  --collect         train nothing: collect and plot the runs already in DIR (same --key and
                    --values as the sweep that made them)
  -h, --help        this text
Exit code: 0 all runs trained; 1 some run failed (all rows are still written); 2 usage.
Environment: NNRUN (default build/nnrun of this checkout), GNUPLOT (default gnuplot).
EOF
}

usage_error() {
  echo "sweep_model_size.sh: $1" >&2
  usage >&2
  exit 2
}

config="" key="" values_arg="" jobs="" out="" title="" slurm=0 dry_run=0 collect_only=0
have_values=0 jobs_given=0
sets=()
while (($# > 0)); do
  opt=$1
  case "$opt" in
    -h | --help) usage; exit 0 ;;
    --slurm) slurm=1; shift; continue ;;
    --dry-run) dry_run=1; shift; continue ;;
    --collect) collect_only=1; shift; continue ;;
    --key=* | --values=* | --jobs=* | --out=* | --set=* | --title=*)
      value=${opt#*=}; opt=${opt%%=*}; shift ;;
    --key | --values | --jobs | --out | --set | --title)
      (($# >= 2)) || usage_error "$opt needs a value"
      value=$2; shift 2 ;;
    --) shift
        for value in "$@"; do
          [[ -z "$config" ]] || usage_error "unexpected argument: $value"
          config=$value
        done
        break ;;
    -*) usage_error "unknown option: $opt" ;;
    *) [[ -z "$config" ]] || usage_error "unexpected argument: $opt"
       config=$opt; shift; continue ;;
  esac
  case "$opt" in
    --key) key=$value ;;
    --values) values_arg=$value; have_values=1 ;;
    --jobs) jobs=$value; jobs_given=1 ;;
    --out) out=$value ;;
    --title) title=$value ;;
    --set) [[ "$value" == ?*=* ]] || usage_error "--set needs KEY=VALUE, got '$value'"
           sets+=("$value") ;;
  esac
done

[[ -n "$config" ]] || usage_error "no CONFIG given"
[[ -f "$config" ]] || usage_error "config not found: $config"
[[ -n "$key" ]] || usage_error "--key KEY is required"
((have_values)) || usage_error "--values V1,V2,... is required"
values=()
if [[ "$values_arg" =~ ^[[:space:]]*$ ]]; then
  usage_error "--values is empty"
fi
IFS=',' read -r -a raw_values <<<"$values_arg,"  # the trailing comma keeps a final empty field
for v in "${raw_values[@]}"; do
  v="${v#"${v%%[![:space:]]*}"}"  # trim
  v="${v%"${v##*[![:space:]]}"}"
  [[ -n "$v" ]] || usage_error "--values has an empty value: '$values_arg'"
  values+=("$v")
done
if ((jobs_given)); then
  [[ "$jobs" =~ ^[1-9][0-9]*$ ]] || usage_error "--jobs needs a positive integer, got '$jobs'"
else
  jobs=1
fi
declare -A seen_values=()
for v in "${values[@]}"; do
  [[ -z "${seen_values[$v]:-}" ]] || usage_error "--values lists '$v' twice"
  seen_values[$v]=1
done

n=${#values[@]}
config_abs=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
config_stem=$(basename "$config"); config_stem=${config_stem%.*}
[[ -n "$out" ]] || out=runs/sweep_$config_stem
[[ "$out" != *[$'\n\r']* ]] || usage_error "--out must not hold line breaks (gnuplot would read the rest as a command)"
out_abs=$(realpath -m -- "$out")
script_abs=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

# Run names sort in sweep order: 00-1, 01-2, ..., with the value made file-name safe.
width=${#n}; ((width >= 2)) || width=2
names=()
for i in "${!values[@]}"; do
  safe=$(printf '%s' "${values[i]}" | tr -c 'A-Za-z0-9._-' '_')
  names+=("$(printf '%0*d-%s' "$width" "$i" "$safe")")
done

cores=$(nproc 2>/dev/null || echo 1)
threads=$((cores / jobs)); ((threads >= 1)) || threads=1

# The training command of run $1 into the array `cmd`. The sweep's own --set comes last, so
# it wins over a --set of the same key; a user's --set threads=... wins over the default.
train_command() {
  local i=$1 t=${2:-$threads} s
  cmd=("$NNRUN" train "$config_abs" --run-dir "$out_abs/runs/${names[i]}" --quiet
       --set "threads=$t")
  for s in "${sets[@]}"; do cmd+=(--set "$s"); done
  cmd+=(--set "$key=${values[i]}")
}

quoted() { local a out_s=""; for a in "$@"; do out_s+=" $(printf '%q' "$a")"; done; echo "${out_s# }"; }

# The --collect command for this sweep into the array `collect_args`.
collect_command() {
  local s
  collect_args=("$script_abs" "$config_abs" --key "$key" --values "$values_arg"
                --out "$out_abs" --collect)
  ((jobs_given)) && collect_args+=(--jobs "$jobs")
  [[ -n "$title" ]] && collect_args+=(--title "$title")
  for s in "${sets[@]}"; do collect_args+=(--set "$s"); done
}

# Every value through `nnrun check` before anything trains: a mistyped key or a bad value is
# a usage error now, not a failed run found hours into the sweep.
check_values() {
  local i a err
  echo "checking $n config$( ((n == 1)) || echo s) ..."
  for i in "${!values[@]}"; do
    train_command "$i"  # the very command each run gets, as `nnrun check` (no --quiet there)
    local check_cmd=("$NNRUN" check)
    for a in "${cmd[@]:2}"; do [[ "$a" == --quiet ]] || check_cmd+=("$a"); done
    if ! err=$("${check_cmd[@]}" 2>&1 >/dev/null); then
      # The same error without the swept value: the sweep-wide --set is at fault, not the value.
      # (Only then: a --set may be valid with the swept values alone, e.g. momentum with sgd.)
      local base_cmd=("${check_cmd[@]:0:${#check_cmd[@]}-2}") base_err
      if ! base_err=$("${base_cmd[@]}" 2>&1 >/dev/null) && [[ "$base_err" == "$err" ]]; then
        echo "sweep_model_size.sh: $err" >&2
      else
        echo "sweep_model_size.sh: $key = ${values[i]}: $err" >&2
      fi
      exit 2
    fi
  done
}

# An earlier sweep in DIR goes into DIR/previous-N/ (as nnrun train does with a run
# directory): its runs are neither lost nor mixed into this sweep's table.
move_earlier_sweep() {
  move_earlier_outputs "$out_abs" sweep results.csv results.md runs logs error_vs_parameters.png \
    error_vs_parameters.svg plot.dat plot.gp sweep.values sweep.sbatch collect.sbatch
}

# DIR/sweep.values names the sweep a folder holds, so that --collect measures only that one.
manifest() { printf 'key=%s\nvalues=%s' "$key" "$(IFS=,; echo "${values[*]}")"; }
write_manifest() { manifest >"$out_abs/sweep.values" || nnrun_die "cannot write $out_abs"; }
check_manifest() {
  [[ -d "$out_abs/runs" ]] || usage_error "--collect: no sweep in $out_abs (no runs/ folder)"
  [[ -f "$out_abs/sweep.values" ]] || return 0  # written by an older version of this script
  [[ "$(<"$out_abs/sweep.values")" == "$(manifest)" ]] ||
    usage_error "--collect: $out_abs holds the sweep $(tr '\n' ' ' <"$out_abs/sweep.values" | sed 's/ $//'); give its --key and --values"
}

# ---------------------------------------------------------------------------------------
# --slurm: write the job-array script and the collection script.

write_slurm() {
  local sweep_file=$1 collect_file=$2 i s
  local array="0-$((n - 1))"
  ((jobs_given)) && array+="%$jobs"
  {
    echo "#!/usr/bin/env bash"
    echo "# nnrun model-size sweep as a Slurm job array: one array task per value of $key."
    echo "# Written by scripts/sweep_model_size.sh; submit it with the collection step after it:"
    echo "#   jid=\$(sbatch --parsable $(printf '%q' "$sweep_file")) && sbatch --dependency=afterok:\${jid%%;*} $(printf '%q' "$collect_file")"
    echo "#SBATCH --job-name=nnrun-sweep-$config_stem"
    echo "#SBATCH --array=$array"
    echo "#SBATCH --cpus-per-task=2"
    echo "#SBATCH --output=$out_abs/logs/slurm-%A_%a.out"
    echo "set -uo pipefail"
    echo "mkdir -p $(printf '%q' "$out_abs/logs")"
    echo "# Each task records nnrun's exit code next to its log and exits 0, so that the"
    echo "# collection step (afterok) still runs and reports a failed run as a row."
    echo "run() {"
    echo "  local name=\$1; shift"
    echo "  \"\$@\" </dev/null >$(printf '%q' "$out_abs/logs")/\$name.log 2>&1"
    echo "  echo \$? >$(printf '%q' "$out_abs/logs")/\$name.status"
    echo "}"
    echo "threads=\${SLURM_CPUS_PER_TASK:-1}"
    echo "case \"\${SLURM_ARRAY_TASK_ID:?not inside a Slurm job array}\" in"
    for i in "${!values[@]}"; do
      # The thread count is the task's CPU allocation, known when the task runs.
      train_command "$i" @THREADS@
      local line
      line=$(quoted "${cmd[@]}")
      line=${line/threads=@THREADS@/threads=\"\$threads\"}
      echo "  $i) run $(printf '%q' "${names[i]}") $line ;;"
    done
    echo "  *) echo \"no run for array task \$SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;"
    echo "esac"
  } >"$sweep_file.tmp"
  local collect_args
  collect_command
  {
    echo "#!/usr/bin/env bash"
    echo "# Collection step of the nnrun sweep in $(basename "$sweep_file"): evaluates every run and"
    echo "# writes results.csv, results.md and the plots. Submit it after the array with"
    echo "#   sbatch --dependency=afterok:JOBID $(printf '%q' "$collect_file")"
    echo "#SBATCH --job-name=nnrun-sweep-$config_stem-collect"
    echo "#SBATCH --cpus-per-task=2"
    echo "#SBATCH --output=$out_abs/logs/slurm-collect-%j.out"
    echo "set -uo pipefail"
    echo "export NNRUN=$(printf '%q' "$NNRUN")"
    echo "exec $(quoted "${collect_args[@]}")"
  } >"$collect_file.tmp"
  mv "$sweep_file.tmp" "$sweep_file"
  mv "$collect_file.tmp" "$collect_file"
}

if ((slurm)); then
  if ((dry_run)); then
    tmp=$(mktemp -d)
    write_slurm "$tmp/sweep.sbatch" "$tmp/collect.sbatch"
    for f in sweep.sbatch collect.sbatch; do
      echo "# ---- $out_abs/$f (not written: --dry-run)"
      sed "s|$tmp/|$out_abs/|g" "$tmp/$f"
    done
    rm -rf "$tmp"
    exit 0
  fi
  # The values are checked here when this machine has the binary (the cluster's may differ).
  if [[ -x "$NNRUN" ]]; then check_values; fi
  move_earlier_sweep
  mkdir -p "$out_abs/logs" || nnrun_die "cannot create $out_abs"
  write_manifest
  write_slurm "$out_abs/sweep.sbatch" "$out_abs/collect.sbatch"
  echo "wrote $out_abs/sweep.sbatch ($n array tasks, $key = ${values[*]})"
  echo "wrote $out_abs/collect.sbatch (results.csv, results.md, plots)"
  echo "submit both, the collection after the whole array:"
  echo "  jid=\$(sbatch --parsable $(printf '%q' "$out_abs/sweep.sbatch")) && sbatch --dependency=afterok:\${jid%%;*} $(printf '%q' "$out_abs/collect.sbatch")"
  exit 0
fi

# ---------------------------------------------------------------------------------------
# --dry-run: the commands, in order.

if ((dry_run)); then
  echo "# $n runs, $jobs at a time, $threads thread(s) each; output in $out_abs"
  if ((!collect_only)); then
    for i in "${!values[@]}"; do
      train_command "$i"
      echo "$(quoted "${cmd[@]}") >$(printf '%q' "$out_abs/logs/${names[i]}.log") 2>&1"
    done
  fi
  echo "# then, for each run:"
  for i in "${!values[@]}"; do
    run=$out_abs/runs/${names[i]}
    # last.ckpt, or best.ckpt when summary.json says the final weights are its epoch's
    for which in best last; do
      for split in train val; do
        echo "$(quoted "$NNRUN" eval "$run/$which.ckpt" --json --split "$split")"
      done
    done
    echo "$(quoted "$NNRUN" inspect "$run/last.ckpt" --json)"
  done
  echo "# then: $out_abs/results.csv, results.md; gnuplot -> error_vs_parameters.png, .svg"
  exit 0
fi

nnrun_require_binary
if ((collect_only)); then
  check_manifest
else
  check_values
  move_earlier_sweep
fi
mkdir -p "$out_abs/logs" "$out_abs/runs" || nnrun_die "cannot create $out_abs"
((collect_only)) || write_manifest

# ---------------------------------------------------------------------------------------
# A pool of background jobs, at most $jobs at a time. Monitor mode gives each job its own
# process group: Ctrl-C reaches this script only, and the trap below stops every job's
# processes with SIGTERM (nnrun then saves last.ckpt and exits 143).

set -m
running=()
stop_jobs() {
  local pid
  for pid in "${running[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  { wait; } 2>/dev/null  # (no "Terminated" job notices)
  echo "sweep_model_size.sh: interrupted; runs so far are in $out_abs" >&2
  local collect_args
  collect_command
  echo "  (tabulate them with: $(quoted "${collect_args[@]}"))" >&2
  exit 130
}
trap stop_jobs INT TERM

# pool_run FUNCTION ARG: starts FUNCTION ARG in the background once a slot is free.
pool_run() {
  while ((${#running[@]} >= jobs)); do
    wait -n 2>/dev/null
    local still=() pid
    for pid in "${running[@]}"; do kill -0 "$pid" 2>/dev/null && still+=("$pid"); done
    running=("${still[@]}")
  done
  "$@" </dev/null &
  running+=("$!")
}
pool_wait() {
  wait
  running=()
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

train_job() {
  local i=$1 started rc
  started=$(now)
  rm -f "$out_abs/runs/${names[i]}"/eval-*.json "$out_abs/runs/${names[i]}/inspect.json"
  train_command "$i"
  "${cmd[@]}" >"$out_abs/logs/${names[i]}.log" 2>&1
  rc=$?
  echo "$rc" >"$out_abs/logs/${names[i]}.status"
  if ((rc == 0)); then
    printf '  done    %s = %s  (%s s)\n' "$key" "${values[i]}" "$(elapsed "$started")"
  else
    printf '  FAILED  %s = %s  exit %d  (%s s; see %s)\n' "$key" "${values[i]}" "$rc" \
      "$(elapsed "$started")" "$out_abs/logs/${names[i]}.log"
  fi
}

# The error of one eval --json output: "error" (classification) or "mse" (regression).
error_of() {
  local e
  e=$(json_get "$1" error)
  [[ -n "$e" ]] || e=$(json_get "$1" mse)
  echo "$e"
}

# Measures run $1 and writes one CSV row to logs/NAME.row (and the kind of error to .kind).
collect_job() {
  local i=$1
  local name=${names[i]}
  local run=$out_abs/runs/$name log=$out_abs/logs/$name.collect.log
  local status="" params="" best_epoch="" epochs_run="" stop_reason="" which split f
  local final_weights="" final_ckpt=last final_note=""
  local -A err=()
  : >"$log"
  [[ -f "$out_abs/logs/$name.status" ]] && status=$(<"$out_abs/logs/$name.status")
  eval_split() {  # eval_split CHECKPOINT_NAME LABEL SPLIT: err[LABEL-SPLIT] from eval --json
    f=$run/eval-$2-$3.json
    if OMP_NUM_THREADS=$threads "$NNRUN" eval "$run/$1.ckpt" --json --split "$3" \
         >"$f" 2>>"$log"; then
      err[$2-$3]=$(error_of "$f")
      json_get "$f" mse | grep -q . && echo mse >"$out_abs/logs/$name.kind"
    fi
  }
  if [[ -f "$run/best.ckpt" ]]; then
    for split in train val; do eval_split best best "$split"; done
  fi
  # The final model is the one the run ended with (summary.json: final.weights). Under
  # early_stopping.restore_best that is the best epoch, which best.ckpt holds when both
  # monitors agree; last.ckpt keeps the last epoch's weights (for --resume).
  [[ -f "$run/summary.json" ]] &&
    final_weights=$(grep -o '"weights": "[^"]*"' "$run/summary.json" | head -n 1 | cut -d'"' -f4)
  if [[ "$final_weights" == "best epoch "* ]]; then
    if [[ -f "$run/eval-best-val.json" &&
          "$(json_get "$run/eval-best-val.json" epoch)" == "${final_weights#best epoch }" ]]; then
      final_ckpt=best
    else
      final_note="; the final model ($final_weights) is in no checkpoint: last.ckpt measured"
    fi
  fi
  if [[ -f "$run/$final_ckpt.ckpt" ]]; then
    for split in train val; do eval_split "$final_ckpt" final "$split"; done
  fi
  for which in last best; do
    [[ -f "$run/$which.ckpt" ]] || continue
    if "$NNRUN" inspect "$run/$which.ckpt" --json >"$run/inspect.json" 2>>"$log"; then
      params=$(json_get "$run/inspect.json" total_parameters)
      break
    fi
  done
  if [[ -f "$run/summary.json" ]]; then
    best_epoch=$(json_get "$run/summary.json" best_epoch)
    epochs_run=$(json_get "$run/summary.json" epochs_run)
    stop_reason=$(json_get "$run/summary.json" stop_reason)
    [[ "$best_epoch" == 0 ]] && best_epoch=""
  fi
  if [[ -z "$status" && -n "$stop_reason" ]]; then
    stop_reason="no exit code recorded: $stop_reason"
  elif [[ -z "$status" ]]; then
    stop_reason="not run (no $out_abs/logs/$name.status)"
  elif [[ "$status" != 0 ]]; then
    local last_line
    last_line=$(grep -v '^[[:space:]]*$' "$out_abs/logs/$name.log" 2>/dev/null | tail -n 1)
    stop_reason="failed (exit $status): ${last_line:-no output}"
  fi
  stop_reason+=$final_note
  {
    csv_quote "${values[i]}"
    printf ',%s,%s,%s,%s,%s,%s,%s,' "$params" "${err[best-train]:-}" "${err[best-val]:-}" \
      "${err[final-train]:-}" "${err[final-val]:-}" "$best_epoch" "$epochs_run"
    csv_quote "$stop_reason"
    echo
  } >"$out_abs/logs/$name.row"
}

if ((!collect_only)); then
  echo "sweep: $n runs of $config, $key = ${values[*]}"
  echo "       $jobs at a time, $threads thread(s) each; output in $out_abs"
  sweep_started=$(now)
  for i in "${!values[@]}"; do
    rm -f "$out_abs/logs/${names[i]}.status"
    pool_run train_job "$i"
  done
  pool_wait
  echo "trained in $(elapsed "$sweep_started") s; evaluating ..."
fi

for i in "${!values[@]}"; do
  rm -f "$out_abs/logs/${names[i]}.row" "$out_abs/logs/${names[i]}.kind"
  pool_run collect_job "$i"
done
pool_wait
trap - INT TERM
set +m

# ---------------------------------------------------------------------------------------
# results.csv, results.md

csv=$out_abs/results.csv
echo "value,parameters,best_train_error,best_val_error,final_train_error,final_val_error,best_epoch,epochs_run,stop_reason" >"$csv.tmp"
kind="error (1 - accuracy)"
failed=0
for i in "${!values[@]}"; do
  cat "$out_abs/logs/${names[i]}.row" >>"$csv.tmp"
  [[ -f "$out_abs/logs/${names[i]}.kind" ]] && kind="MSE"
  [[ "$(cat "$out_abs/logs/${names[i]}.status" 2>/dev/null)" == 0 ]] || failed=$((failed + 1))
done
mv "$csv.tmp" "$csv"

# Rows as tab-separated fields (the CSV with its quoting undone), for the table and plot.
csv_rows() {
  awk 'NR > 1 {
    out = ""; field = ""; quoted = 0
    for (k = 1; k <= length($0); k++) {
      c = substr($0, k, 1)
      if (quoted) {
        if (c == "\"" && substr($0, k + 1, 1) == "\"") { field = field "\""; k++ }
        else if (c == "\"") quoted = 0
        else field = field c
      } else if (c == "\"") quoted = 1
      else if (c == ",") { out = out field "\t"; field = "" }
      else field = field c
    }
    print out field
  }' "$csv"
}

# The best size: the lowest validation error of a final model, among the runs that ended
# normally (a failed or interrupted run's numbers are shown but not chosen).
best_row=$(csv_rows | awk -F'\t' '$6 != "" && $2 != "" && $9 !~ /^(failed|no exit code|not run)/ &&
  (best == "" || $6 + 0 < best + 0) { best = $6; row = $0 } END { print row }')
best_value=$(cut -f1 <<<"$best_row")

md=$out_abs/results.md
{
  echo "# Model-size sweep: \`$key\`"
  echo
  echo "Config \`$config\`, $n values, $(date -u +%Y-%m-%dT%H:%MZ)$( ((${#sets[@]})) && printf ', overrides:' && printf ' `--set %s`' "${sets[@]}")."
  echo "Error: $kind, measured by \`nnrun eval\` (evaluation mode) on the training and validation"
  echo "splits. *best*: \`best.ckpt\` (the epoch with the best \`checkpoint.monitor\`); *final*: the"
  echo "model the run ended with (the restored best epoch under \`early_stopping.restore_best\`,"
  echo "else the last epoch). Gap: final val - final train."
  echo
  echo "| $key | parameters | best train | best val | final train | final val | gap | best epoch | epochs | stop reason |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  csv_rows | awk -F'\t' -v best="$best_value" '
    function num(x) { return x == "" ? "-" : sprintf("%.4f", x) }
    {
      gap = ($5 != "" && $6 != "") ? sprintf("%+.4f", $6 - $5) : "-"
      mark = ($1 == best) ? " **(best)**" : ""
      reason = $9; gsub(/\|/, "\\|", reason)
      printf "| %s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, mark,
        ($2 == "" ? "-" : $2), num($3), num($4), num($5), num($6), gap,
        ($7 == "" ? "-" : $7), ($8 == "" ? "-" : $8), reason
    }'
  echo
  if [[ -n "$best_value" ]]; then
    echo "Best size (lowest final validation error): \`$key=$best_value\`."
  fi
} >"$md"

# ---------------------------------------------------------------------------------------
# Plot: error against parameters, log x.

plot_note="no plot" plot_failed=0
dat=$out_abs/plot.dat
csv_rows | awk -F'\t' '$2 != "" && $6 != "" {
  printf "%s\t%s\t%s\t%s\t%s\t%s\n", $2, ($3 == "" ? "NaN" : $3), ($4 == "" ? "NaN" : $4),
    ($5 == "" ? "NaN" : $5), $6, $1 }' | sort -g -k1,1 >"$dat"
if [[ ! -s "$dat" ]]; then
  plot_note="no plot: no run finished"
elif have_gnuplot "the CSV and Markdown results are written"; then
  best_params=$(cut -f2 <<<"$best_row")
  best_err=$(cut -f6 <<<"$best_row")
  png_terminal=$(gnuplot_png_terminal)
  gp=$out_abs/plot.gp
  [[ -n "$title" ]] || title="Model-size sweep: $key ($config_stem)"
  title=$(gp_text "$title")
  short_key=$(gp_text "${key##*.}")
  best_text=$(gp_text "$best_value")
  ylabel=$(printf '%s' "$kind")
  {
    cat <<EOF
# gnuplot script written by scripts/sweep_model_size.sh; columns of plot.dat:
# parameters, best train, best val, final train, final val error, value
set datafile separator "\t"
set datafile missing "NaN"
set logscale x
set format x "10^{%L}"
set grid
set key below maxcols 2 samplen 3
set title "$title"
set xlabel "parameters (log scale)"
set ylabel "$ylabel"
set yrange [0:*]
set offsets graph 0.02, graph 0.08, graph 0.08, 0
$(printf '$best << EOD\n%s\t%s\nEOD' "$best_params" "$best_err")
plot $(gp_quote "$dat") using 1:5 with linespoints lw 2 pt 7 lc rgb "#d62728" title "validation (final model)", \\
     "" using 1:4 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "training (final model)", \\
     "" using 1:3 with linespoints lw 1 dt 2 pt 6 lc rgb "#ff9896" title "validation (best.ckpt)", \\
     "" using 1:2 with linespoints lw 1 dt 2 pt 6 lc rgb "#aec7e8" title "training (best.ckpt)", \\
     "" using 1:5:6 with labels offset 0,1 font ",9" tc rgb "#555555" notitle, \\
     \$best using 1:2 with points pt 6 ps 3 lw 2 lc rgb "#2ca02c" \\
       title "best size: $short_key = $best_text ($best_params parameters)"
EOF
  } >"$gp"
  if "$GNUPLOT" -e "set terminal $png_terminal; set output $(gp_quote "$out_abs/error_vs_parameters.png")" "$gp" \
       2>"$out_abs/logs/gnuplot.log" &&
     "$GNUPLOT" -e "set terminal svg size 900,600 dynamic enhanced; set output $(gp_quote "$out_abs/error_vs_parameters.svg")" \
       "$gp" 2>>"$out_abs/logs/gnuplot.log"; then
    plot_note="$out_abs/error_vs_parameters.png, .svg"
    printf '\n![error against parameters](error_vs_parameters.png)\n' >>"$md"
  else
    plot_note="gnuplot failed: see $out_abs/logs/gnuplot.log"
    plot_failed=1
  fi
fi

echo
csv_rows | awk -F'\t' -v key="$key" '
  function num(x) { return x == "" ? "-" : sprintf("%.4f", x) }
  BEGIN { printf "%-10s %11s %11s %11s %11s  %s\n", "value", "parameters", "final train",
          "final val", "best val", "stop reason" }
  { printf "%-10s %11s %11s %11s %11s  %s\n", $1, ($2 == "" ? "-" : $2), num($5), num($6),
      num($4), $9 }'
echo
[[ -n "$best_value" ]] && echo "best size (lowest final validation error): $key = $best_value"
echo "results: $csv"
echo "         $md"
echo "plots:   $plot_note"
if ((failed > 0)); then
  echo "$failed of $n runs failed or did not run (their rows say why)" >&2
  exit 1
fi
((plot_failed == 0)) || exit 1
exit 0
