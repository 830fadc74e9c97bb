"""The seminar's admin change form as a browser posts it, with one new photo row."""

from django.urls import reverse

from tests.admin_forms import admin_form_data


def seminar_form_url(seminar):
    return reverse("admin:seminars_seminar_change", args=[seminar.pk])


def seminar_form(client, seminar):
    """The change URL of `seminar` and its form data; existing images are submitted as
    "unchanged" (no file part), as a browser does."""
    url = seminar_form_url(seminar)
    data = admin_form_data(client.get(url))
    unchanged = {
        k: v for k, v in data.items() if not (k.endswith("-image") and not isinstance(v, str))
    }
    return url, unchanged


def with_new_photo(client, seminar, upload, caption_ja, caption_zh_hans):
    """(url, data, n): the form with a photo row `n` (order 99) uploading `upload`."""
    url, data = seminar_form(client, seminar)
    n = int(data["photos-TOTAL_FORMS"])
    data.update(
        {
            "photos-TOTAL_FORMS": str(n + 1),
            f"photos-{n}-caption_ja": caption_ja,
            f"photos-{n}-caption_zh_hans": caption_zh_hans,
            f"photos-{n}-order": "99",
            f"photos-{n}-seminar": str(seminar.pk),
            f"photos-{n}-image": upload,
        }
    )
    return url, data, n
