"""On PostgreSQL, the database itself refuses to change or delete audit rows.

The application's own guards (AuditEvent.save/delete, AppendOnlyQuerySet) stop mistakes in the
code; this trigger stops anyone holding the application's database role, whatever client they
use. The one UPDATE it lets through is the appender's: giving a pending row (seq IS NULL) its
seq, prev_hash and entry_hash, with every other column unchanged — compared as the whole row
minus those three columns, so a column added later is protected without changing the trigger.

TRUNCATE and DROP are not row operations; the role must simply not have them (README: the
application role is not the table's owner and is granted SELECT, INSERT and UPDATE of those
three columns only). SQLite has no such roles; the trigger is PostgreSQL-only.
"""

from django.db import migrations

FUNCTION = "audit_auditevent_append_only"
TRIGGER = "audit_auditevent_append_only"

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '审计记录不可删除' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND to_jsonb(NEW) - 'seq' - 'prev_hash' - 'entry_hash'
           = to_jsonb(OLD) - 'seq' - 'prev_hash' - 'entry_hash' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '审计记录不可修改' USING ERRCODE = 'insufficient_privilege';
END;
$$
"""
CREATE_TRIGGER = f"""
CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()
"""

DROP = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_auditevent",
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION, params=None)
        schema_editor.execute(CREATE_TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_keyed_chain")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
