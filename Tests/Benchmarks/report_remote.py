#!/usr/bin/env python3
"""Turn bench-remote.sh's JSON-lines records into the Markdown report (machine, table, verdicts, CPU, phases).

    report_remote.py --results results.jsonl --work WORK_DIR [--info KEY=VALUE ...] [--write PATH ...]

Records come from measure.py (tool, op, seconds, rss_kib, cpu_s, rc, phases) and from bench-remote.sh (remote
usage after each push: remote_objects, remote_bytes, growth_*; verified after each pull). The targets are issue 4's;
the verdict column says which part of a target is missed. Reading and formatting records is report.py's.
"""
import argparse
import os
import sys

import machine
from report import Results, fmt, human_bytes, load

# key, label ({mib} and {files} are filled in from the data actually used), target text, cairn/DVC ratio limit
OPERATIONS = [
    ("push_csv", "push {mib} MiB CSV", "time ≤ 0.5× DVC", 0.5),
    ("push_many", "push {files} small files", "time ≤ 0.1× DVC", 0.1),
    ("noop_push_many", "push {files} files again, nothing changed", "time < 2 s", None),
    ("pull_csv", "pull {mib} MiB CSV into a fresh clone", "time ≤ 0.5× DVC", 0.5),
    ("pull_many", "pull {files} small files into a fresh clone", "time ≤ 0.1× DVC", 0.1),
]
NOOP_LIMIT_SECONDS = 2.0
TOOLS = ("cairn", "dvc")


def remote_cell(results, tool, op):
    """What a push added to the remote: bytes (and % of the data) in how many objects."""
    if results.failed(tool, op):
        return "failed"
    growth, objects = results.last(tool, op, "growth_bytes"), results.last(tool, op, "growth_objects")
    if growth is None:
        return "—"
    raw = results.last(tool, op, "file_bytes")
    percent = f" ({100 * growth / raw:.0f} %)" if raw else ""
    noun = "object" if objects == 1 else "objects"
    return f"+{human_bytes(growth)}{percent} in {objects:,} {noun}"


def setup_failed(results, tool):
    return results.failed(tool, "setup")


def verdict(results, op, limit):
    """'met', 'not met: <which parts>' or 'n/a: <why>' for cairn on one operation."""
    mine, dvc = results.seconds("cairn", op), results.seconds("dvc", op)
    if mine is None:
        if setup_failed(results, "cairn"):
            return "n/a: cairn setup (init, remote, add) failed"
        return "n/a: cairn " + ("failed" if results.failed("cairn", op) else "not run")
    misses = []
    if limit is None:
        if mine >= NOOP_LIMIT_SECONDS:
            misses.append(f"{mine:.2f} s")
    elif dvc is None:
        misses.append("no DVC time to compare")
    elif mine > limit * dvc:
        misses.append(f"{mine / dvc:.2f}× DVC")
    if results.last("cairn", op, "verified") is False:
        misses.append("pulled data differs")
    return "met" if not misses else "not met: " + ", ".join(misses)


def main_table(results):
    csv_bytes, file_count = results.last("data", "csv", "file_bytes"), results.last("data", "many", "file_count")
    mib = "?" if csv_bytes is None else f"{csv_bytes / 2**20:.0f}"
    files = "?" if file_count is None else f"{file_count:,}"
    lines = ["| operation | cairn s | dvc s | ratio | cairn RSS MB | dvc RSS MB | remote cairn | remote dvc "
             "| target | verdict |",
             "|---|--:|--:|--:|--:|--:|--:|--:|---|---|"]
    for op, label, target, limit in OPERATIONS:
        label = label.format(mib=mib, files=files)
        for tool in TOOLS:
            if results.last(tool, op, "verified") is False:
                label += f" ({tool}: pulled data WRONG)"
        mine, dvc = results.seconds("cairn", op), results.seconds("dvc", op)
        ratio = f"{mine / dvc:.2f}×" if mine is not None and dvc else "—"
        lines.append(f"| {label} | {fmt(mine)} | {fmt(dvc)} | {ratio} | {fmt(results.rss_mb('cairn', op), 1)} "
                     f"| {fmt(results.rss_mb('dvc', op), 1)} | {remote_cell(results, 'cairn', op)} "
                     f"| {remote_cell(results, 'dvc', op)} | {target} | {verdict(results, op, limit)} |")
    return lines


def render(results, info, work):
    lines = ["# cairn vs DVC: push and pull against S3 (SeaweedFS)", ""]
    for key, value in machine.describe(work) + info:
        lines.append(f"- {key}: {value}")
    lines += [""] + main_table(results)
    lines += ["", "\"remote\": what the push added under s3://<bucket>/store/ (`aws s3 ls --recursive --summarize`), "
                  "% of the pushed files' size.",
              "", "CPU time (user + sys, of which sys) per operation: above the wall time means both cores worked. "
                  "\"server\": the CPU time SeaweedFS spent meanwhile (same 2 cores).",
              "", "| operation | cairn cpu s | cairn sys s | server cpu s (cairn) | dvc cpu s | dvc sys s "
                  "| server cpu s (dvc) |", "|---|--:|--:|--:|--:|--:|--:|"]
    for op, _, _, _ in OPERATIONS:
        cells = [fmt(results.median(tool, op, field)) for tool in TOOLS
                 for field in ("cpu_s", "sys_s", "server_cpu_s")]
        lines.append(f"| {op} | " + " | ".join(cells) + " |")
    phase_lines = [f"| {op} | " + ", ".join(f"{name} {ms} ms" for name, ms in phases) + " |"
                   for op, _, _, _ in OPERATIONS if (phases := results.last("cairn", op, "phases"))]
    if phase_lines:
        lines += ["", "cairn's own phase timings (CAIRN_TIMING=1):", "", "| operation | phases |", "|---|---|"]
        lines += phase_lines
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
