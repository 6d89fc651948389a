import Basics

/// Generated experiment names: adjective-noun (`brisk-heron`), short enough to type, unique among the
/// repository's experiments. 64 × 64 pairs; when they run out a number is added (`brisk-heron-2`).
public enum ExperimentNames {
    static let adjectives = [
        "amber", "ample", "azure", "bold", "brave", "brisk", "calm", "candid", "civic", "clear", "coral", "crisp",
        "deft", "eager", "early", "even", "fair", "fast", "fleet", "fresh", "gentle", "glad", "grand", "green",
        "happy", "hardy", "ivory", "jolly", "keen", "kind", "lively", "lucid", "lunar", "merry", "mild", "modest",
        "neat", "noble", "olive", "plain", "polar", "proud", "quick", "quiet", "rapid", "ready", "regal", "rosy",
        "ruby", "rustic", "sandy", "sharp", "shiny", "silent", "sleek", "solar", "sound", "spry", "steady", "sunny",
        "swift", "tidy", "vivid", "witty",
    ]
    static let nouns = [
        "acorn", "alder", "aspen", "badger", "basin", "beacon", "birch", "bison", "brook", "canyon", "cedar",
        "comet", "crane", "creek", "delta", "dune", "eagle", "ember", "falcon", "fern", "finch", "fjord", "fox",
        "glade", "grove", "harbor", "hare", "hawk", "heron", "island", "lark", "ledge", "lynx", "maple", "marsh",
        "meadow", "mesa", "moss", "oak", "orca", "osprey", "otter", "owl", "peak", "pine", "plover", "quail",
        "raven", "reef", "ridge", "river", "robin", "sage", "shore", "sparrow", "spruce", "stone", "summit", "swan",
        "thrush", "tide", "vale", "willow", "wren",
    ]

    /// A name no experiment in `taken` has. `seed` makes the choice reproducible in tests; by default random.
    public static func generate(taken: Set<String>, seed: UInt64 = UInt64.random(in: 0...UInt64.max)) -> String {
        var state = seed
        for _ in 0..<256 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let a = adjectives[Int((state >> 33) % UInt64(adjectives.count))]
            let n = nouns[Int((state >> 17) % UInt64(nouns.count))]
            let name = "\(a)-\(n)"
            if !taken.contains(name) { return name }
        }
        var number = 2
        let base = "\(adjectives[Int(seed % 64)])-\(nouns[Int((seed / 64) % 64)])"
        while taken.contains("\(base)-\(number)") { number += 1 }
        return "\(base)-\(number)"
    }
}
