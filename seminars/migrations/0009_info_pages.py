"""The site's information pages (site policy, privacy, accessibility), one of each kind, created
with their text in Japanese and Simplified Chinese (edited in the admin afterwards)."""

from django.db import migrations, models

PAGES = {
    "site_policy": {
        "ja": (
            "サイトポリシー",
            "このサイトは、日本国自治体国際化協会（CLAIR）が開催する「日中地域間交流推進セミナー」の"
            "記録を、日本語と中国語（簡体字）で公開するものです。\n\n"
            "## 掲載内容について\n"
            "掲載している情報は、各回のセミナーの開催時点のものです。正確な情報の掲載に努めていますが、"
            "その内容を保証するものではありません。このサイトの利用により生じたいかなる損害についても、"
            "責任を負いかねます。\n\n"
            "## 著作権について\n"
            "このサイトの文章・写真・図等の著作権は、日本国自治体国際化協会または原著作者に帰属します。"
            "私的使用や引用など著作権法で認められた範囲を超えて利用する場合は、事前にお問い合わせください。"
            "オープンデータのページで提供するデータは、そのページに示す条件で利用できます。\n\n"
            "## リンクについて\n"
            "このサイトへのリンクは原則として自由です。ただし、内容を誤解させるようなリンクや、"
            "フレーム内での表示はご遠慮ください。リンク先の外部サイトの内容については責任を負いません。"
        ),
        "zh_hans": (
            "网站政策",
            "本网站以日文和简体中文公开日本国自治体国际化协会（CLAIR）举办的"
            "“中日地区间交流推进研讨会”的记录。\n\n"
            "## 关于刊载内容\n"
            "本网站刊载的信息为各届研讨会举办时的信息。我们力求刊载准确的信息，但不保证其内容。"
            "对于因使用本网站而产生的任何损失，恕不承担责任。\n\n"
            "## 关于著作权\n"
            "本网站的文字、照片、图表等的著作权归日本国自治体国际化协会或原作者所有。"
            "超出个人使用、引用等著作权法允许范围使用时，请事先与我们联系。"
            "开放数据页面提供的数据可按该页面所示条件使用。\n\n"
            "## 关于链接\n"
            "原则上可自由链接本网站。但请勿设置可能导致误解内容的链接，或在框架内显示本网站。"
            "对于链接目标外部网站的内容，我们不承担责任。"
        ),
    },
    "privacy": {
        "ja": (
            "プライバシーポリシー",
            "このサイトの公開ページは、閲覧者の個人情報を収集しません。\n\n"
            "## Cookie（クッキー）について\n"
            "公開ページは、閲覧者のブラウザにCookieを保存しません。アクセス解析ツールや広告、"
            "外部サービスの計測用プログラムも使用していません。\n"
            "Cookieを使用するのは、記録を編集する職員がログインする管理画面だけです"
            "（ログイン状態を保つセッションCookie、不正な送信を防ぐCSRF Cookie、"
            "管理画面の表示言語を記憶するCookie）。\n\n"
            "## サーバーの記録について\n"
            "サイトを安全に運用するため、ウェブサーバーは通常のアクセス記録（日時、要求されたページ、"
            "IPアドレス等）を一定期間保存することがあります。これらは運用と安全確保の目的以外には"
            "使用しません。\n\n"
            "## お問い合わせ\n"
            "お問い合わせいただいた際の個人情報は、回答のためにのみ使用し、"
            "日本国自治体国際化協会の個人情報保護方針に従って取り扱います。"
        ),
        "zh_hans": (
            "隐私政策",
            "本网站的公开页面不收集浏览者的个人信息。\n\n"
            "## 关于Cookie\n"
            "公开页面不会在浏览者的浏览器中保存Cookie，也不使用访问分析工具、广告或外部服务的统计程序。\n"
            "仅在编辑记录的工作人员登录的管理页面中使用Cookie"
            "（保持登录状态的会话Cookie、防止非法提交的CSRF Cookie、记住管理页面显示语言的Cookie）。\n\n"
            "## 关于服务器记录\n"
            "为安全运营本网站，网络服务器可能会在一定期间内保存一般的访问记录"
            "（日期时间、所请求的页面、IP地址等）。这些记录仅用于运营和保障安全。\n\n"
            "## 咨询\n"
            "您咨询时提供的个人信息仅用于答复，并按照日本国自治体国际化协会的个人信息保护方针处理。"
        ),
    },
    "accessibility": {
        "ja": (
            "ウェブアクセシビリティ方針",
            "日本国自治体国際化協会は、高齢者や障害のある方を含め、誰もがこのサイトを利用できるよう、"
            "ウェブアクセシビリティの確保と向上に取り組んでいます。\n\n"
            "## 目標とする適合レベル\n"
            "日本産業規格 JIS X 8341-3:2016「高齢者・障害者等配慮設計指針－情報通信における機器，"
            "ソフトウェア及びサービス－第3部：ウェブコンテンツ」の適合レベルAAに準拠することを"
            "目標とします。対象は、このサイトの日本語と中国語（簡体字）の公開ページです。\n\n"
            "## 試験の方法\n"
            "公開ページを、Chromium上の自動試験ツールaxeで確認し、"
            "キーボードだけで全てのリンクと操作に到達できることを確かめています。"
            "画面の幅（スマートフォンからパソコンまで）と印刷での表示も確認しています。\n\n"
            "## 既知の制約\n"
            "過去の回の写真や資料には、元の記録に説明がなく、代替テキストが十分でないものがあります。"
            "PDFは印刷用の資料で、ウェブページと同じ内容をHTMLでも掲載しています。"
            "自動試験で見つからない問題もあり得るため、支援技術を用いた人による試験は今後の課題です。\n\n"
            "お気付きの点がありましたら、ページ下部の連絡先までお知らせください。"
        ),
        "zh_hans": (
            "网页无障碍方针",
            "日本国自治体国际化协会致力于确保和提高网页无障碍水平，"
            "使包括老年人和残障人士在内的所有人都能使用本网站。\n\n"
            "## 目标符合等级\n"
            "以符合日本工业标准 JIS X 8341-3:2016《面向老年人和残障人士的设计指南——信息通信中的设备、"
            "软件和服务——第3部分：网页内容》的AA级为目标。对象为本网站日文和简体中文的公开页面。\n\n"
            "## 测试方法\n"
            "我们在Chromium上使用自动测试工具axe检查公开页面，并确认仅用键盘即可到达所有链接和操作。"
            "同时检查了不同屏幕宽度（从智能手机到电脑）及打印时的显示。\n\n"
            "## 已知的限制\n"
            "往届的部分照片和资料在原始记录中没有说明，替代文本不够充分。"
            "PDF为打印用资料，相同内容也以HTML网页刊载。"
            "自动测试可能无法发现所有问题，由使用辅助技术的人员进行测试是今后的课题。\n\n"
            "如有任何意见，请通过页面底部的联系方式告知我们。"
        ),
    },
}


def create_pages(apps, schema_editor):
    InfoPage = apps.get_model("seminars", "InfoPage")
    for kind, texts in PAGES.items():
        (title_ja, body_ja), (title_zh, body_zh) = texts["ja"], texts["zh_hans"]
        InfoPage.objects.get_or_create(
            kind=kind,
            defaults={
                # The bare columns (modeltranslation's) hold the default language.
                "title": title_ja,
                "body": body_ja,
                "title_ja": title_ja,
                "body_ja": body_ja,
                "title_zh_hans": title_zh,
                "body_zh_hans": body_zh,
            },
        )


class Migration(migrations.Migration):

    dependencies = [
        ('seminars', '0008_site_settings_record'),
    ]

    operations = [
        migrations.CreateModel(
            name='InfoPage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('site_policy', 'site policy'), ('privacy', 'privacy policy'), ('accessibility', 'accessibility statement')], max_length=20, unique=True, verbose_name='kind')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('title_ja', models.CharField(max_length=200, null=True, verbose_name='title')),
                ('title_zh_hans', models.CharField(max_length=200, null=True, verbose_name='title')),
                ('body', models.TextField(help_text='Plain text; an empty line starts a new paragraph, and a paragraph whose first line starts with “## ” has that line as its heading.', verbose_name='body')),
                ('body_ja', models.TextField(help_text='Plain text; an empty line starts a new paragraph, and a paragraph whose first line starts with “## ” has that line as its heading.', null=True, verbose_name='body')),
                ('body_zh_hans', models.TextField(help_text='Plain text; an empty line starts a new paragraph, and a paragraph whose first line starts with “## ” has that line as its heading.', null=True, verbose_name='body')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
            ],
            options={
                'verbose_name': 'information page',
                'verbose_name_plural': 'information pages',
                'ordering': ['kind'],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['site_policy', 'privacy', 'accessibility'])), name='seminars_infopage_kind_valid')],
            },
        ),
        migrations.RunPython(create_pages, migrations.RunPython.noop),
    ]
