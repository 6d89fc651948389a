#!/usr/bin/env bash
# cairn exp vs dvc exp, side by side on the same generated pipelines in one run (issue 11's targets).
# Prints a Markdown table and writes it to bench-work/experiments-results.md. Not part of `swift test`.
# See docs/performance.md.
#
#   bash Tests/Benchmarks/bench-experiments.sh
#
# Environment (all optional):
#   BENCH_DIR     work directory (default <repo>/bench-work)
#   BENCH_TOOLS   "cairn dvc" (default), or one of them
#   BENCH_CAIRN   a cairn binary to measure instead of building <repo>/.build/release/cairn
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1 DVC_NO_ANALYTICS=1
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TOOLS="${BENCH_TOOLS:-cairn dvc}"
step() { printf '\n==> [%s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"

WORK="${BENCH_DIR:-$REPO/bench-work}"
mkdir -p "$WORK"; WORK="$(cd "$WORK" && pwd)"
LOGS="$WORK/experiments-logs"; RESULTS="$WORK/experiments-results.jsonl"
rm -rf "$LOGS" "$RESULTS"; mkdir -p "$LOGS"
VENV="$WORK/venv"
if [[ " $TOOLS " == *" dvc "* ]] && [ ! -x "$VENV/bin/dvc" ]; then
    step "installing DVC 3 into $VENV (once)"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q 'dvc>=3,<4'
fi
DVC="$VENV/bin/dvc"
# DVC's queue workers start `dvc` by name: the virtualenv's bin must be on PATH.
export PATH="$VENV/bin:$PATH"
if [ -n "${BENCH_CAIRN:-}" ]; then CAIRN="$BENCH_CAIRN"; else
    step "building cairn (release)"
    (cd "$REPO" && swift build -c release --product cairn >/dev/null)
    CAIRN="$REPO/.build/release/cairn"
fi
bin() { if [ "$1" = cairn ]; then echo "$CAIRN"; else echo "$DVC"; fi; }

measure() {  # measure TOOL CASE DIR CMD...
    local tool="$1" case="$2" dir="$3"; shift 3
    python3 "$HERE/measure.py" --out "$RESULTS" --tool "$tool" --op "$case" --log "$LOGS/$tool-$case.log" --cwd "$dir" -- "$@" \
        || echo "  ($tool $case failed: see $LOGS/$tool-$case.log)"
}

fresh() {  # fresh TOOL SHAPE [ARGS] → prints the repository's path (pipeline generated, run once, committed)
    local tool="$1" shape="$2"; shift 2
    local dir="$WORK/exp-$tool-$shape"
    rm -rf "$dir"; mkdir -p "$dir"
    (cd "$dir" && git init -q && git config user.email b@b && git config user.name bench
     if [ "$tool" = cairn ]; then "$CAIRN" init >/dev/null; else "$DVC" init -q; fi
     python3 "$HERE/gen_experiments.py" . --shape "$shape" --tool "$tool" "$@"
     if [ "$tool" = cairn ]; then rm -f dvc.yaml; else rm -f cairn.yaml; fi
     if [ "$shape" != history ]; then
         if [ "$tool" = cairn ]; then "$CAIRN" repro >/dev/null; else "$DVC" repro -q >/dev/null; fi
         git add -A >/dev/null && git commit -qm pipeline
     fi) >"$LOGS/$tool-$shape-setup.log" 2>&1 || echo "  ($tool $shape setup failed: see $LOGS/$tool-$shape-setup.log)"
    echo "$dir"
}

for tool in $TOOLS; do
    B="$(bin "$tool")"
    step "$tool: exp run of a 4-stage pipeline where only the last stage's params change"
    dir="$(fresh "$tool" four)"
    measure "$tool" exp_run_last "$dir" "$B" exp run -S s4.p=2

    step "$tool: exp show with 200 experiments over 20 commits"
    dir="$(fresh "$tool" history --commits 20 --per-commit 10)"
    "$B" exp show -A >/dev/null 2>&1 || true   # warm: cairn indexes nothing here, DVC builds its caches
    measure "$tool" exp_show_200 "$dir" "$B" exp show -A

    step "$tool: one 1-second experiment in a temporary worktree, then 8 queued, --run-all -j 4"
    dir="$(fresh "$tool" sleep)"
    if [ "$tool" = cairn ]; then measure cairn exp_one_temp "$dir" "$B" exp run --temp -S p=100
    else measure dvc exp_one_temp "$dir" "$B" exp run --temp -S p=100; fi
    for i in 1 2 3 4 5 6 7 8; do (cd "$dir" && "$B" exp run --queue -S "p=$i" >/dev/null 2>&1) || true; done
    if [ "$tool" = cairn ]; then measure cairn exp_run_all_8 "$dir" "$B" exp run --run-all -j 4
    else measure dvc exp_run_all_8 "$dir" "$B" exp run --run-all -j 4; fi
done

if [[ " $TOOLS " == *" cairn "* ]]; then
    step "cairn: reproduce of a commit whose pipeline takes about 2 s (2 stages sleeping 1 s, in a chain)"
    dir="$WORK/exp-cairn-reproduce"; rm -rf "$dir"; mkdir -p "$dir"
    (cd "$dir" && git init -q && git config user.email b@b && git config user.name bench && "$CAIRN" init >/dev/null
     printf 'stages:\n  a:\n    cmd: sleep 1 && echo a > a.txt\n    outs: [a.txt]\n  b:\n    cmd: sleep 1 && cat a.txt > b.txt\n    deps: [a.txt]\n    outs: [b.txt]\n' > cairn.yaml
     "$CAIRN" repro >/dev/null && git add -A && git commit -qm p) >"$LOGS/cairn-reproduce-setup.log" 2>&1
    measure cairn reproduce_2s "$dir" "$CAIRN" reproduce HEAD -j 1
fi

python3 - "$RESULTS" <<'PY' | tee "$WORK/experiments-results.md"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
get = lambda tool, op: next((r.get("seconds") for r in rows if r["tool"] == tool and r["op"] == op), None)
fmt = lambda x: "—" if x is None else f"{x:.3f}"
print("| case | cairn s | DVC s | cairn/DVC | target |")
print("|---|---|---|---|---|")
one = get("cairn", "exp_one_temp")
for op, target in [("exp_run_last", "≤ 0.5× DVC"), ("exp_show_200", "≤ 0.1× DVC and < 0.5 s"),
                   ("exp_one_temp", "—"), ("exp_run_all_8", "< 3× one experiment (cairn: %s s)" % fmt(one and 3 * one)),
                   ("reproduce_2s", "≤ T + 2 s = 4 s")]:
    c, d = get("cairn", op), get("dvc", op)
    ratio = f"{c / d:.3f}" if c and d else "—"
    print(f"| {op} | {fmt(c)} | {fmt(d)} | {ratio} | {target} |")
PY
