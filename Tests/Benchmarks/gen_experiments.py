#!/usr/bin/env python3
"""Pipelines and experiment histories for bench-experiments.sh (issue 11's targets). Writes both cairn.yaml and
dvc.yaml (the same schema); the script deletes the one the measured tool does not use.

    gen_experiments.py DIR --shape four    # 4-stage chain; only the last stage reads params (s4.p)
    gen_experiments.py DIR --shape sleep   # one stage that sleeps 1 s and reads params (p)
    gen_experiments.py DIR --shape history --commits 20 --per-commit 10 --tool cairn|dvc
        # 20 commits of params/metrics, each with 10 experiment commits on refs/exps/<baseline>/<name>, made with
        # git plumbing (DVC and cairn read the same ref layout; cairn also reads its trailers from the message).
"""
import argparse
import os
import subprocess


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def pipeline(stages):
    text = "stages:\n" + stages
    return text


def four(d):
    write(f"{d}/params.yaml", "s4:\n  p: 1\n")
    with open(f"{d}/data.bin", "wb") as f:
        f.write(os.urandom(4 << 20))
    stages = ""
    prev = "data.bin"
    for i in range(1, 4):
        stages += f"  s{i}:\n    cmd: cat {prev} {prev} > o{i}.bin\n    deps: [{prev}]\n    outs: [o{i}.bin]\n"
        prev = f"o{i}.bin"
    stages += ("  s4:\n    cmd: >-\n      (cat o3.bin; echo ${s4.p}) > o4.bin && echo '{\"score\": ${s4.p}}' > metrics.json\n"
               "    deps: [o3.bin]\n    params: [s4.p]\n    outs: [o4.bin]\n"
               "    metrics:\n      - metrics.json:\n          cache: false\n")
    for name in ("cairn.yaml", "dvc.yaml"):
        write(f"{d}/{name}", pipeline(stages))


def sleep(d):
    write(f"{d}/params.yaml", "p: 0\n")
    stages = ("  nap:\n    cmd: >-\n      sleep 1 && echo ${p} > out.txt && echo '{\"p\": ${p}}' > metrics.json\n"
              "    params: [p]\n    outs: [out.txt]\n    metrics:\n      - metrics.json:\n          cache: false\n")
    for name in ("cairn.yaml", "dvc.yaml"):
        write(f"{d}/{name}", pipeline(stages))


def git(d, *args, env=None, data=None):
    return subprocess.run(["git", *args], cwd=d, check=True, capture_output=True, input=data,
                          env={**os.environ, **(env or {})}).stdout.decode().strip()


def history(d, commits, per_commit, tool):
    stages = ("  train:\n    cmd: >-\n      echo '{\"acc\": ${lr}}' > metrics.json\n    params: [lr, layers, opt.name]\n"
              "    metrics:\n      - metrics.json:\n          cache: false\n")
    write(f"{d}/{'cairn.yaml' if tool == 'cairn' else 'dvc.yaml'}", pipeline(stages))
    index = {"GIT_INDEX_FILE": f"{d}/.git/bench-index"}
    for c in range(commits):
        write(f"{d}/params.yaml", f"lr: {c}\nlayers: 3\nopt:\n  name: adam\n")
        write(f"{d}/metrics.json", f'{{"acc": {c}, "loss": {100 - c}}}\n')
        git(d, "add", "-A")
        git(d, "commit", "-qm", f"commit {c}")
        base = git(d, "rev-parse", "HEAD")
        for e in range(per_commit):
            name = f"exp-{c}-{e}"
            git(d, "read-tree", base, env=index)
            for path, text in (("params.yaml", f"lr: {c}.{e}\nlayers: {e}\nopt:\n  name: sgd\n"),
                               ("metrics.json", f'{{"acc": {c}.{e}, "loss": {e}}}\n')):
                blob = git(d, "hash-object", "-w", "--stdin", data=text.encode())
                git(d, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=index)
            tree = git(d, "write-tree", env=index)
            message = (f"Experiment {name} (done)\n\ncairn-exp-name: {name}\ncairn-exp-state: done\n"
                       f"cairn-exp-baseline: {base}\ncairn-exp-set-param: params.yaml:lr={c}.{e}\n")
            sha = git(d, "commit-tree", tree, "-p", base, data=message.encode())
            git(d, "update-ref", f"refs/exps/{base[:2]}/{base[2:]}/{name}", sha)
    os.remove(f"{d}/.git/bench-index")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--shape", required=True, choices=["four", "sleep", "history"])
    ap.add_argument("--commits", type=int, default=20)
    ap.add_argument("--per-commit", type=int, default=10)
    ap.add_argument("--tool", default="cairn")
    args = ap.parse_args()
    {"four": lambda: four(args.dir), "sleep": lambda: sleep(args.dir),
     "history": lambda: history(args.dir, args.commits, args.per_commit, args.tool)}[args.shape]()


if __name__ == "__main__":
    main()
