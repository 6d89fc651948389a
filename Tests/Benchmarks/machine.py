"""Describe the machine a benchmark ran on: the lines a reader needs to judge the numbers.

The filesystem line says whether ext4 has a journal, because on these machines the root ext4 has none and then
creating many files right after deleting many files is several times slower (see ../shared/bench/journaled_fs.sh).
"""
import datetime
import os
import platform
import subprocess


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory():
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _run(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def _filesystem(path):
    found = _run(["findmnt", "-n", "-o", "FSTYPE,SOURCE,TARGET", "-T", path]).split()
    if len(found) < 3:
        return "unknown"
    fstype, source, target = found[:3]
    description = f"{fstype} on {source} mounted at {target}"
    if fstype.startswith("ext"):
        journal = _has_journal(source)
        if journal is not None:
            description += ", with journal" if journal else ", WITHOUT journal"
    return description


def _has_journal(device):
    """True/False, or None when it cannot be told. The kernel lists every mounted journal as
    /proc/fs/jbd2/<device>-<inode>; tune2fs is the fallback (it may not be allowed to open the device)."""
    if os.path.isdir("/proc/fs/jbd2"):
        name = os.path.basename(device)
        return any(entry.startswith(name + "-") for entry in os.listdir("/proc/fs/jbd2"))
    features = _run(["tune2fs", "-l", device])
    if "Filesystem features:" in features:
        return "has_journal" in features
    return None


def describe(work_dir):
    """(key, value) pairs for the report header."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return [
        ("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("nproc", str(os.cpu_count())),
        ("CPU", _cpu_model()),
        ("memory", _memory()),
        ("kernel", platform.release()),
        ("filesystem", _filesystem(work_dir)),
        ("load average at report time", " ".join(f"{x:.2f}" for x in load) if load else "unknown"),
    ]
