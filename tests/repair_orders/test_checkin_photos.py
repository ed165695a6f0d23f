"""Photos of damage marks on the check-in tab: taken with the mark or added to it later, shown as thumbnails
next to the mark; a file that is not a picture, or is too large, is refused with a message and stores nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from repair_orders.models import DamageMark, Photo, RepairOrderEvent
from repair_orders.services import damage_mark_add
from repair_orders.services.photos import MAX_PHOTO_BYTES
from servicedesk.accounts.roles import ADVISOR
from tests.factories import make_staff

from .helpers import open_ro, repair_order_fixture  # noqa: F401 (fixture)
from .test_photos import jpeg_bytes

pytestmark = pytest.mark.django_db

MARK = {"x": "30", "y": "45", "kind": "dent", "note": "右后门凹陷"}


def upload(name="IMG_1.jpg", content=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, jpeg_bytes() if content is None else content, content_type=content_type)


def post(client, name, repair_order, data):
    return client.post(reverse(f"repair_orders:{name}", args=[repair_order.pk]), data, HTTP_HX_REQUEST="true")


def test_a_mark_is_saved_with_the_photos_taken_and_shows_their_thumbnails(advisor_client, repair_order):
    response = post(advisor_client, "damage_add", repair_order,
                    {**MARK, "photos": [upload("a.jpg"), upload("b.png", jpeg_bytes(fmt="PNG"), "image/png")]})
    mark = DamageMark.objects.get(repair_order=repair_order)
    photos = list(Photo.objects.filter(damage_mark=mark))
    assert len(photos) == 2 and all(photo.image.name.endswith(".jpg") for photo in photos)
    html = response.content.decode()
    for photo in photos:
        assert reverse("ro_additional:photo", args=[photo.pk]) in html
    assert f'id="damage-item-{mark.pk}"' in html and 'class="damage-thumb' in html
    event = RepairOrderEvent.objects.get(repair_order=repair_order, kind="damage_mark_added")
    assert event.data["photos"] == [photo.pk for photo in photos]
    page = advisor_client.get(reverse("repair_orders:detail", args=[repair_order.pk])).content.decode()
    assert reverse("ro_additional:photo", args=[photos[0].pk]) in page
    assert 'accept="image/*" capture="environment" multiple' in page  # the tablet's camera


@pytest.mark.parametrize("bad, message", [
    (upload("notes.txt", b"not a picture at all", "text/plain"),
     "This file is not a photo we can read; send a JPEG, PNG or WebP picture."),
    (upload("huge.jpg", b"\xff" * (MAX_PHOTO_BYTES + 1)), "The photo is larger than %(mb)s MB; send a smaller one."),
])
def test_a_bad_file_refuses_the_mark_and_says_why(advisor_client, repair_order, bad, message):
    response = post(advisor_client, "damage_add", repair_order, {**MARK, "photos": [upload(), bad]})
    html = response.content.decode()
    expected = _(message) % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)} if "%(mb)s" in message else _(message)
    assert response.status_code == 200 and 'id="damage-error"' in html and expected in html
    assert 'value="右后门凹陷"' in html  # the form stays open with what was typed
    assert not DamageMark.objects.exists() and not Photo.objects.exists()


def test_photos_are_added_to_a_mark_already_on_the_diagram(advisor_client, repair_order, advisor):
    mark = damage_mark_add(repair_order=repair_order, x=10, y=10, kind="scratch", actor=advisor)
    response = post(advisor_client, "damage_photos", repair_order, {"mark": mark.pk, "photos": [upload(), upload()]})
    assert response.status_code == 200 and mark.photos.count() == 2
    assert RepairOrderEvent.objects.filter(repair_order=repair_order, kind="photo_added").count() == 2
    refused = post(advisor_client, "damage_photos", repair_order,
                   {"mark": mark.pk, "photos": [upload(), upload("x.gif", b"GIF89a-broken", "image/gif")]})
    assert 'id="damage-error"' in refused.content.decode() and mark.photos.count() == 2  # none of the two
    nothing = post(advisor_client, "damage_photos", repair_order, {"mark": mark.pk})
    assert _("Choose a photo.") in nothing.content.decode()


def test_another_sites_mark_or_a_viewer_cannot_take_photos(advisor_client, site, other_site, advisor, technician):
    theirs = open_ro(other_site, make_staff(role=ADVISOR, sites=[other_site]))
    mark = damage_mark_add(repair_order=theirs, x=10, y=10, kind="scratch", actor=theirs.advisor)
    assert post(advisor_client, "damage_photos", theirs, {"mark": mark.pk, "photos": [upload()]}).status_code == 404
    mine = open_ro(site, advisor)
    own_mark = damage_mark_add(repair_order=mine, x=10, y=10, kind="scratch", actor=advisor)
    advisor_client.force_login(technician)
    assert post(advisor_client, "damage_photos", mine, {"mark": own_mark.pk, "photos": [upload()]}).status_code == 403
    assert not Photo.objects.exists()
