"""On PostgreSQL the database itself keeps the trail append-only: whoever the application
connects as can insert records and seal a record once (seal and sequence set on a record
that has neither); any other UPDATE, and every DELETE, is refused by a trigger."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_record_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit records are append-only';
    END IF;
    IF OLD.seal <> '' OR NEW.seal = '' OR NEW.sequence IS NULL OR OLD.sequence IS NOT NULL
       OR (NEW.id, NEW.at, NEW.actor_id, NEW.actor_repr, NEW.action, NEW.object_type, NEW.object_id,
           NEW.object_repr, NEW.before::text, NEW.after::text, NEW.note)
          IS DISTINCT FROM
          (OLD.id, OLD.at, OLD.actor_id, OLD.actor_repr, OLD.action, OLD.object_type, OLD.object_id,
           OLD.object_repr, OLD.before::text, OLD.after::text, OLD.note)
    THEN
        RAISE EXCEPTION 'audit records are append-only (only an unsealed record may be sealed, once)';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_record_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS audit_record_append_only ON audit_auditrecord;
DROP FUNCTION IF EXISTS audit_record_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_keyed_chain_in_commit_order")]

    operations = [migrations.RunPython(forward, backward)]
