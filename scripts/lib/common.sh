# shellcheck shell=bash
# Shared helpers for nnrun's bash scripts (sourced, not run).
#   NNRUN       the nnrun binary (default: build/nnrun of this checkout)
#   GNUPLOT     the gnuplot binary (default: gnuplot on PATH)

NNRUN_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NNRUN=${NNRUN:-$NNRUN_REPO_ROOT/build/nnrun}
GNUPLOT=${GNUPLOT:-gnuplot}

nnrun_die() {  # message [exit code]
  echo "${0##*/}: $1" >&2
  exit "${2:-1}"
}

# Stops with a hint when the nnrun binary is not built.
nnrun_require_binary() {
  [[ -x "$NNRUN" ]] && return 0
  nnrun_die "no nnrun binary at $NNRUN; build it first:
  cmake -S $NNRUN_REPO_ROOT -B $NNRUN_REPO_ROOT/build -DCMAKE_BUILD_TYPE=Release && cmake --build $NNRUN_REPO_ROOT/build -j
or point NNRUN at one" 1
}

# move_earlier_outputs DIR WHAT ITEM...: the ITEMs of an earlier run of a script in DIR go
# into DIR/previous-N/ (as nnrun train does with a run directory), so that they are neither
# lost nor mixed with this run's. WHAT names them in the message ("sweep", "demo").
move_earlier_outputs() {
  local dir=$1 what=$2 items=() item k=1
  shift 2
  for item in "$@"; do
    [[ -e "$dir/$item" ]] && items+=("$item")
  done
  ((${#items[@]})) || return 0
  while [[ -e "$dir/previous-$k" ]]; do k=$((k + 1)); done
  mkdir -p "$dir/previous-$k" || nnrun_die "cannot create $dir/previous-$k"
  for item in "${items[@]}"; do
    mv -- "$dir/$item" "$dir/previous-$k/" || nnrun_die "cannot move $dir/$item"
  done
  echo "moved the earlier $what in $dir to previous-$k/"
}

# json_get FILE KEY: the value of a top-level key of nnrun's JSON output (eval --json,
# inspect --json, summary.json), which prints one top-level key per line indented by two
# spaces. Strings come back without quotes (\" and \\ unescaped); null and absent keys
# come back empty. Nested keys (deeper indentation) are never matched.
json_get() {
  awk -v key="$2" '
    index($0, "  \"" key "\": ") == 1 {
      v = substr($0, length(key) + 7)
      sub(/,[ \t\r]*$/, "", v)
      if (v ~ /^".*"$/) {
        v = substr(v, 2, length(v) - 2)
        gsub(/\\"/, "\"", v); gsub(/\\\\/, "\\", v)
      }
      if (v == "null") v = ""
      print v
      exit
    }' "$1" 2>/dev/null
}

# csv_quote TEXT: one CSV field, quoted when it holds a comma, a quote or a line break.
csv_quote() {
  local s=$1
  if [[ "$s" == *[,\"$'\n']* ]]; then
    s=${s//\"/\"\"}
    printf '"%s"' "$s"
  else
    printf '%s' "$s"
  fi
}

# gp_quote TEXT: TEXT as a gnuplot single-quoted string (no escapes there but '' for '), so
# that any path can be named in a gnuplot command or script.
gp_quote() {
  local s=${1//\'/\'\'}
  s=${s//$'\n'/?}  # a line break would end the string and start a command line
  s=${s//$'\r'/?}
  printf "'%s'" "$s"
}

# gp_text TEXT: TEXT for a gnuplot double-quoted string in enhanced mode (titles, keys):
# backslash, quote and the enhanced-text specials escaped, backquotes (which gnuplot would
# run as a shell command inside double quotes) replaced by plain quotes, and line breaks
# (which would end the command, the next line then read as one: `!cmd` runs cmd) by spaces.
gp_text() {
  printf '%s' "$1" | tr '\n\r' '  ' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e "s/\`/'/g" \
    -e 's/_/\\\\_/g' -e 's/[{}^@&~]/\\\\&/g'
}

# have_gnuplot [NOTE]: true when gnuplot runs; else prints how to install it and is false.
have_gnuplot() {  # [NOTE]: what is still written without plots, for the message
  if command -v "$GNUPLOT" >/dev/null 2>&1; then return 0; fi
  echo "${0##*/}: gnuplot not found: no plots${1:+ ($1)}." >&2
  echo "  Install it (Debian):  sudo apt-get install -y --no-install-recommends gnuplot-nox" >&2
  return 1
}

# gnuplot_png_terminal: pngcairo where this gnuplot has it (antialiased), else png (libgd).
gnuplot_png_terminal() {
  if "$GNUPLOT" -e 'set terminal pngcairo' >/dev/null 2>&1; then
    echo "pngcairo size 900,600 font 'Sans,11'"
  else
    echo "png size 900,600"
  fi
}
