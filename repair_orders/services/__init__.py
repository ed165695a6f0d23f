"""Writes of the repair-order app (DESIGN.md §3); callers import from here."""

from .arrival import repair_order_open_from_appointment
from .catalogue import (
    labour_operation_create,
    labour_operation_update,
    service_package_create,
    service_package_set_lines,
    service_package_update,
)
from .estimate import (
    job_add_free_text,
    job_add_from_operation,
    job_add_from_package,
    part_line_add,
    repair_order_approve,
    repair_order_submit_estimate,
)
from .reception import (
    damage_mark_add,
    damage_mark_remove,
    repair_order_cancel,
    repair_order_open,
    repair_order_record_walkaround,
    repair_order_sign_check_in,
)

__all__ = [
    "damage_mark_add",
    "damage_mark_remove",
    "job_add_free_text",
    "job_add_from_operation",
    "job_add_from_package",
    "labour_operation_create",
    "labour_operation_update",
    "part_line_add",
    "repair_order_approve",
    "repair_order_cancel",
    "repair_order_open",
    "repair_order_open_from_appointment",
    "repair_order_record_walkaround",
    "repair_order_sign_check_in",
    "repair_order_submit_estimate",
    "service_package_create",
    "service_package_set_lines",
    "service_package_update",
]

# Additional work, discounts and photos (追加项目, 折扣, 照片)
from .additional import (  # noqa: E402
    additional_work_record_answer,
    additional_work_report,
    approval_link_send,
    recommendation_add_to_repair_order,
    repair_order_move_promised_time,
)
from .discounts import (  # noqa: E402
    discount_approve,
    discount_limit,
    discount_reject,
    job_line_set_discount,
    job_line_set_price,
)
from .photos import clean_photo, photo_attach, photos_attach  # noqa: E402

__all__ += [
    "additional_work_record_answer",
    "additional_work_report",
    "approval_link_send",
    "clean_photo",
    "discount_approve",
    "discount_limit",
    "discount_reject",
    "job_line_set_discount",
    "job_line_set_price",
    "photo_attach",
    "photos_attach",
    "recommendation_add_to_repair_order",
    "repair_order_move_promised_time",
]
