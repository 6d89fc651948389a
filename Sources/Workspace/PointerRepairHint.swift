import Basics

/// The two ways a well-meant Git command breaks a pointer, each with the command that fixes it: a merge that
/// changed the data on both sides leaves conflict markers, and `git mv x.cairn y.cairn` moves the pointer
/// but not its data (the pointer still names `x`). Messages are one line; paths are spelled by `shown`.
enum PointerRepairHint {
    /// The message for a pointer holding Git's merge-conflict markers, or nil when it has none.
    static func conflict(_ bytes: [UInt8], pointerPath: String, shown: (String) -> String) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.contains(where: { $0.hasPrefix("<<<<<<< ") || $0 == "<<<<<<<" }),
              lines.contains(where: { $0.hasPrefix(">>>>>>> ") || $0 == ">>>>>>>" }) else { return nil }
        let pointer = Shell.quoted(shown(pointerPath))
        let data = Shell.quoted(shown(String(pointerPath.dropLast(PointerFile.suffix.count))))
        return "\(shown(pointerPath)): has Git merge-conflict markers (both sides of a merge changed this data);"
            + " keep one version: git checkout --ours \(pointer) && cairn checkout \(data)"
            + " (or --theirs for the other side)"
    }

    /// The message for a pointer that is valid except that its `path` names other data (it was moved or
    /// copied by hand), or nil when that is not the problem.
    static func misplaced(_ bytes: [UInt8], pointerPath: String, root: String, shown: (String) -> String) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self),
              // Through the one loader with its limits: a hostile pointer must not crash the hint either.
              let map = (try? StructuredFileLoader.parseYAML(text, file: pointerPath, limits: .pointer)) as? [String: Any],
              let recorded = map["path"] as? String, Paths.unsafeReason(recorded) == nil, !recorded.contains("/"),
              (try? PointerFile.decode(text, file: pointerPath, expectedName: recorded)) != nil else { return nil }
        let dataPath = String(pointerPath.dropLast(PointerFile.suffix.count))
        let name = Paths.basename(dataPath)
        guard recorded != name else { return nil }
        let directory = Paths.parent(dataPath)
        let original = directory.isEmpty ? recorded : directory + "/" + recorded
        let head = "\(shown(pointerPath)): its 'path' is '\(recorded)' but the pointer is named for '\(name)'"
        if FS.exists(Paths.join(root, original + PointerFile.suffix)) {
            // A copy: the original still has its pointer, so moving is not what happened.
            return head + " (a copy of \(shown(original + PointerFile.suffix))?); edit its 'path:' line to"
                + " '\(name)' and run: cairn checkout \(Shell.quoted(shown(dataPath)))"
        }
        return head + " (moved with git mv?); finish the move with: cairn mv"
            + " \(Shell.quoted(shown(original))) \(Shell.quoted(shown(dataPath)))"
    }
}
