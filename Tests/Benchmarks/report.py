#!/usr/bin/env python3
"""Turn the benchmark's JSON-lines records into the Markdown report (machine, table, floors, verdicts).

    report.py --results results.jsonl --work WORK_DIR [--info KEY=VALUE ...] [--write PATH ...]

Records come from measure.py (tool, op, rep, seconds, rss_kib, rc) and from bench.sh (store_bytes, file_bytes,
verified). With several repetitions a time is the median, a peak RSS the maximum, a size the last one seen.
The targets are issue 2's; the verdict column says which part of a target is missed, so the table can be pasted
into docs/performance.md as it is.
"""
import argparse
import json
import os
import statistics
import sys

import machine

RSS_LIMIT_MB = 200
OPERATIONS = [  # key, label ({mib} and {files} are filled in from the data actually used), target text
    ("add_csv", "add {mib} MiB CSV", "store ≤ 40 % of raw; time ≤ DVC and ≤ 1.3× zstd floor"),
    ("readd_v3", "re-add after v3 update", "store growth ≤ 3 % of file"),
    ("add_many", "add {files} small files", "time ≤ 0.1× DVC"),
    ("status", "status, nothing changed", "time ≤ 0.1× DVC and ≤ 2× find floor"),
    ("checkout", "checkout all after rm", "time ≤ DVC"),
]
FLOORS = [("zstd", "zstd -1 -T2 big.csv -o /dev/null", "add_csv"),
          ("find", "find many -type f -printf '%s %T@\\n' > /dev/null", "status")]


def load(path):
    by_key = {}
    with open(path) as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                by_key.setdefault((record["tool"], record["op"]), []).append(record)
    return by_key


class Results:
    def __init__(self, by_key):
        self.by_key = by_key

    def values(self, tool, op, field):
        return [r[field] for r in self.by_key.get((tool, op), []) if field in r and r.get("rc", 0) == 0]

    def failed(self, tool, op):
        return any(r.get("rc", 0) != 0 for r in self.by_key.get((tool, op), []))

    def seconds(self, tool, op):
        values = self.values(tool, op, "seconds")
        return statistics.median(values) if values and not self.failed(tool, op) else None

    def median(self, tool, op, field):
        values = self.values(tool, op, field)
        return statistics.median(values) if values and not self.failed(tool, op) else None

    def spread(self, tool, op):
        values = self.values(tool, op, "seconds")
        return f"{min(values):.2f}–{max(values):.2f}" if values else "—"

    def rss_mb(self, tool, op):
        values = self.values(tool, op, "rss_kib")
        return max(values) / 1024 if values and not self.failed(tool, op) else None

    def last(self, tool, op, field):
        values = self.values(tool, op, field)
        return values[-1] if values else None


def human_bytes(count):
    """Decimal units (MB = 10^6 bytes), as `du -sb` sizes are usually quoted."""
    if count is None:
        return "—"
    value = float(count)
    for unit in ("B", "KB", "MB"):
        if abs(value) < 1000:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.2f} GB"


def fmt(value, digits=2, suffix=""):
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def store_cell(results, tool, op):
    if results.failed(tool, op):
        return "failed"
    if op == "add_csv":
        store, raw = results.last(tool, op, "store_bytes"), results.last(tool, op, "file_bytes")
        if store is None:
            return "—"
        return f"{human_bytes(store)} ({100 * store / raw:.1f} %)" if raw else human_bytes(store)
    if op in ("readd_v3", "add_many"):
        growth, raw = results.last(tool, op, "growth_bytes"), results.last(tool, op, "file_bytes")
        if growth is None:
            return "—"
        percent = f" ({100 * growth / raw:.2f} %)" if raw and op == "readd_v3" else ""
        return f"+{human_bytes(growth)}{percent}"
    return "—"


def verdict(results, op):
    """'met', 'not met: <which parts>' or 'n/a: <why>' for cairn on one operation."""
    mine, dvc = results.seconds("cairn", op), results.seconds("dvc", op)
    if mine is None:
        if results.failed("cairn", "init"):
            return "n/a: cairn init failed"
        return "n/a: cairn " + ("failed" if results.failed("cairn", op) else "not run")
    misses = []

    def ratio_check(limit, reference, name):
        if reference is None:
            misses.append(f"no {name} to compare")
        elif mine > limit * reference:
            misses.append(f"{mine / reference:.2f}× {name}")

    if op == "add_csv":
        store, raw = results.last("cairn", op, "store_bytes"), results.last("cairn", op, "file_bytes")
        if store is None or not raw or store > 0.40 * raw:
            misses.append("store " + (f"{100 * store / raw:.0f} %" if store is not None and raw else "unknown"))
        ratio_check(1.0, dvc, "DVC")
        ratio_check(1.3, results.seconds("floor", "zstd"), "zstd floor")
    elif op == "readd_v3":
        growth, raw = results.last("cairn", op, "growth_bytes"), results.last("cairn", op, "file_bytes")
        if growth is None or not raw or growth > 0.03 * raw:
            misses.append("growth " + (f"{100 * growth / raw:.1f} %" if growth is not None and raw else "unknown"))
    elif op == "add_many":
        ratio_check(0.1, dvc, "DVC")
    elif op == "status":
        ratio_check(0.1, dvc, "DVC")
        ratio_check(2.0, results.seconds("floor", "find"), "find floor")
    elif op == "checkout":
        ratio_check(1.0, dvc, "DVC")
        if results.last("cairn", op, "verified") is False:
            misses.append("restored data differs")
    rss = results.rss_mb("cairn", op)
    if rss is not None and rss > RSS_LIMIT_MB:
        misses.append(f"RSS {rss:.0f} MB > {RSS_LIMIT_MB}")
    return "met" if not misses else "not met: " + ", ".join(misses)


def _first(results, op, field, formatted):
    for tool in ("cairn", "dvc"):
        value = results.last(tool, op, field)
        if value is not None:
            return formatted(value)
    return "?"


def render(results, info, work):
    lines = ["# cairn vs DVC benchmark", ""]
    for key, value in machine.describe(work) + info:
        lines.append(f"- {key}: {value}")
    lines += ["", "| operation | cairn s | dvc s | ratio | cairn RSS MB | dvc RSS MB | store cairn | store dvc "
                  "| target | verdict |",
              "|---|--:|--:|--:|--:|--:|--:|--:|---|---|"]
    for op, label, target in OPERATIONS:
        label = label.format(mib=_first(results, "add_csv", "file_bytes", lambda b: f"{b / 2**20:.0f}"),
                             files=_first(results, "add_many", "file_count", lambda n: f"{n:,}"))
        mine, dvc = results.seconds("cairn", op), results.seconds("dvc", op)
        ratio = f"{mine / dvc:.2f}×" if mine is not None and dvc else "—"
        if op == "checkout":
            for tool in ("cairn", "dvc"):
                if results.last(tool, op, "verified") is False:
                    label += f" ({tool}: restored data WRONG)"
        lines.append(f"| {label} | {fmt(mine)} | {fmt(dvc)} | {ratio} | {fmt(results.rss_mb('cairn', op), 1)} "
                     f"| {fmt(results.rss_mb('dvc', op), 1)} | {store_cell(results, 'cairn', op)} "
                     f"| {store_cell(results, 'dvc', op)} | {target}; RSS ≤ {RSS_LIMIT_MB} MB "
                     f"| {verdict(results, op)} |")
    lines += ["", "Reference floors, timed in the same run:", "", "| floor | s | cairn op | cairn / floor |",
              "|---|--:|---|--:|"]
    for key, command, op in FLOORS:
        floor, mine = results.seconds("floor", key), results.seconds("cairn", op)
        ratio = f"{mine / floor:.2f}×" if floor and mine is not None else "—"
        lines.append(f"| `{command}` | {fmt(floor)} | {op} | {ratio} |")
    if any(len(results.values(tool, op, "seconds")) > 1 for tool in ("cairn", "dvc") for op, _, _ in OPERATIONS):
        lines += ["", "Spread of wall times over the repetitions (min–max, s): the machine's noise, for reading the "
                      "ratios above.", "", "| operation | cairn | dvc | floor |", "|---|--:|--:|--:|"]
        floor_of = {op: key for key, _, op in FLOORS}
        for op, _, _ in OPERATIONS:
            cells = [results.spread(tool, key) for tool, key in (("cairn", op), ("dvc", op))]
            cells.append(results.spread("floor", floor_of[op]) if op in floor_of else "—")
            lines.append(f"| {op} | " + " | ".join(cells) + " |")
    lines += ["", "CPU time (user + sys, of which sys) per operation: above the wall time means both cores worked.", "",
              "| operation | cairn cpu s | cairn sys s | dvc cpu s | dvc sys s |", "|---|--:|--:|--:|--:|"]
    for op, _, _ in OPERATIONS:
        cells = [fmt(results.median(tool, op, field)) for tool in ("cairn", "dvc") for field in ("cpu_s", "sys_s")]
        lines.append(f"| {op} | " + " | ".join(cells) + " |")
    phase_lines = [f"| {op} | " + ", ".join(f"{name} {ms} ms" for name, ms in phases) + " |"
                   for op, _, _ in OPERATIONS if (phases := results.last("cairn", op, "phases"))]
    if phase_lines:
        lines += ["", "cairn's own phase timings (CAIRN_TIMING=1, last repetition):", "", "| operation | phases |",
                  "|---|---|"] + phase_lines
    failures = sorted({f"{tool} {op}" for (tool, op), records in results.by_key.items()
                       if any(r.get("rc", 0) != 0 for r in records)})
    if failures:
        lines += ["", "Failed commands (see the logs in the work directory): " + ", ".join(failures)]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", required=True)
    parser.add_argument("--work", required=True, help="directory the operations ran in (for the filesystem line)")
    parser.add_argument("--info", action="append", default=[], help="KEY=VALUE line for the header")
    parser.add_argument("--write", action="append", default=[], help="also write the report to this file")
    args = parser.parse_args()
    info = [tuple(item.split("=", 1)) for item in args.info if "=" in item]
    text = render(Results(load(args.results)), info, args.work)
    sys.stdout.write(text)
    for path in args.write:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
