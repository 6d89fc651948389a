/// The Git hook scripts `cairn install-hooks` writes. The same text is kept in `hooks/` at the top of the
/// repository (for reading and review); a unit test asserts the two are identical, byte for byte, so the
/// installed binary never needs the source tree.
public enum HookScripts {
    /// The hooks cairn installs, in the order `install-hooks` reports them.
    /// post-rewrite closes the gap post-checkout leaves on purpose: it does nothing during a rebase, so the
    /// data follows once the rebase has finished.
    public static let names = ["post-checkout", "post-merge", "post-rewrite", "post-commit", "pre-commit", "pre-push"]

    /// What each hook does, one line each, for `install-hooks --help` and `hook --help` (short enough that the
    /// help's 80 columns do not wrap them).
    public static let summaries: [(name: String, does: String)] = [
        ("post-checkout", "after a switch: check out data, remove data no longer tracked"),
        ("post-merge", "after a merge or pull: the same"),
        ("post-rewrite", "after a rebase has finished: the same"),
        ("post-commit", "index the new commit in .cairn/lineage.db"),
        ("pre-commit", "refuse staged pointers whose data differs or is not cached"),
        ("pre-push", "first push the data of every pushed commit to the remote"),
    ]

    /// The line that marks a hook as cairn's, so uninstall never removes a hook it did not write.
    public static func marker(_ name: String) -> String { "# cairn-managed-hook: \(name)" }

    /// Where a user's own hook is kept while cairn's is installed; cairn's script runs it first.
    public static func userHookName(_ name: String) -> String { name + ".cairn-user" }

    /// The script for hook `name`. POSIX sh only: git runs hooks with /bin/sh semantics on every platform.
    /// Hooks Git feeds on stdin (pre-push: the refs being pushed; post-rewrite: the rewritten commits).
    static let readsStdin: Set<String> = ["pre-push", "post-rewrite"]

    public static func script(_ name: String) -> String {
        // Both the user's hook and cairn need Git's stdin: keep a copy for each of them.
        let keepInput = readsStdin.contains(name)
        let saveInput = keepInput ? """
            input=$(mktemp "${TMPDIR:-/tmp}/cairn-hook.XXXXXX") || exit 1
            trap 'rm -f "$input"' EXIT
            cat > "$input"

            """ : ""
        let fromInput = keepInput ? " < \"$input\"" : ""
        let runCairn = keepInput ? "\"$cairn_bin\" hook \(name) \"$@\"\(fromInput)\nexit $?" : "exec \"$cairn_bin\" hook \(name) \"$@\""
        return """
        #!/bin/sh
        \(marker(name))
        # Installed by `cairn install-hooks`; `cairn uninstall-hooks` removes it and puts back the hook it replaced.
        # A hook that was here before is kept as \(userHookName(name)) and runs first; if it fails, so does this one.
        \(saveInput)user_hook="$(dirname "$0")/\(userHookName(name))"
        if [ -x "$user_hook" ]; then
            "$user_hook" "$@"\(fromInput) || exit $?
        fi
        # cairn from PATH, else the binary that installed the hooks (recorded in git config cairn.binary).
        cairn_bin=$(command -v cairn 2>/dev/null || git config --get cairn.binary 2>/dev/null)
        if [ -z "$cairn_bin" ] || [ ! -x "$cairn_bin" ]; then
            echo "cairn: \(name) hook skipped: cairn is not on PATH and git config cairn.binary names no program" >&2
            exit 0
        fi
        \(runCairn)

        """
    }
}
