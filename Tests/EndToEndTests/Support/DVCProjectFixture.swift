import Foundation

/// A DVC project as DVC users write them (prepare → featurize → train → evaluate, in Python with only the standard
/// library): its dvc.yaml is used unchanged as cairn.yaml. The scripts are deterministic, so running the commands
/// by hand, `dvc repro` and `cairn repro` must all give byte-identical outputs.
enum DVCProjectFixture {
    static let params = """
        prepare:
          split: 0.25
          seed: 20170428
        featurize:
          scale: 10.0
        train:
          lr: 0.5
          epochs: 40
        """

    static let dvcYAML = """
        stages:
          prepare:
            cmd: python3 src/prepare.py data/data.csv
            deps:
            - data/data.csv
            - src/prepare.py
            params:
            - prepare.seed
            - prepare.split
            outs:
            - data/prepared
          featurize:
            cmd: python3 src/featurize.py data/prepared data/features
            deps:
            - data/prepared
            - src/featurize.py
            params:
            - featurize.scale
            outs:
            - data/features
          train:
            cmd: python3 src/train.py data/features model.json
            deps:
            - data/features
            - src/train.py
            params:
            - train
            outs:
            - model.json
            plots:
            - eval/plots/loss.csv:
                x: epoch
                y: loss
          evaluate:
            cmd: python3 src/evaluate.py model.json data/features
            deps:
            - data/features
            - model.json
            - src/evaluate.py
            metrics:
            - eval/metrics.json:
                cache: false
            plots:
            - eval/plots/confusion.csv:
                template: confusion
                x: actual
                y: predicted
        plots:
        - eval/plots/loss.csv:
            x: epoch
            y: loss
        """

    static let scripts: [String: String] = [
        "src/params.py": """
            import json, re
            def load(section):
                # params.yaml is flat two-level YAML here; parsed with the standard library only.
                result, current = {}, None
                for line in open("params.yaml"):
                    if not line.strip(): continue
                    if not line.startswith(" "):
                        current = line.strip().rstrip(":"); continue
                    key, value = line.strip().split(":", 1)
                    if current == section: result[key.strip()] = float(value) if "." in value else int(value)
                return result
            """,
        "src/prepare.py": """
            import os, random, sys
            from params import load
            p = load("prepare")
            rows = open(sys.argv[1]).read().splitlines()[1:]
            random.seed(p["seed"])
            os.makedirs("data/prepared", exist_ok=True)
            with open("data/prepared/train.csv", "w") as train, open("data/prepared/test.csv", "w") as test:
                for row in rows:
                    (test if random.random() < p["split"] else train).write(row + "\\n")
            """,
        "src/featurize.py": """
            import os, sys
            from params import load
            scale = load("featurize")["scale"]
            os.makedirs(sys.argv[2], exist_ok=True)
            for name in ("train.csv", "test.csv"):
                with open(os.path.join(sys.argv[2], name), "w") as out:
                    for row in open(os.path.join(sys.argv[1], name)):
                        x1, x2, label = row.strip().split(",")
                        out.write("%.6f,%.6f,%s\\n" % (float(x1) / scale, float(x2) / scale, label))
            """,
        "src/train.py": """
            import json, math, os, sys
            from params import load
            p = load("train")
            rows = [list(map(float, r.split(","))) for r in open(os.path.join(sys.argv[1], "train.csv")).read().split()]
            w = [0.0, 0.0, 0.0]
            os.makedirs("eval/plots", exist_ok=True)
            with open("eval/plots/loss.csv", "w") as log:
                log.write("epoch,loss\\n")
                for epoch in range(p["epochs"]):
                    loss, grad = 0.0, [0.0, 0.0, 0.0]
                    for x1, x2, y in rows:
                        z = 1 / (1 + math.exp(-(w[0] + w[1] * x1 + w[2] * x2)))
                        loss -= y * math.log(z + 1e-12) + (1 - y) * math.log(1 - z + 1e-12)
                        for i, xi in enumerate((1.0, x1, x2)): grad[i] += (z - y) * xi
                    w = [wi - p["lr"] * g / len(rows) for wi, g in zip(w, grad)]
                    log.write("%d,%.6f\\n" % (epoch, loss / len(rows)))
            json.dump({"weights": [round(v, 8) for v in w]}, open(sys.argv[2], "w"), indent=2)
            """,
        "src/evaluate.py": """
            import json, math, os, sys
            w = json.load(open(sys.argv[1]))["weights"]
            rows = [list(map(float, r.split(","))) for r in open(os.path.join(sys.argv[2], "test.csv")).read().split()]
            os.makedirs("eval/plots", exist_ok=True)
            hits = 0
            with open("eval/plots/confusion.csv", "w") as out:
                out.write("actual,predicted\\n")
                for x1, x2, y in rows:
                    predicted = 1 if w[0] + w[1] * x1 + w[2] * x2 > 0 else 0
                    hits += predicted == int(y)
                    out.write("%d,%d\\n" % (int(y), predicted))
            json.dump({"accuracy": round(hits / len(rows), 6), "rows": len(rows)}, open("eval/metrics.json", "w"))
            """,
    ]

    /// 400 deterministic points of two overlapping classes.
    static func data() -> String {
        var state: UInt64 = 42
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var out = "x1,x2,label\n"
        for _ in 0..<400 {
            let label = next() < 0.5 ? 1 : 0
            let x1 = (next() * 6 - 3) + (label == 1 ? 2 : -2), x2 = (next() * 6 - 3) + (label == 1 ? 1 : -1)
            out += String(format: "%.4f,%.4f,%d\n", x1, x2, label)
        }
        return out
    }

    /// Writes the project's files into `root` (cairn.yaml when `pipelineName` says so, dvc.yaml for DVC).
    static func write(into root: String, pipelineName: String = "cairn.yaml") throws {
        var files = scripts
        files["params.yaml"] = params + "\n"
        files[pipelineName] = dvcYAML + "\n"
        files["data/data.csv"] = data()
        for (path, text) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
