#!/bin/sh
# Benchmark for issue 3: `cairn log` over 1,000 commits and `cairn lineage rebuild` over 10,000 commits.
# History is generated with `git fast-import` (seconds, not minutes): every commit rewrites one of a few
# pointer files with a new id, as `cairn add` + `git commit` would. The objects need not exist: log and
# lineage read only pointers. Usage: Tests/Benchmarks/issue3-history.sh [CAIRN_BINARY] [COMMITS_FOR_REBUILD]
set -eu
CAIRN=${1:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release/cairn}
REBUILD_COMMITS=${2:-10000}
LOG_COMMITS=1000
case $CAIRN in /*) ;; *) CAIRN=$(pwd)/$CAIRN ;; esac
[ -x "$CAIRN" ] || { echo "no cairn binary at $CAIRN (swift build -c release)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/cairn-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# make_history DIR COMMITS: a repository whose history rewrites data/file0..9.bin.cairn, one per commit.
make_history() {
    dir=$1 commits=$2
    git init -q "$dir"
    (cd "$dir" && "$CAIRN" init >/dev/null)
    awk -v n="$commits" 'BEGIN {
        for (i = 1; i <= n; i++) {
            f = i % 10
            id = sprintf("%064x", i); gsub(/ /, "0", id)
            body = "# cairn pointer file: the data is in cairn'"'"'s store, not in Git (docs/formats.md)\nformat: 1\npath: file" f ".bin\ntype: file\nid: sha256:" id "\nsize: " i * 100 "\n"
            printf "commit refs/heads/main\ncommitter Bench <b@example.invalid> %d +0000\ndata %d\nversion %d\n", 1700000000 + i, length("version " i), i
            printf "M 100644 inline data/file%d.bin.cairn\ndata %d\n%s\n", f, length(body), body
        }
    }' | (cd "$dir" && git fast-import --quiet)
    (cd "$dir" && git symbolic-ref HEAD refs/heads/main && git reset -q --hard main)
}

seconds() { start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }

make_history "$WORK/log" "$LOG_COMMITS"
cd "$WORK/log"
first=$(seconds "$CAIRN" log data/file3.bin)
second=$(seconds "$CAIRN" log data/file3.bin)
echo "cairn log, $LOG_COMMITS commits: first run (indexes history) ${first}s, indexed ${second}s"

make_history "$WORK/rebuild" "$REBUILD_COMMITS"
cd "$WORK/rebuild"
rebuild=$(seconds "$CAIRN" lineage rebuild)
echo "cairn lineage rebuild, $REBUILD_COMMITS commits: ${rebuild}s"
