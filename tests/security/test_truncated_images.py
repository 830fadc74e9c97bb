"""A truncated image is refused even after WeasyPrint, which tells Pillow to accept truncated
images in the whole process when it is imported, has rendered a PDF in the same worker."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from seminars.media.uploads import reencode_image
from tests.security import images

TRUNCATED = {
    "jpeg": images.image_bytes("JPEG", size=(400, 300))[:600],
    "png_header_only": images.png_header_only(1_000_000, 1),
}


@pytest.fixture
def weasyprint_imported():
    """What a worker that has served a PDF has done: imported WeasyPrint (and rendered)."""
    from seminars.takeaway import pdf

    if pdf.unavailable_reason() is None:
        pdf.render_pdf("seminars/takeaway/pdf_unavailable.html", {"reason": ""})
    else:  # without the system libraries the import alone already flips the flag
        import weasyprint  # noqa: F401


@pytest.mark.parametrize("name", list(TRUNCATED))
def test_truncated_upload_is_refused_after_a_pdf(db, weasyprint_imported, name):
    from PIL import ImageFile

    upload = SimpleUploadedFile(f"{name}.png", TRUNCATED[name])

    with pytest.raises(ValidationError) as refused:
        reencode_image(upload)

    assert refused.value.code == "invalid_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
