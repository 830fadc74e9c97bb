"""The one site-settings record, with the publisher as the seed names it, in both languages."""

from django.db import migrations

INTRODUCTION_JA = (
    "日本国自治体国際化協会（CLAIR）は、日中両国における地域間交流を一層推進するため、"
    "中国外交部等関係政府機関、地方政府、日本国大使館、在中国自治体事務所等と連携し、"
    "「日中地域間交流推進セミナー」を毎年、中国各都市で開催しています。"
    "日中間の交流がこれまでの友好親善を目的としたものに加え、課題解決型の交流が重視されるように"
    "なる中で、日中地方政府間の対話をより強化し、地方が抱える日中の共通課題や解決のノウハウを"
    "共有できるような地域間交流の場を提供していきます。"
)
INTRODUCTION_ZH = (
    "为进一步推进中日两国地区间交流，日本国自治体国际化协会（CLAIR）与中国外交部等相关政府机关、"
    "地方政府、日本国驻华大使馆、日本地方政府驻华办事处等合作，每年在中国各城市举办"
    "“中日地区间交流推进研讨会”。中日之间的交流在以往以友好亲善为目的的基础上，日益重视以解决"
    "课题为导向的交流。在此背景下，研讨会将进一步加强中日地方政府间的对话，搭建地区间交流平台，"
    "使双方能够分享地方所面临的中日共同课题及解决经验。"
)


def create_record(apps, schema_editor):
    SiteSettings = apps.get_model("seminars", "SiteSettings")
    values = {
        "publisher_name_ja": "日本国自治体国際化協会",
        "publisher_name_zh_hans": "日本国自治体国际化协会",
        "short_name_ja": "CLAIR",
        "short_name_zh_hans": "CLAIR",
        "publisher_url": "https://www.clair.or.jp/",
        "introduction_ja": INTRODUCTION_JA,
        "introduction_zh_hans": INTRODUCTION_ZH,
        "contact_url": "https://www.clair.or.jp/",
        "copyright_ja": "© 日本国自治体国際化協会（CLAIR）",
        "copyright_zh_hans": "© 日本国自治体国际化协会（CLAIR）",
    }
    # The bare columns (modeltranslation's) hold the default language.
    for name in ("publisher_name", "short_name", "introduction", "copyright"):
        values[name] = values[f"{name}_ja"]
    SiteSettings.objects.get_or_create(pk=1, defaults=values)


class Migration(migrations.Migration):
    dependencies = [
        ("seminars", "0007_sessions_coordinates_photos_site_settings"),
    ]

    operations = [migrations.RunPython(create_record, migrations.RunPython.noop)]
