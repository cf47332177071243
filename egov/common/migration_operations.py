"""Migration operations that keep a live province's database writable while they run."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations import AddIndex


class AddIndexWithoutLocking(AddIndexConcurrently):
    """``CREATE INDEX CONCURRENTLY`` on PostgreSQL: building an index over millions of dossiers
    takes seconds to minutes, and a plain CREATE INDEX blocks every write to the table for
    that long (citizens could not file, officers could not hand over). Other databases build
    it the ordinary way. The migration that uses it must say ``atomic = False``."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            # A concurrent build that failed half-way leaves an invalid index of this name
            # behind and the migration unrecorded: clear it, so that running again just works.
            self._ensure_not_in_transaction(schema_editor)
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(self.index.name)}")
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
