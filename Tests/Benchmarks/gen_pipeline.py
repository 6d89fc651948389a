#!/usr/bin/env python3
"""Writes the same generated pipeline as cairn.yaml and dvc.yaml (identical content) into a directory.

    gen_pipeline.py DIR --shape chain|fanout|true|sleep|big --stages N

Shapes (issue 10's targets):
  chain   stage i copies the output of stage i-1 (a few small deps/outs each): the no-op repro case.
  fanout  every stage reads the same two inputs and writes its own two outputs: the no-op repro case, wide.
  true    N independent stages whose command only writes a tiny output: the per-stage overhead case.
  sleep   N independent stages that each sleep 1 s: the parallelism case.
  big     one stage that copies big.bin (made by the caller) to out.bin: the run-cache restore case.
Commands are POSIX shell so both tools run exactly the same work.
"""
import argparse
import os


def stage(name, cmd, deps, outs):
    lines = [f"  {name}:", f"    cmd: {cmd}"]
    if deps:
        lines.append("    deps:")
        lines += [f"    - {d}" for d in deps]
    if outs:
        lines.append("    outs:")
        lines += [f"    - {o}" for o in outs]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--shape", required=True, choices=["chain", "fanout", "true", "sleep", "big"])
    ap.add_argument("--stages", type=int, default=500)
    args = ap.parse_args()
    os.makedirs(os.path.join(args.dir, "in"), exist_ok=True)
    for name in ("a.txt", "b.txt"):
        with open(os.path.join(args.dir, "in", name), "w") as f:
            f.write(f"input {name}\n" * 10)
    stages = []
    n = args.stages
    if args.shape == "chain":
        for i in range(n):
            deps = ["in/a.txt", "in/b.txt"] if i == 0 else [f"out/s{i-1}/x.txt", f"out/s{i-1}/y.txt"]
            src = deps[0]
            cmd = f"mkdir -p out/s{i} && cp {src} out/s{i}/x.txt && echo {i} > out/s{i}/y.txt"
            stages.append(stage(f"s{i}", cmd, deps, [f"out/s{i}/x.txt", f"out/s{i}/y.txt"]))
    elif args.shape == "fanout":
        for i in range(n):
            cmd = f"mkdir -p out/s{i} && cat in/a.txt in/b.txt > out/s{i}/x.txt && echo {i} > out/s{i}/y.txt"
            stages.append(stage(f"s{i}", cmd, ["in/a.txt", "in/b.txt"], [f"out/s{i}/x.txt", f"out/s{i}/y.txt"]))
    elif args.shape == "true":
        for i in range(n):
            stages.append(stage(f"s{i}", f"true && echo {i} > o{i}.txt", [], [f"o{i}.txt"]))
    elif args.shape == "sleep":
        for i in range(n):
            stages.append(stage(f"s{i}", f"sleep 1 && echo {i} > o{i}.txt", ["in/a.txt"], [f"o{i}.txt"]))
    else:
        stages.append(stage("copy", "cp big.bin out.bin", ["big.bin"], ["out.bin"]))
    text = "stages:\n" + "\n".join(stages) + "\n"
    for name in ("cairn.yaml", "dvc.yaml"):
        with open(os.path.join(args.dir, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
