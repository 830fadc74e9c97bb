"""Make the web size and thumbnail of photos uploaded before renditions existed (run once after
deploying them; photos that have a thumbnail are left alone)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from seminars.management.staff import StaffCommand
from seminars.models import Photo


class Command(StaffCommand):
    help = gettext_lazy(
        "Make the web size and thumbnail of every photo that has an image and no thumbnail."
    )

    def handle(self, *args, **options):
        done = 0
        for photo in Photo.objects.exclude(image="").filter(thumbnail="").order_by("pk"):
            if not photo.image.storage.exists(photo.image.name):
                self.stderr.write(
                    _("Photo %(pk)s: %(file)s is missing; skipped.")
                    % {"pk": photo.pk, "file": photo.image.name}
                )
                continue
            with photo.image.open("rb") as stored:
                content = stored.read()
            with transaction.atomic():  # the replaced file leaves the storage after the commit
                photo._upload_name = photo.original_name or photo.image.name.rsplit("/", 1)[-1]
                photo.image = SimpleUploadedFile(photo.image.name.rsplit("/", 1)[-1], content)
                photo.save()
            done += 1
        self.stdout.write(
            ngettext(
                "%(count)d photo given a web size and a thumbnail.",
                "%(count)d photos given a web size and a thumbnail.",
                done,
            )
            % {"count": done}
        )
