/// The schema of `.cairn/lineage.db`, described with its reasons in docs/formats-lineage.md. Steps are
/// append-only: a released step never changes; a new schema is a new step.
enum LineageSchema {
    static let migrations: [SchemaMigration] = [
        SchemaMigration(version: 1, sql: """
            CREATE TABLE commits (
                sha          TEXT    NOT NULL PRIMARY KEY CHECK (length(sha) = 40),
                author_name  TEXT    NOT NULL,
                author_email TEXT    NOT NULL,
                time         INTEGER NOT NULL,
                time_offset  INTEGER NOT NULL DEFAULT 0,
                subject      TEXT    NOT NULL,
                indexed      INTEGER NOT NULL DEFAULT 0 CHECK (indexed IN (0, 1))
            ) WITHOUT ROWID;

            CREATE TABLE commit_parents (
                sha        TEXT    NOT NULL REFERENCES commits (sha) ON DELETE CASCADE,
                position   INTEGER NOT NULL,
                parent_sha TEXT    NOT NULL CHECK (length(parent_sha) = 40),
                PRIMARY KEY (sha, position)
            ) WITHOUT ROWID;
            CREATE INDEX commit_parents_by_parent ON commit_parents (parent_sha);

            CREATE TABLE versions (
                id                 INTEGER PRIMARY KEY,
                path               TEXT    NOT NULL,
                object_id          BLOB    NOT NULL CHECK (length(object_id) = 32),
                type               TEXT    NOT NULL,
                size               INTEGER NOT NULL,
                files              INTEGER NOT NULL,
                kind               TEXT,
                description        TEXT,
                previous_object_id BLOB    CHECK (previous_object_id IS NULL OR length(previous_object_id) = 32),
                commit_sha         TEXT    REFERENCES commits (sha) ON DELETE CASCADE,
                recorded_at        INTEGER NOT NULL,
                UNIQUE (path, object_id, commit_sha)
            );
            CREATE UNIQUE INDEX versions_one_pending_per_path ON versions (path) WHERE commit_sha IS NULL;
            CREATE INDEX versions_by_object ON versions (object_id);
            CREATE INDEX versions_by_commit ON versions (commit_sha);
            CREATE INDEX versions_by_previous ON versions (path, previous_object_id)
                WHERE previous_object_id IS NOT NULL;

            CREATE TABLE runs (
                id          INTEGER PRIMARY KEY,
                stage       TEXT    NOT NULL,
                command     TEXT    NOT NULL,
                commit_sha  TEXT    CHECK (commit_sha IS NULL OR length(commit_sha) = 40),
                started_at  INTEGER NOT NULL,
                finished_at INTEGER,
                status      TEXT    NOT NULL CHECK (status IN ('running', 'succeeded', 'failed'))
            );
            CREATE INDEX runs_by_stage ON runs (stage);

            CREATE TABLE run_io (
                run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                role      TEXT    NOT NULL CHECK (role IN ('input', 'output')),
                path      TEXT    NOT NULL,
                object_id BLOB    NOT NULL CHECK (length(object_id) = 32),
                PRIMARY KEY (run_id, role, path)
            ) WITHOUT ROWID;
            CREATE INDEX run_io_by_version ON run_io (path, object_id, role);
            """),
        // Version 2 (issue 10): what a pipeline run records beyond its inputs and outputs, and runs read back from
        // cairn.lock files. Every commit is marked for re-indexing so that runs of lock files already in history
        // appear (re-indexing a commit is idempotent).
        SchemaMigration(version: 2, sql: """
            ALTER TABLE runs ADD COLUMN lock_path TEXT NOT NULL DEFAULT '';
            ALTER TABLE runs ADD COLUMN origin TEXT NOT NULL DEFAULT 'recorded' CHECK (origin IN ('recorded', 'lock'));
            ALTER TABLE runs ADD COLUMN head_sha TEXT CHECK (head_sha IS NULL OR length(head_sha) = 40);
            ALTER TABLE runs ADD COLUMN exit_code INTEGER;
            ALTER TABLE runs ADD COLUMN restored INTEGER NOT NULL DEFAULT 0 CHECK (restored IN (0, 1));
            ALTER TABLE runs ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
            ALTER TABLE runs ADD COLUMN cairn_version TEXT;
            ALTER TABLE runs ADD COLUMN os TEXT;
            ALTER TABLE runs ADD COLUMN machine TEXT;
            CREATE INDEX runs_by_commit ON runs (commit_sha);
            CREATE UNIQUE INDEX runs_one_per_lock_entry ON runs (commit_sha, lock_path, stage) WHERE origin = 'lock';
            UPDATE commits SET indexed = 0;
            """),
        // Version 3 (issue 11): the environment a recorded run ran in (RunEnvironment's one-line JSON, format 1:
        // cairn version, OS, kernel, architecture, programs and versions, Python packages, referenced variables).
        // Runs recorded before have none; lock runs only when their commit is an experiment's (its trailers).
        SchemaMigration(version: 3, sql: "ALTER TABLE runs ADD COLUMN environment TEXT;"),
    ]
}
