import Basics

/// A data file that merely ends in `.cairn` (a download named `weights.cairn`, say) is not a broken pointer: the
/// fix is to rename it, not to repair it. Recognised when the bytes have none of a pointer's required lines.
enum StrayDataHint {
    static func message(_ bytes: [UInt8], pointerPath: String, shown: (String) -> String, error: CairnError) -> CairnError {
        let looksLikePointer: Bool = {
            guard bytes.count <= 1 << 16, let text = String(validating: bytes, as: UTF8.self) else { return false }
            return text.split(separator: "\n").contains { $0.hasPrefix("format:") || $0.hasPrefix("id:") || $0.hasPrefix("path:") }
        }()
        // A refusal by the hardened reader (size, nesting, alias or node limits) says more than a rename hint.
        let limitRefusal = ["limit", "nested deeper", "mapping key"].contains { error.message.contains($0) }
        if looksLikePointer || limitRefusal { return error }
        let name = Paths.quoted(shown(pointerPath))
        return CairnError("\(name): not a cairn pointer file (names ending in .cairn are reserved for pointers); "
            + "if it is data, rename it (e.g. `mv \(name) \(name).data`) and `cairn add` it")
    }
}
