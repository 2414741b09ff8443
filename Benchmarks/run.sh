#!/usr/bin/env bash
# FundSim benchmarks (`make bench`): whole-process times and peak memory, medians of several runs, and the
# write-phase times each program reports for the same per-village detail sheet.
#
#   1. national roster (490,000 villages, 5 years): projection + workbook with per-county and detail sheets
#   2. the same detail sheet written by a small C program calling libxlsxwriter (the floor)
#   3. the same detail sheet written by Python XlsxWriter
#   4. a city scenario (scenarios/enshi.yaml) end to end, and `simulate` with 10,000 draws
#   5. the national roster without the workbook: load + project, beside Python's csv.reader on the same file;
#      10,000 Monte Carlo draws over it; and `fundsim run scenarios/` on one thread and on all cores
#   6. large and hostile scenarios (Benchmarks/hostile.py, issue 19): 12,000 commitments and 38,000 checks,
#      each validated and run (target < 2 s each), an alias bomb refused (target < 2 s), and a roster of
#      5,000,000 rows refused with one error (reading stops at the 2,000,000-row limit)
#
# Tools: /usr/bin/time (GNU time, for peak memory), cc, python3 with XlsxWriter. Set RUNS to change the count,
# SIM_RUNS (default 1) for the national Monte Carlo, FOLDER_RUNS (default 5) for `run scenarios/`.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
CITY_RUNS=${CITY_RUNS:-10}
SIM_RUNS=${SIM_RUNS:-1}
FOLDER_RUNS=${FOLDER_RUNS:-5}
NATIONAL_DRAWS=${NATIONAL_DRAWS:-10000}
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

# One timed run: prints "wall_seconds max_rss_kb cpu_seconds" and appends the program's stdout/stderr to $WORK/last.log.
measure() {
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" >"$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; exit 1; }
  read -r e m u sy < "$WORK/time.txt"
  echo "$e $m $(python3 -c "print('%.2f' % ($u + $sy))")"
}
median() { python3 -c 'import sys,statistics; v=[float(x) for x in sys.argv[1:]]; print("%.3f" % statistics.median(v))' "$@"; }

declare -A WALL RSS WRITE LOAD CPU
run_case() {  # name, then the command; collects wall time, peak memory, the reported write and load+project times
  local name=$1; shift
  local walls=() rsss=() writes=() loads=() cpus=()
  for _ in $(seq "$RUNS"); do
    read -r wall rss cpu < <(measure "$@")
    walls+=("$wall"); rsss+=("$rss"); cpus+=("$cpu")
    w=$(grep -Eo 'write_seconds [0-9.]+|write [0-9.]+ s' "$WORK/last.log" | grep -Eo '[0-9.]+' | head -1 || true)
    [ -n "$w" ] && writes+=("$w")
    l=$(grep -Eo 'load\+project [0-9.]+ s' "$WORK/last.log" | grep -Eo '[0-9.]+' | head -1 || true)
    [ -n "$l" ] && loads+=("$l")
  done
  WALL[$name]=$(median "${walls[@]}")
  RSS[$name]=$(median "${rsss[@]}")
  CPU[$name]=$(median "${cpus[@]}")
  WRITE[$name]=$([ ${#writes[@]} -gt 0 ] && median "${writes[@]}" || echo "-")
  LOAD[$name]=$([ ${#loads[@]} -gt 0 ] && median "${loads[@]}" || echo "-")
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
echo "national roster without the workbook: load + project…"
run_case load "$BIN" run Benchmarks/national.yaml --timings --force -q --format csv -o "$WORK/out"
echo "Python csv.reader on the same file (rows only; and rows into columns with float())…"
RUNS=$RUNS_SAVED
PY_BARE=(); PY_COLUMNS=()
for _ in $(seq "$RUNS"); do
  read -r bare columns < <(python3 - "$WORK/national.csv" <<'PY'
import csv, sys, time
path = sys.argv[1]
t = time.perf_counter()
with open(path, newline="", encoding="utf-8") as f:
    rows = sum(1 for _ in csv.reader(f))
bare = time.perf_counter() - t
t = time.perf_counter()
with open(path, newline="", encoding="utf-8") as f:
    r = csv.reader(f)
    header = next(r)
    text = [[] for _ in range(4)]
    numbers = [[] for _ in header[4:]]
    for row in r:
        for k in range(4):
            text[k].append(row[k])
        for k, x in enumerate(row[4:]):
            numbers[k].append(float(x) if x else 0.0)
columns = time.perf_counter() - t
print("%.3f %.3f" % (bare, columns))
PY
)
  PY_BARE+=("$bare"); PY_COLUMNS+=("$columns")
done
WALL[pybare]=$(median "${PY_BARE[@]}"); WALL[pycolumns]=$(median "${PY_COLUMNS[@]}")
echo "simulate $NATIONAL_DRAWS draws over the national roster (both cores), and 200 draws on 1 and 2 threads compared…"
RUNS=$SIM_RUNS
run_case national_sim "$BIN" simulate Benchmarks/national-uncertain.yaml --draws "$NATIONAL_DRAWS" --seed 1 --no-workbook
"$BIN" simulate Benchmarks/national-uncertain.yaml --draws 200 --seed 7 --no-workbook --threads 1 > "$WORK/sim1.txt"
"$BIN" simulate Benchmarks/national-uncertain.yaml --draws 200 --seed 7 --no-workbook --threads 2 > "$WORK/sim2.txt"
SIM_SAME=$(cmp -s "$WORK/sim1.txt" "$WORK/sim2.txt" && echo "identical" || echo "DIFFERENT")
echo "fundsim run scenarios/ with --jobs 1 and --jobs 2 ($FOLDER_RUNS runs each)…"
RUNS=$FOLDER_RUNS
rm -rf "$WORK/jobs1" "$WORK/jobs2"; mkdir -p "$WORK/jobs1" "$WORK/jobs2"
run_case jobs1 "$BIN" run scenarios --force --jobs 1 -o "$WORK/jobs1"
cp "$WORK/last.log" "$WORK/jobs1.log"
run_case jobs2 "$BIN" run scenarios --force --jobs 2 -o "$WORK/jobs2"
cp "$WORK/last.log" "$WORK/jobs2.log"
sed -i "s#$WORK/jobs[12]#OUT#g" "$WORK/jobs1.log" "$WORK/jobs2.log"
JOBS_SAME=$(cmp -s "$WORK/jobs1.log" "$WORK/jobs2.log" && diff -rq "$WORK/jobs1" "$WORK/jobs2" >/dev/null && echo "identical" || echo "DIFFERENT")
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
  read -r wall rss < <(tail -n 1 "$WORK/time.txt"); alias_walls+=("$wall"); RSS[aliases]=$rss
done
WALL[aliases]=$(median "${alias_walls[@]}"); WRITE[aliases]="-"
# A roster of 5,000,000 rows must be refused with one error (exit 1), reading stopped at the 2,000,000-row limit.
rows_walls=(); rows_cpus=()
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$BIN" validate "$WORK/hostile/rows.yaml" >"$WORK/last.log" 2>&1 && { echo "bench: the 5M-row roster was accepted" >&2; exit 1; }
  [ "$(grep -c 'error:' "$WORK/last.log")" = 1 ] && grep -q "over 2000000 rows" "$WORK/last.log" || { cat "$WORK/last.log" >&2; exit 1; }
  read -r wall rss u sy < <(tail -n 1 "$WORK/time.txt"); rows_walls+=("$wall"); rows_cpus+=("$(python3 -c "print($u + $sy)")"); RSS[rows]=$rss
done
WALL[rows]=$(median "${rows_walls[@]}"); CPU[rows]=$(median "${rows_cpus[@]}"); WRITE[rows]="-"

ratio() { python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print("%.2f" % (a/b))' "$1" "$2"; }
echo
echo "FundSim benchmarks — medians; wall and peak memory of the whole process; write = the program's own write phase"
printf "%-52s %10s %12s %10s\n" "case" "wall (s)" "peak (MB)" "write (s)"
for k in fundsim c python city simulate commitments_validate commitments_run checks_validate checks_run aliases rows; do
  label=$k
  case $k in
    fundsim) label="1 national roster: fundsim run --detail";;
    c) label="2 detail sheet: C + libxlsxwriter";;
    python) label="3 detail sheet: Python XlsxWriter";;
    city) label="4 city scenario: fundsim run scenarios/enshi.yaml";;
    simulate) label="4 simulate 10,000 draws (enshi-uncertain)";;
    commitments_validate) label="6 validate 12,000 commitments";;
    commitments_run) label="6 run 12,000 commitments";;
    checks_validate) label="6 validate 38,000 checks";;
    checks_run) label="6 run 38,000 checks";;
    aliases) label="6 alias bomb refused (1M chars × 20,000)";;
    rows) label="6 roster of 5,000,000 rows refused (one error)";;
  esac
  printf "%-52s %10s %12s %10s\n" "$label" "${WALL[$k]}" "$(python3 -c "print('%.0f' % (${RSS[$k]}/1024))")" "${WRITE[$k]}"
done
echo
echo "FundSim write phase / C write phase:      $(ratio "${WRITE[fundsim]}" "${WRITE[c]}")  (target ≤ 1.25; FundSim's phase also writes the other sheets)"
echo "Python write phase / FundSim write phase: $(ratio "${WRITE[python]}" "${WRITE[fundsim]}")  (target ≥ 4)"
echo "National run peak memory: $(python3 -c "print('%.0f' % (${RSS[fundsim]}/1024))") MB (target < 300 MB)"
echo "City scenario: ${WALL[city]} s (target < 0.3 s); 10,000 draws: ${WALL[simulate]} s (target < 2 s)"
echo
echo "National roster at interactive speed (issue 18) — medians"
printf "%-64s %10s %10s %12s\n" "case" "time (s)" "CPU (s)" "peak (MB)"
printf "%-64s %10s %10s %12s\n" "5 load + project, 490,000 villages (fundsim's own timer)" "${LOAD[load]}" "${CPU[load]}*" "$(python3 -c "print('%.0f' % (${RSS[load]}/1024))")"
printf "%-64s %10s %10s %12s\n" "5 Python csv.reader, rows only" "${WALL[pybare]}" "-" "-"
printf "%-64s %10s %10s %12s\n" "5 Python csv.reader, rows into columns with float()" "${WALL[pycolumns]}" "-" "-"
printf "%-64s %10s %10s %12s\n" "5 simulate $NATIONAL_DRAWS draws over the national roster" "${WALL[national_sim]}" "${CPU[national_sim]}" "$(python3 -c "print('%.0f' % (${RSS[national_sim]}/1024))")"
printf "%-64s %10s %10s %12s\n" "5 fundsim run scenarios/ --jobs 1" "${WALL[jobs1]}" "${CPU[jobs1]}" "$(python3 -c "print('%.0f' % (${RSS[jobs1]}/1024))")"
printf "%-64s %10s %10s %12s\n" "5 fundsim run scenarios/ --jobs 2" "${WALL[jobs2]}" "${CPU[jobs2]}" "$(python3 -c "print('%.0f' % (${RSS[jobs2]}/1024))")"
echo
echo "load + project / Python csv.reader rows only:      $(ratio "${LOAD[load]}" "${WALL[pybare]}")  (target ≤ 0.33; and load + project ≤ 0.6 s: ${LOAD[load]} s)"
echo "load + project / Python csv.reader into columns:   $(ratio "${LOAD[load]}" "${WALL[pycolumns]}")"
echo "national draws: ${WALL[national_sim]} s for $NATIONAL_DRAWS (target ≤ 60 s); 200 draws on 1 and 2 threads: $SIM_SAME"
echo "run scenarios/: --jobs 1 / --jobs 2 = $(ratio "${WALL[jobs1]}" "${WALL[jobs2]}") (target ≥ 1.7); output and files: $JOBS_SAME"
echo "detail sheet: FundSim write / C write = $(ratio "${WRITE[fundsim]}" "${WRITE[c]}") (target ≤ 1.05)"
echo "(* CPU of the whole process, start and CSV output included; the other CPU figures are whole processes too)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (figures from a busy machine are not the machine's best)"
echo
echo "Large scenarios: 12,000 commitments ${WALL[commitments_validate]} s / ${WALL[commitments_run]} s, 38,000 checks ${WALL[checks_validate]} s / ${WALL[checks_run]} s (validate / run; target < 2 s each); alias bomb refused in ${WALL[aliases]} s"
echo "CPU (s): commitments ${CPU[commitments_validate]} / ${CPU[commitments_run]}, checks ${CPU[checks_validate]} / ${CPU[checks_run]} (validate / run)"
echo "Roster of 5,000,000 rows refused in ${WALL[rows]} s wall, ${CPU[rows]} s CPU, peak $(python3 -c "print('%.0f' % (${RSS[rows]}/1024))") MB (one error; reading stops at the limit)"
