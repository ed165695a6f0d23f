"""What every repair-order service shares: the versioned row lock, state moves checked against workflow.py
with their event rows, and the customer's signature image."""

import zoneinfo
from datetime import date
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from servicedesk.accounts.names import staff_name
from servicedesk.core.errors import ApplicationError, StaleVersion

from ..models import JobLine, JobLineEvent, RepairOrder, RepairOrderEvent
from ..workflow import ADDITIONAL_WORK_RO_STATES, EDITABLE_RO_STATES, check_job_transition, check_ro_transition

MAX_SIGNATURE_BYTES = 2 * 1024 * 1024
MAX_SIGNATURE_PIXELS = 4000 * 2000


who = staff_name  # the name the services put in their messages ("changed by X at T")


def site_today(site) -> date:
    return timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(site.time_zone)).date()


def lock_repair_order(repair_order: RepairOrder | int, *, version: int | None) -> RepairOrder:
    """The current row, locked for this transaction. A form posted over an older version is refused with
    who changed the RO and when; `version=None` skips the check (a change that cannot overwrite another)."""
    pk = getattr(repair_order, "pk", repair_order)
    try:
        locked = RepairOrder.objects.select_for_update(of=("self",)).select_related("site").get(pk=pk)
    except RepairOrder.DoesNotExist:
        raise ApplicationError(_("This repair order no longer exists."), code="not_found") from None
    if version is not None and locked.version != int(version):
        changed_at = timezone.localtime(locked.updated_at, zoneinfo.ZoneInfo(locked.site.time_zone))
        raise StaleVersion(changed_by=who(locked.updated_by), changed_at=changed_at.strftime("%Y-%m-%d %H:%M"))
    return locked


def check_editable(repair_order: RepairOrder, *, additional_work: bool = False) -> None:
    """The check-in and the estimate change until the customer signs; afterwards only extra work is added."""
    allowed = EDITABLE_RO_STATES | (ADDITIONAL_WORK_RO_STATES if additional_work else set())
    if repair_order.state not in allowed:
        raise ApplicationError(
            _("Repair order %(number)s is %(state)s; this can no longer be changed.")
            % {"number": repair_order.number, "state": repair_order.get_state_display()},
            code="locked")


def save_changes(repair_order: RepairOrder, actor, fields=()) -> None:
    """Save the locked RO with a new version, remembering who changed it (for the stale-form message)."""
    repair_order.version += 1
    repair_order.updated_by = actor
    repair_order.save(update_fields=[*fields, "version", "updated_by", "updated_at"])


def ro_event(repair_order: RepairOrder, kind: str, actor, /, *, from_state: str | None = None,
             to_state: str | None = None, **data) -> RepairOrderEvent:
    """An event row; an edit that is no state change has from = to = the current state."""
    return RepairOrderEvent.objects.create(
        repair_order=repair_order, kind=kind, actor=actor, data=data,
        from_state=repair_order.state if from_state is None else from_state,
        to_state=repair_order.state if to_state is None else to_state)


def move_ro(repair_order: RepairOrder, to_state: str, actor, *, kind: str, fields=(), **data) -> RepairOrder:
    """Move the locked RO to `to_state` if workflow.py allows it, with a new version and its event."""
    before = repair_order.state
    check_ro_transition(before, to_state)
    repair_order.state = to_state
    save_changes(repair_order, actor, fields=["state", *fields])
    ro_event(repair_order, kind, actor, from_state=before, to_state=to_state, **data)
    return repair_order


def move_job(job: JobLine, to_state: str, actor, *, fields=(), **data) -> JobLine:
    """Move a locked job line to `to_state` if workflow.py allows it, and record the event."""
    before = job.state
    check_job_transition(before, to_state)
    job.state = to_state
    job.save(update_fields=["state", *fields, "updated_at"])
    JobLineEvent.objects.create(job_line=job, actor=actor, from_state=before, to_state=to_state, data=data)
    return job


def signature_file(image) -> ContentFile:
    """The signature pad's image (bytes or a file) checked: present, an image, not blank, not huge."""
    if image is not None and hasattr(image, "read"):
        if hasattr(image, "seek"):
            image.seek(0)
        image = image.read()
    content = bytes(image or b"")
    if not content:
        raise ApplicationError(_("The customer has not signed yet."), code="signature_required", field="signature")
    if len(content) > MAX_SIGNATURE_BYTES:
        raise ApplicationError(_("The signature image is too large."), field="signature")
    try:
        with Image.open(BytesIO(content)) as probe:
            probe.verify()
            if probe.width * probe.height > MAX_SIGNATURE_PIXELS:  # a pad draws ~300×100: this is a bomb
                raise ValueError("too many pixels")
        with Image.open(BytesIO(content)) as picture:
            picture_format, blank = picture.format, not _has_ink(picture)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ApplicationError(_("The signature is not an image."), field="signature") from None
    if blank:
        raise ApplicationError(_("The customer has not signed yet."), code="signature_required", field="signature")
    return ContentFile(content, name=f"signature.{picture_format.lower()}")


def _has_ink(picture: Image.Image) -> bool:
    """Anything drawn: a visible pixel on a transparent pad, or a non-white one on an opaque pad."""
    rgba = picture.convert("RGBA")
    alpha = rgba.getchannel("A")
    if alpha.getextrema()[1] == 0:
        return False
    if alpha.getextrema()[0] == 0:
        return True  # partly transparent: the strokes are the visible pixels
    return ImageOps.invert(rgba.convert("L")).getbbox() is not None
