#!/usr/bin/env python3
"""Run one command and record its wall time and peak RSS as one JSON line.

    measure.py --out results.jsonl --tool cairn --op add_csv --rep 1 --log add.log [--cwd DIR] -- CMD ARGS...

Why a fresh Python process per measurement: getrusage(RUSAGE_CHILDREN).ru_maxrss is the peak RSS of the largest
child this process has waited for, so it must start from zero for every command we measure. The clock brackets only
the child (not Python's own start-up). stdout+stderr of the command go to --log so the bench output stays readable
and a failure can be inspected afterwards; cairn's CAIRN_TIMING phase lines found there are kept in the record.
Exit status: the command's.
"""
import argparse
import json
import resource
import shlex
import subprocess
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="JSON-lines file to append the record to")
    parser.add_argument("--tool", required=True, help="cairn, dvc or floor")
    parser.add_argument("--op", required=True, help="operation key, e.g. add_csv")
    parser.add_argument("--rep", type=int, default=1, help="repetition number")
    parser.add_argument("--log", required=True, help="file that receives the command's stdout and stderr")
    parser.add_argument("--cwd", default=None, help="directory to run the command in")
    parser.add_argument("--timeout", type=float, default=None, help="seconds until the command is killed (exit 124)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD ARGS...")
    args = parser.parse_args()
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        parser.error("no command given after --")
    return args


def phase_timings(log_path, offset):
    """[name, ms] pairs from the `[timing] <phase>: <N> ms` lines cairn prints when CAIRN_TIMING is set."""
    with open(log_path, "rb") as log:
        log.seek(offset)
        output = log.read().decode("utf-8", "replace")
    phases = []
    for line in output.splitlines():
        if line.startswith("[timing] ") and line.endswith(" ms") and ": " in line:
            name, _, value = line[len("[timing] "):-len(" ms")].rpartition(": ")
            if value.strip().isdigit():
                phases.append([name, int(value)])
    return phases


def main():
    args = parse_args()
    with open(args.log, "ab") as log:
        log.write(("$ " + shlex.join(args.command) + "\n").encode())
        log.flush()
        output_starts_at = log.tell()
        start = time.monotonic()
        try:
            returncode = subprocess.call(args.command, cwd=args.cwd, stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT, timeout=args.timeout)
        except subprocess.TimeoutExpired:  # call() has killed and reaped the child: its RSS still counts
            log.write(f"measure.py: killed after {args.timeout:.0f} s\n".encode())
            returncode = 124
        except OSError as error:  # command not found, not executable: a failed measurement, not a crash
            log.write(f"measure.py: cannot run {args.command[0]}: {error}\n".encode())
            returncode = 127
        seconds = time.monotonic() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time next to wall time tells whether an operation waits (I/O, locks) or computes, and how well it uses
    # both cores: cpu_s / seconds near 2 means both cores busy.
    record = {"tool": args.tool, "op": args.op, "rep": args.rep, "seconds": round(seconds, 3),
              "rss_kib": usage.ru_maxrss, "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
              "sys_s": round(usage.ru_stime, 3), "rc": returncode}
    phases = phase_timings(args.log, output_starts_at)
    if phases:
        record["phases"] = phases
    peak_rss_kib = usage.ru_maxrss  # KiB on Linux
    with open(args.out, "a") as out:
        out.write(json.dumps(record) + "\n")
    status = "ok" if returncode == 0 else f"FAILED (exit {returncode}, see {args.log})"
    print(f"    {args.tool:5} {args.op:14} {seconds:8.2f} s  {peak_rss_kib / 1024:8.1f} MB  "
          f"cpu {record['cpu_s']:7.2f} s  {status}", flush=True)
    return returncode


if __name__ == "__main__":
    sys.exit(main())
