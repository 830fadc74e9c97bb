from django.db import migrations


def positions_with_their_body(apps, schema_editor):
    """A position used to be shown after the affiliation (長野県須坂市 + 市長); it is now shown on
    its own. Keep what pages show: put the affiliation into the position where it is not there
    yet, without the doubled 市 of 長野県須坂市市長 in Japanese (Chinese writes 须坂市市长)."""
    participant = apps.get_model("participants", "Participant")
    for person in participant.objects.all():
        changed = False
        for suffix in ("ja", "zh_hans"):
            body = (getattr(person, f"organization_{suffix}") or "").strip()
            position = (getattr(person, f"position_{suffix}") or "").strip()
            if not body or not position or body in position:
                continue
            if suffix == "ja" and body[-1] == position[0] and body[-1] in "都道府県市区町村":
                position = position[1:]
            setattr(person, f"position_{suffix}", body + position)
            changed = True
        if changed:
            person.save()


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0006_affiliation_label"),
    ]

    operations = [
        migrations.RunPython(positions_with_their_body, migrations.RunPython.noop),
    ]
