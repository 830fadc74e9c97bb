"""The two pages of the static copy that the site itself never serves: the root page, which
offers both languages (and follows the browser's where scripts run), and the bilingual 404 page
for the server's error page. Links are absolute under the copy's base path, so both pages work
wherever the server shows them."""

from django.template.loader import render_to_string

LANGUAGES = (("ja", "ja", "日本語"), ("zh-hans", "zh-Hans", "简体中文"))


def context(base_path):
    return {
        "base_path": base_path,
        "languages": [
            {"code": code, "html_lang": html_lang, "name": name, "url": f"{base_path}/{code}/"}
            for code, html_lang, name in LANGUAGES
        ],
    }


def index_page(base_path):
    return render_to_string("seminars/takeaway/static_index.html", context(base_path)).encode()


def not_found_page(base_path):
    return render_to_string("seminars/takeaway/static_404.html", context(base_path)).encode()
