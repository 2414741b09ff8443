#!/usr/bin/env bash
# FundSim benchmarks (`make bench`): whole-process times and peak memory, medians of several runs, and the
# write-phase times each program reports for the same per-village detail sheet.
#
#   1. national roster (490,000 villages, 5 years): projection + workbook with per-county and detail sheets
#   2. the same detail sheet written by a small C program calling libxlsxwriter (the floor)
#   3. the same detail sheet written by Python XlsxWriter
#   4. a city scenario (scenarios/enshi.yaml) end to end, and `simulate` with 10,000 draws
#   5. large and hostile scenarios (Benchmarks/hostile.py, issue 19): 12,000 commitments and 38,000 checks,
#      each validated and run (target < 2 s each), and an alias bomb refused (target < 2 s)
#
# Tools: /usr/bin/time (GNU time, for peak memory), cc, python3 with XlsxWriter. Set RUNS to change the count.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
CITY_RUNS=${CITY_RUNS:-10}
VILLAGES=${VILLAGES:-490000}
BIN=.build/release/fundsim
WORK=Benchmarks/work
mkdir -p "$WORK/out" "$WORK/c" "$WORK/py"

command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time: apt-get install time" >&2; exit 1; }
python3 -c 'import xlsxwriter' 2>/dev/null || python3 -m pip install --quiet XlsxWriter 2>/dev/null \
  || python3 -m pip install --quiet --break-system-packages XlsxWriter
cc -O2 -o "$WORK/detail_sheet" Benchmarks/c/detail_sheet.c $(pkg-config --cflags --libs xlsxwriter)

if [ ! -s "$WORK/national.csv" ] || [ "$(head -c 0 "$WORK/national.csv"; wc -l < "$WORK/national.csv")" -ne $((VILLAGES + 1)) ]; then
  echo "generating a roster of $VILLAGES villages…"
  "$BIN" roster synth --villages "$VILLAGES" --communities 0 --seed 1 --force -o "$WORK/national.csv"
fi

# One timed run: prints "wall_seconds max_rss_kb" and appends the program's stdout/stderr to $WORK/last.log.
measure() {
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >"$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; exit 1; }
  cat "$WORK/time.txt"
}
median() { python3 -c 'import sys,statistics; v=[float(x) for x in sys.argv[1:]]; print("%.3f" % statistics.median(v))' "$@"; }

declare -A WALL RSS WRITE
run_case() {  # name, then the command; collects wall time, peak memory and the reported write time
  local name=$1; shift
  local walls=() rsss=() writes=()
  for _ in $(seq "$RUNS"); do
    read -r wall rss < <(measure "$@")
    walls+=("$wall"); rsss+=("$rss")
    w=$(grep -Eo 'write_seconds [0-9.]+|write [0-9.]+ s' "$WORK/last.log" | grep -Eo '[0-9.]+' | head -1 || true)
    [ -n "$w" ] && writes+=("$w")
  done
  WALL[$name]=$(median "${walls[@]}")
  RSS[$name]=$(median "${rsss[@]}")
  WRITE[$name]=$([ ${#writes[@]} -gt 0 ] && median "${writes[@]}" || echo "-")
}

echo "dumping the detail grid for the C and Python writers (not timed)…"
"$BIN" run Benchmarks/national.yaml --force -q -o "$WORK/out" --detail-csv "$WORK/grid.csv"
echo "national roster: FundSim run (projection + workbook with county and detail sheets)…"
run_case fundsim "$BIN" run Benchmarks/national.yaml --detail --timings --force -q -o "$WORK/out"
grep timing "$WORK/last.log" >&2 || true
echo "the same detail sheet from C (libxlsxwriter)…"
run_case c "$WORK/detail_sheet" "$WORK/grid.csv" "$WORK/c/detail.xlsx"
echo "the same detail sheet from Python XlsxWriter…"
run_case python python3 Benchmarks/detail_sheet.py "$WORK/grid.csv" "$WORK/py/detail.xlsx"
RUNS_SAVED=$RUNS; RUNS=$CITY_RUNS
echo "city scenario end to end ($CITY_RUNS runs)…"
run_case city "$BIN" run scenarios/enshi.yaml --force -q -o "$WORK/out"
echo "simulate 10,000 draws…"
run_case simulate "$BIN" simulate scenarios/variants/enshi-uncertain.yaml --draws 10000 --seed 1 --no-workbook
RUNS=$RUNS_SAVED
echo "large and hostile scenarios (validate and run)…"
python3 Benchmarks/hostile.py "$WORK/hostile"
run_case commitments_validate "$BIN" validate "$WORK/hostile/commitments.yaml"
run_case commitments_run "$BIN" run "$WORK/hostile/commitments.yaml" --force -q -o "$WORK/out"
run_case checks_validate "$BIN" validate "$WORK/hostile/checks.yaml"
run_case checks_run "$BIN" run "$WORK/hostile/checks.yaml" --force -q -o "$WORK/out"
# The alias bomb must be refused (exit 1), quickly: `measure` would stop on the failure, so time it here.
alias_walls=()
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$BIN" validate "$WORK/hostile/aliases.yaml" >"$WORK/last.log" 2>&1 && { echo "bench: the alias bomb was accepted" >&2; exit 1; }
  grep -q "aliases are expanded" "$WORK/last.log" || { cat "$WORK/last.log" >&2; exit 1; }
  read -r wall rss < "$WORK/time.txt"; alias_walls+=("$wall"); RSS[aliases]=$rss
done
WALL[aliases]=$(median "${alias_walls[@]}"); WRITE[aliases]="-"

ratio() { python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print("%.2f" % (a/b))' "$1" "$2"; }
echo
echo "FundSim benchmarks — medians; wall and peak memory of the whole process; write = the program's own write phase"
printf "%-52s %10s %12s %10s\n" "case" "wall (s)" "peak (MB)" "write (s)"
for k in fundsim c python city simulate commitments_validate commitments_run checks_validate checks_run aliases; do
  label=$k
  case $k in
    fundsim) label="1 national roster: fundsim run --detail";;
    c) label="2 detail sheet: C + libxlsxwriter";;
    python) label="3 detail sheet: Python XlsxWriter";;
    city) label="4 city scenario: fundsim run scenarios/enshi.yaml";;
    simulate) label="4 simulate 10,000 draws (enshi-uncertain)";;
    commitments_validate) label="5 validate 12,000 commitments";;
    commitments_run) label="5 run 12,000 commitments";;
    checks_validate) label="5 validate 38,000 checks";;
    checks_run) label="5 run 38,000 checks";;
    aliases) label="5 alias bomb refused (1M chars × 20,000)";;
  esac
  printf "%-52s %10s %12s %10s\n" "$label" "${WALL[$k]}" "$(python3 -c "print('%.0f' % (${RSS[$k]}/1024))")" "${WRITE[$k]}"
done
echo
echo "FundSim write phase / C write phase:      $(ratio "${WRITE[fundsim]}" "${WRITE[c]}")  (target ≤ 1.25; FundSim's phase also writes the other sheets)"
echo "Python write phase / FundSim write phase: $(ratio "${WRITE[python]}" "${WRITE[fundsim]}")  (target ≥ 4)"
echo "National run peak memory: $(python3 -c "print('%.0f' % (${RSS[fundsim]}/1024))") MB (target < 300 MB)"
echo "City scenario: ${WALL[city]} s (target < 0.3 s); 10,000 draws: ${WALL[simulate]} s (target < 2 s)"
echo "Large scenarios: 12,000 commitments ${WALL[commitments_validate]} s / ${WALL[commitments_run]} s, 38,000 checks ${WALL[checks_validate]} s / ${WALL[checks_run]} s (validate / run; target < 2 s each); alias bomb refused in ${WALL[aliases]} s"
