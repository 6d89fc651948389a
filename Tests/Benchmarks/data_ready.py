#!/usr/bin/env python3
"""Tell whether benchmark data generated earlier can be reused.

    data_ready.py DATA_DIR "PARAMS LINE"     exit 0: reuse; exit 1: regenerate (the reason is printed)

Reuse needs: DATA_DIR/PARAMS holds exactly the same parameter line (sizes, generator checksum), and every entry of
DATA_DIR/MANIFEST.sha256 still matches the files. The many/ digest is recomputed the way gen_data.py computes it
(sha256 over name, NUL, sha256(content) in file order), so a half-deleted or edited many/ is caught too.
Hashing ~2 GiB plus 100k small files costs a few seconds; regenerating costs minutes.
"""
import hashlib
import os
import sys


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(8 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def many_digest(root):
    # gen_data.py names files dNNN/fNNNNNN.{json,bin} with the index zero-padded, so sorting directory names and
    # then file names reproduces its generation order.
    digest = hashlib.sha256()
    for directory in sorted(os.listdir(root)):
        subdir = os.path.join(root, directory)
        for name in sorted(os.listdir(subdir)):
            with open(os.path.join(subdir, name), "rb") as handle:
                content = handle.read()
            digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def reason_to_regenerate(data_dir, params):
    params_path = os.path.join(data_dir, "PARAMS")
    manifest_path = os.path.join(data_dir, "MANIFEST.sha256")
    if not os.path.exists(params_path) or not os.path.exists(manifest_path):
        return "no earlier data"
    with open(params_path) as handle:
        if handle.read().strip() != params.strip():
            return "parameters changed"
    with open(manifest_path) as handle:
        entries = [line.split(None, 1) for line in handle if line.strip()]
    if not entries:
        return "MANIFEST.sha256 is empty"
    for expected, name in entries:
        name = name.strip()
        path = os.path.join(data_dir, name)
        if not os.path.exists(path):
            return f"{name} is missing"
        actual = many_digest(path) if name.endswith("/") else sha256_file(path)
        if actual != expected:
            return f"{name} does not match MANIFEST.sha256"
    return None


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    reason = reason_to_regenerate(sys.argv[1], sys.argv[2])
    if reason is None:
        print("reusing generated data (MANIFEST.sha256 matches)")
        return 0
    print(f"generating data: {reason}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
