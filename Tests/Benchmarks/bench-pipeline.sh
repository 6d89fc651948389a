#!/usr/bin/env bash
# cairn repro vs dvc repro, side by side on the same generated pipelines in one run (issue 10's targets).
# Prints a Markdown table (time and peak RSS per case and tool, cairn/DVC ratio, target) and writes it to
# bench-work/pipeline-results.md. Not part of `swift test`. See docs/performance.md.
#
#   bash Tests/Benchmarks/bench-pipeline.sh
#
# Environment (all optional):
#   BENCH_DIR        work directory (default <repo>/bench-work)
#   BENCH_STAGES     stages of the big no-op pipelines (default 500)
#   BENCH_BIG_MIB    size of the output restored from the run-cache (default 1024)
#   BENCH_TOOLS      "cairn dvc" (default), or one of them
#   BENCH_CAIRN      a cairn binary to measure instead of building <repo>/.build/release/cairn
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1 DVC_NO_ANALYTICS=1
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED_BENCH="$REPO/../shared/bench"
STAGES="${BENCH_STAGES:-500}"
BIG_MIB="${BENCH_BIG_MIB:-1024}"
TOOLS="${BENCH_TOOLS:-cairn dvc}"
step() { printf '\n==> [%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { echo "bench-pipeline.sh: error: $*" >&2; exit 1; }
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"

WORK="${BENCH_DIR:-$REPO/bench-work}"
mkdir -p "$WORK"; WORK="$(cd "$WORK" && pwd)"
LOGS="$WORK/pipeline-logs"; RESULTS="$WORK/pipeline-results.jsonl"
rm -rf "$LOGS" "$RESULTS"; mkdir -p "$LOGS"

VENV="$WORK/venv"
if [[ " $TOOLS " == *" dvc "* ]] && [ ! -x "$VENV/bin/dvc" ]; then
    step "installing DVC 3 into $VENV (once)"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || die "python3 -m venv failed"
    "$VENV/bin/pip" install -q 'dvc>=3,<4' numpy
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import numpy' 2>/dev/null || "$VENV/bin/pip" install -q numpy
DVC="$VENV/bin/dvc"
if [ -n "${BENCH_CAIRN:-}" ]; then CAIRN="$BENCH_CAIRN"; else
    step "building cairn (release)"
    (cd "$REPO" && swift build -c release --product cairn >/dev/null)
    CAIRN="$REPO/.build/release/cairn"
fi

measure() {  # measure TOOL CASE DIR CMD...
    local tool="$1" case="$2" dir="$3"; shift 3
    python3 "$HERE/measure.py" --out "$RESULTS" --tool "$tool" --op "$case" --log "$LOGS/$tool-$case.log" --cwd "$dir" -- "$@" \
        || echo "  ($tool $case failed: see $LOGS/$tool-$case.log)"
}

fresh() {  # fresh TOOL SHAPE N → prints the repository's path
    local tool="$1" shape="$2" n="$3" dir="$WORK/pipe-$1-$2-$3"
    rm -rf "$dir"; mkdir -p "$dir"
    (cd "$dir" && git init -q && git config user.email b@b && git config user.name bench
     python3 "$HERE/gen_pipeline.py" . --shape "$shape" --stages "$n"
     if [ "$tool" = cairn ]; then rm dvc.yaml; "$CAIRN" init >/dev/null; else rm cairn.yaml; "$DVC" init -q; fi
     git add -A >/dev/null && git commit -qm pipeline) >/dev/null
    echo "$dir"
}

repro() { if [ "$1" = cairn ]; then echo "$CAIRN repro"; else echo "$DVC repro"; fi; }

for tool in $TOOLS; do
    step "$tool: no-op repro of $STAGES-stage chain and fan-out, and of a 10-stage chain"
    for shape in chain fanout; do
        dir="$(fresh "$tool" "$shape" "$STAGES")"
        (cd "$dir" && $(repro "$tool") >"$LOGS/$tool-$shape-first.log" 2>&1) || echo "  ($tool first repro of $shape failed)"
        measure "$tool" "noop_${shape}_$STAGES" "$dir" $(repro "$tool")
    done
    dir="$(fresh "$tool" chain 10)"
    (cd "$dir" && $(repro "$tool") >"$LOGS/$tool-chain10-first.log" 2>&1) || true
    measure "$tool" noop_chain_10 "$dir" $(repro "$tool")

    step "$tool: 100 stages running 'true' (overhead per executed stage)"
    dir="$(fresh "$tool" true 100)"
    if [ "$tool" = cairn ]; then measure cairn run_true_100 "$dir" "$CAIRN" repro -j 1; else measure dvc run_true_100 "$dir" "$DVC" repro; fi

    step "$tool: fan-out of 8 stages sleeping 1 s"
    dir="$(fresh "$tool" sleep 8)"
    if [ "$tool" = cairn ]; then measure cairn sleep_8 "$dir" "$CAIRN" repro -j 4; else measure dvc sleep_8 "$dir" "$DVC" repro; fi

    step "$tool: restoring a $BIG_MIB MiB output from the run-cache, and checking it out"
    dir="$(fresh "$tool" big 1)"
    "$VENV/bin/python" "$SHARED_BENCH/gen_data.py" "$dir/gen" --only rand --rand-mib "$BIG_MIB" >/dev/null
    mv "$dir/gen/random.bin" "$dir/big.bin"; rm -rf "$dir/gen"
    (cd "$dir" && $(repro "$tool") >"$LOGS/$tool-big-first.log" 2>&1) || echo "  ($tool first repro of big failed)"
    rm -f "$dir/out.bin"
    measure "$tool" checkout_big "$dir" $([ "$tool" = cairn ] && echo "$CAIRN" || echo "$DVC") checkout out.bin
    rm -f "$dir/out.bin" "$dir/cairn.lock" "$dir/dvc.lock"
    measure "$tool" runcache_big "$dir" $(repro "$tool")
    rm -rf "$dir"
done

python3 - "$RESULTS" "$STAGES" <<'PY' | tee "$WORK/pipeline-results.md"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
n = sys.argv[2]
get = lambda tool, op, key: next((r.get(key) for r in rows if r["tool"] == tool and r["op"] == op), None)
targets = {f"noop_chain_{n}": "≤ 0.1× DVC", f"noop_fanout_{n}": "≤ 0.1× DVC", "noop_chain_10": "< 0.2 s",
           "run_true_100": "≤ 20 ms per stage", "sleep_8": "< 2.5 s (-j 4)", "runcache_big": "≤ cairn checkout",
           "checkout_big": "—"}
print("| case | cairn s | DVC s | cairn/DVC | cairn peak RSS MB | DVC peak RSS MB | target |")
print("|---|---|---|---|---|---|---|")
for op, target in targets.items():
    c, d = get("cairn", op, "seconds"), get("dvc", op, "seconds")
    cr, dr = get("cairn", op, "rss_kib"), get("dvc", op, "rss_kib")
    fmt = lambda x: "—" if x is None else f"{x:.3f}"
    ratio = f"{c / d:.3f}" if c and d else "—"
    mb = lambda k: "—" if k is None else f"{k / 1024:.0f}"
    extra = f" ({c / 100 * 1000:.1f} ms/stage)" if op == "run_true_100" and c else ""
    print(f"| {op} | {fmt(c)}{extra} | {fmt(d)} | {ratio} | {mb(cr)} | {mb(dr)} | {target} |")
PY
