"""The speaker links of every participant, as they are now, into its recorded history rows.

Links were not recorded before 0003: a restore to an earlier point keeps them as they are now
(limited to the agenda items that exist at that point) rather than dropping them.
"""

from django.db import migrations


def snapshot_links(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    HistoricalParticipant = apps.get_model("safety", "HistoricalParticipant")
    Links = apps.get_model("safety", "HistoricalParticipant_agenda_items")
    through = Participant._meta.get_field("agenda_items").remote_field.through
    links = {}
    for link_id, participant_id, item_id in through.objects.values_list(
        "id", "participant_id", "agendaitem_id"
    ):
        links.setdefault(participant_id, []).append((link_id, item_id))
    records = (
        HistoricalParticipant.objects.filter(id__in=list(links))
        .exclude(history_type="-")
        .values_list("history_id", "id")
    )
    rows = [
        Links(id=link_id, history_id=history_id, participant_id=participant_id, agendaitem_id=item)
        for history_id, participant_id in records.iterator()
        for link_id, item in links[participant_id]
    ]
    Links.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0003_language_columns_only_and_speaker_links"),
    ]

    operations = [
        migrations.RunPython(snapshot_links, migrations.RunPython.noop),
    ]
