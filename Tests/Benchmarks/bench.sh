#!/usr/bin/env bash
# cairn vs DVC, side by side on the same generated data in one run, with reference floors timed alongside.
# Prints a Markdown table (time, peak RSS, store size per operation and tool, cairn/DVC ratio, issue 2's targets)
# and writes it to bench-work/results.md. Not part of `swift test`. See docs/performance.md.
#
#   bash Tests/Benchmarks/bench.sh
#
# Environment (all optional):
#   BENCH_DIR       work directory; unset and root: a journaled ext4 is mounted (../shared/bench/journaled_fs.sh)
#                   and used; unset otherwise: <repo>/bench-work
#   BENCH_CSV_MIB   size of big.csv in MiB (default 1024)      BENCH_NFILES  number of small files (default 100000)
#   BENCH_REPEAT    runs of the whole sequence; times are medians (default 1)
#   BENCH_TOOLS     "cairn dvc" (default), or one of them (e.g. "dvc" while cairn does not work yet)
#   BENCH_CAIRN     a cairn binary to measure instead of building <repo>/.build/release/cairn
#   BENCH_TIMEOUT   seconds after which one command is killed and counted as failed (default 1800)
#   BENCH_NOTE      a line for the report header (e.g. "machine shared with other builds")
#   BENCH_KEEP=1    keep the per-tool repositories afterwards (they hold several GB)
#   BENCH_CAIRN_TIMING=0   do not set CAIRN_TIMING=1 (cairn's per-phase timings on stderr, shown in the report)
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1   # keep the helpers' __pycache__ out of the source tree

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED_BENCH="$REPO/../shared/bench"
CSV_MIB="${BENCH_CSV_MIB:-1024}"
NFILES="${BENCH_NFILES:-100000}"
REPEAT="${BENCH_REPEAT:-1}"
TOOLS="${BENCH_TOOLS:-cairn dvc}"
TIMEOUT="${BENCH_TIMEOUT:-1800}"

step() { printf '\n==> [%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { echo "bench.sh: error: $*" >&2; exit 1; }
warn() { echo "bench.sh: warning: $*" >&2; }

# --- prerequisites ---------------------------------------------------------------------------------------------------
[ -f "$SHARED_BENCH/gen_data.py" ] || die "$SHARED_BENCH/gen_data.py: not found (the benchmark data generator)"
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
if ! command -v zstd >/dev/null 2>&1; then   # the zstd floor needs the CLI, not only libzstd
    [ "$(id -u)" -eq 0 ] || die "zstd: command not found (apt-get install zstd)"
    step "installing zstd"
    DEBIAN_FRONTEND=noninteractive apt-get -q update </dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -q install -y zstd </dev/null
fi
for tool in python3 git du find cmp diff sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool: command not found"
done

# --- 1. where to work ------------------------------------------------------------------------------------------------
if [ -n "${BENCH_DIR:-}" ]; then
    WORK="$BENCH_DIR"
elif [ "$(id -u)" -eq 0 ] && [ -f "$SHARED_BENCH/journaled_fs.sh" ]; then
    step "mounting a journaled ext4 (the root ext4 here has no journal; see journaled_fs.sh)"
    MOUNTPOINT="${BENCH_MOUNT:-/tmp/benchfs}"
    if bash "$SHARED_BENCH/journaled_fs.sh" "$MOUNTPOINT"; then
        WORK="$MOUNTPOINT/cairn-bench"
    else
        warn "could not mount a journaled filesystem; working in $REPO/bench-work instead"
        WORK="$REPO/bench-work"
    fi
else
    WORK="$REPO/bench-work"
fi
mkdir -p "$WORK" "$REPO/bench-work"
WORK="$(cd "$WORK" && pwd)"
DATA="$WORK/data-${CSV_MIB}mib-${NFILES}files"   # one directory per size: quick and full runs do not evict each other
LOGS="$WORK/logs"
RESULTS="$WORK/results.jsonl"
rm -rf "$LOGS" "$RESULTS"
mkdir -p "$LOGS"
echo "working in $WORK"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- 2. a virtualenv with numpy (for gen_data.py) and DVC -----------------------------------------------------------
VENV="$WORK/venv"
PY="$VENV/bin/python"
want=(numpy)
[[ " $TOOLS " != *" dvc "* ]] || want+=('dvc>=3,<4')
if [ ! -x "$PY" ] || ! "$PY" -c 'import numpy' 2>/dev/null \
        || { [[ " $TOOLS " == *" dvc "* ]] && [ ! -x "$VENV/bin/dvc" ]; }; then
    step "installing ${want[*]} into $VENV (once)"
    [ -x "$PY" ] || python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    "$VENV/bin/pip" install -q "${want[@]}"
fi
DVC=""
if [[ " $TOOLS " == *" dvc "* ]]; then
    DVC="$VENV/bin/dvc"
    export DVC_NO_ANALYTICS=1
    echo "dvc $("$DVC" --version)"
fi

# --- 3. data ---------------------------------------------------------------------------------------------------------
step "benchmark data: big.csv ${CSV_MIB} MiB, big_v3.csv, many/ with $NFILES files"
GEN="$SHARED_BENCH/gen_data.py"
PARAMS="csv_mib=$CSV_MIB nfiles=$NFILES only=csv,v3,many gen_data=$(sha256sum "$GEN" | cut -c1-16)"
PARAMS="$PARAMS numpy=$("$PY" -c 'import numpy; print(numpy.__version__.split(".")[0])')"
if ! "$PY" "$HERE/data_ready.py" "$DATA" "$PARAMS"; then
    rm -rf "$DATA"
    "$PY" "$GEN" "$DATA" --only csv,v3,many --csv-mib "$CSV_MIB" --nfiles "$NFILES"
    echo "$PARAMS" > "$DATA/PARAMS"
fi
CSV_BYTES="$(stat -c %s "$DATA/big.csv")"
V3_BYTES="$(stat -c %s "$DATA/big_v3.csv")"
MANY_BYTES="$(du -sb "$DATA/many" | cut -f1)"

# --- 4. cairn, release build -----------------------------------------------------------------------------------------
CAIRN=""
if [[ " $TOOLS " == *" cairn "* ]] && [ -n "${BENCH_CAIRN:-}" ]; then
    [ -x "$BENCH_CAIRN" ] || die "$BENCH_CAIRN: not an executable (BENCH_CAIRN)"
    CAIRN="$(cd "$(dirname "$BENCH_CAIRN")" && pwd)/$(basename "$BENCH_CAIRN")"
elif [[ " $TOOLS " == *" cairn "* ]]; then
    step "building cairn (swift build -c release)"
    if (cd "$REPO" && swift build -c release 2>&1 | tail -n 5; exit "${PIPESTATUS[0]}") \
        && [ -x "$REPO/.build/release/cairn" ]; then
        CAIRN="$REPO/.build/release/cairn"
        echo "$("$CAIRN" --version 2>&1 || echo 'cairn (no --version)')"
    else
        warn "cairn did not build; measuring DVC and the floors only"
        TOOLS="${TOOLS//cairn/}"
    fi
fi

# --- 5. operations ---------------------------------------------------------------------------------------------------
measure() {  # measure TOOL OP REP LOG CWD -- COMMAND...
    local tool="$1" op="$2" rep="$3" log="$4" cwd="$5"; shift 6
    "$PY" "$HERE/measure.py" --out "$RESULTS" --tool "$tool" --op "$op" --rep "$rep" --log "$log" \
        --cwd "$cwd" --timeout "$TIMEOUT" -- "$@" || true   # a failure is recorded and reported, not fatal
}
note() {  # note TOOL OP REP KEY=NUMBER|true|false...: facts measured outside measure.py (sizes, verification)
    local tool="$1" op="$2" rep="$3" fields=""; shift 3
    for pair in "$@"; do fields="$fields, \"${pair%%=*}\": ${pair#*=}"; done
    printf '{"tool": "%s", "op": "%s", "rep": %s%s}\n' "$tool" "$op" "$rep" "$fields" >> "$RESULTS"
}
store_bytes() { if [ -d "$1" ]; then du -sb "$1" | cut -f1; else echo 0; fi; }

run_floors() {  # the cost of the essential work, for comparison: compressing the CSV once, stat-ing 100k files
    local rep="$1"
    step "floors (rep $rep)"
    measure floor zstd "$rep" "$LOGS/floor-rep$rep.log" "$DATA" -- zstd -1 -T2 big.csv -o /dev/null
    measure floor find "$rep" "$LOGS/floor-rep$rep.log" "$DATA" -- \
        bash -c "find many -type f -printf '%s %T@\n' > /dev/null"
}

run_tool() {  # the whole sequence for one tool in a fresh Git repository
    local tool="$1" rep="$2" repo="$WORK/run/$1" log="$LOGS/$1-rep$2.log" store before after
    local -a cmd
    step "$tool (rep $rep) in $repo"
    rm -rf "$repo"; mkdir -p "$repo"; cd "$repo"
    git init -q .
    if [ "$tool" = cairn ]; then
        cmd=("$CAIRN"); store="$repo/.cairn/cache"
        # A few lines on stderr per command; they say where cairn's time goes without a profiler.
        [ "${BENCH_CAIRN_TIMING:-1}" = 0 ] || cmd=(env CAIRN_TIMING=1 "$CAIRN")
        "$CAIRN" init >> "$log" 2>&1 || { warn "cairn init failed (see $log)"; note cairn init "$rep" rc=1; return; }
    else
        cmd=("$DVC"); store="$repo/.dvc/cache"
        { "$DVC" init -q && "$DVC" config core.analytics false && "$DVC" config core.check_update false; } \
            >> "$log" 2>&1 || { warn "dvc init failed (see $log)"; note dvc init "$rep" rc=1; return; }
    fi

    cp "$DATA/big.csv" big.csv
    measure "$tool" add_csv "$rep" "$log" "$repo" -- "${cmd[@]}" add big.csv
    before="$(store_bytes "$store")"
    note "$tool" add_csv "$rep" store_bytes="$before" file_bytes="$CSV_BYTES"

    cp "$DATA/big_v3.csv" big.csv   # copy over the tracked file, as a user updating the dataset would
    measure "$tool" readd_v3 "$rep" "$log" "$repo" -- "${cmd[@]}" add big.csv
    after="$(store_bytes "$store")"
    note "$tool" readd_v3 "$rep" store_bytes="$after" growth_bytes="$((after - before))" file_bytes="$V3_BYTES"

    cp -r "$DATA/many" many
    measure "$tool" add_many "$rep" "$log" "$repo" -- "${cmd[@]}" add many
    before="$after"; after="$(store_bytes "$store")"
    note "$tool" add_many "$rep" store_bytes="$after" growth_bytes="$((after - before))" \
        file_bytes="$MANY_BYTES" file_count="$NFILES"

    measure "$tool" status "$rep" "$log" "$repo" -- "${cmd[@]}" status

    rm -rf many big.csv
    measure "$tool" checkout "$rep" "$log" "$repo" -- "${cmd[@]}" checkout
    local verified=false   # a fast checkout that restores the wrong bytes must not look good
    if cmp -s big.csv "$DATA/big_v3.csv" && diff -rq many "$DATA/many" >> "$log" 2>&1; then verified=true; fi
    note "$tool" checkout "$rep" verified="$verified"
    [ "$verified" = true ] || warn "$tool checkout did not restore the data exactly (see $log)"

    cd "$WORK"
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$repo"
}

read -r -a tool_list <<< "$TOOLS"
for ((rep = 1; rep <= REPEAT; rep++)); do
    run_floors "$rep"
    order=("${tool_list[@]}")
    if ((rep % 2 == 0)) && [ "${#order[@]}" -eq 2 ]; then order=("${order[1]}" "${order[0]}"); fi  # fair to both
    for tool in "${order[@]}"; do run_tool "$tool" "$rep"; done
done

# --- 6. report -------------------------------------------------------------------------------------------------------
step "report"
cairn_version="commit $(git -C "$REPO" rev-parse --short HEAD)"
git -C "$REPO" diff --quiet HEAD -- Sources || cairn_version="$cairn_version + uncommitted changes in Sources/"
[ -z "${BENCH_CAIRN:-}" ] || cairn_version="$BENCH_CAIRN"
info=(--info "cairn=$(if [ -n "$CAIRN" ]; then echo "$cairn_version, release build"; else echo "not run"; fi)"
      --info "DVC=$(if [ -n "$DVC" ]; then echo "$("$DVC" --version), default cache (copy link type), analytics and \
update check off"; else echo "not run"; fi)"
      --info "data=big.csv $CSV_BYTES B, big_v3.csv $V3_BYTES B, many/ $NFILES files $MANY_BYTES B"
      --info "repetitions=$REPEAT (times are medians, RSS the maximum)"
      --info "load average at start=$LOAD_START")
[ -z "${BENCH_NOTE:-}" ] || info+=(--info "note=$BENCH_NOTE")
"$PY" "$HERE/report.py" --results "$RESULTS" --work "$WORK" "${info[@]}" \
    --write "$REPO/bench-work/results.md" --write "$WORK/results.md"
echo
echo "written to $REPO/bench-work/results.md (logs in $LOGS)"
