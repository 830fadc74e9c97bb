"""Database-enforced invariant: an agenda item's date lies within its seminar's dates.

A CHECK constraint cannot look at another table, so this is a trigger on both databases.
A seminar without a start date leaves its agenda dates free; without an end date it is one day.
"""

from django.db import migrations

VIOLATION = "seminars_agendaitem_date_in_seminar"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER {VIOLATION}_{event.lower()} BEFORE {event} ON seminars_agendaitem
    FOR EACH ROW WHEN EXISTS (
        SELECT 1 FROM seminars_seminar s WHERE s.id = NEW.seminar_id
        AND s.start_date IS NOT NULL
        AND (NEW.date < s.start_date OR NEW.date > COALESCE(s.end_date, s.start_date))
    )
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {VIOLATION}'); END;
    """
    for event in ("INSERT", "UPDATE")
] + [
    f"""
    CREATE TRIGGER {VIOLATION}_seminar_update BEFORE UPDATE ON seminars_seminar
    FOR EACH ROW WHEN NEW.start_date IS NOT NULL AND EXISTS (
        SELECT 1 FROM seminars_agendaitem a WHERE a.seminar_id = NEW.id
        AND (a.date < NEW.start_date OR a.date > COALESCE(NEW.end_date, NEW.start_date))
    )
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {VIOLATION}'); END;
    """
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {VIOLATION}_{suffix};" for suffix in ("insert", "update", "seminar_update")
]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION {VIOLATION}_item() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM seminars_seminar s WHERE s.id = NEW.seminar_id
            AND s.start_date IS NOT NULL
            AND (NEW.date < s.start_date OR NEW.date > COALESCE(s.end_date, s.start_date))
        ) THEN
            RAISE EXCEPTION 'agenda item date outside its seminar''s dates'
                USING ERRCODE = 'check_violation', CONSTRAINT = '{VIOLATION}';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER {VIOLATION}_item BEFORE INSERT OR UPDATE ON seminars_agendaitem
    FOR EACH ROW EXECUTE FUNCTION {VIOLATION}_item();
    """,
    f"""
    CREATE FUNCTION {VIOLATION}_seminar() RETURNS trigger AS $$
    BEGIN
        IF NEW.start_date IS NOT NULL AND EXISTS (
            SELECT 1 FROM seminars_agendaitem a WHERE a.seminar_id = NEW.id
            AND (a.date < NEW.start_date OR a.date > COALESCE(NEW.end_date, NEW.start_date))
        ) THEN
            RAISE EXCEPTION 'seminar dates exclude some of its agenda items'
                USING ERRCODE = 'check_violation', CONSTRAINT = '{VIOLATION}';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER {VIOLATION}_seminar BEFORE UPDATE ON seminars_seminar
    FOR EACH ROW EXECUTE FUNCTION {VIOLATION}_seminar();
    """,
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {VIOLATION}_item ON seminars_agendaitem;",
    f"DROP TRIGGER IF EXISTS {VIOLATION}_seminar ON seminars_seminar;",
    f"DROP FUNCTION IF EXISTS {VIOLATION}_item();",
    f"DROP FUNCTION IF EXISTS {VIOLATION}_seminar();",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("seminars", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
