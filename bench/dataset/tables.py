"""Every table the generator COPYs into, parents first, with the columns each row gives (in that order)."""

from appointments.models import Appointment
from billing.models import Invoice, InvoiceLine, Payment, WarrantyClaim
from customers.models import Customer, Vehicle
from followups.models import Callback, Complaint, LostVehicle, Reminder, Survey, SurveyAnswer
from parts.models import StockMovement
from repair_orders.models import JobLine, PartLine, RepairOrder, RepairOrderEvent
from workshop.models import TimeEntry

from .catalogue import PART_COLUMNS, PART_MODEL
from .copyload import Loader

COLUMNS = [
    ("customers", Customer, ["site_id", "kind", "name", "mobile", "mobile2", "address", "preferred_channel", "tier",
                             "club_member", "marketing_consent", "created_at", "updated_at"]),
    ("vehicles", Vehicle, ["site_id", "vin", "plate", "make", "model", "model_year", "engine_number", "colour",
                           "registration_date", "warranty_start", "owner_id", "created_at", "updated_at"]),
    ("parts", PART_MODEL, PART_COLUMNS),
    ("appointments", Appointment, ["site_id", "customer_id", "vehicle_id", "contact_name", "contact_mobile", "plate",
                                   "channel", "concern", "advisor_id", "start", "day", "estimated_hours", "status",
                                   "arrived_at", "created_at", "created_by_id", "updated_at"]),
    ("repair_orders", RepairOrder, ["site_id", "number", "ro_type", "comeback_of_id", "customer_id", "vehicle_id",
                                    "advisor_id", "appointment_ref", "state", "promised_at", "waiting", "mileage",
                                    "fuel_level", "key_tag", "concerns", "old_parts_disposition", "payment_method",
                                    "wash_wanted", "cancel_reason", "delivered_at", "created_at", "updated_at"]),
    ("ro_events", RepairOrderEvent, ["repair_order_id", "kind", "actor_id", "from_state", "to_state", "at"]),
    ("job_lines", JobLine, ["repair_order_id", "operation_id", "description", "pay_type", "hours", "labour_price",
                            "state", "additional", "technician_id", "bay_id", "queue_position", "started_at",
                            "finished_at", "clocked_hours", "clocked_on_since", "pause_reason", "approved_at",
                            "declined_at", "created_by_id", "created_at", "updated_at"]),
    ("part_lines", PartLine, ["job_line_id", "part_id", "description", "quantity", "unit_price", "source",
                              "created_at"]),
    ("time_entries", TimeEntry, ["site_id", "technician_id", "job_line_id", "started_at", "ended_at", "ended_by"]),
    ("stock_movements", StockMovement, ["site_id", "part_id", "kind", "quantity", "balance_after", "unit_cost",
                                        "repair_order_ref", "reason", "created_by_id", "created_at"]),
    ("invoices", Invoice, ["site_id", "repair_order_id", "number", "customer_id", "customer_name", "vehicle_plate",
                           "vehicle_vin", "mileage", "labour_total", "parts_total", "net_total", "vat_total",
                           "gross_total", "customer_amount", "warranty_amount", "internal_amount", "vat_rate",
                           "next_service_on", "issued_by_id", "issued_at"]),
    ("invoice_lines", InvoiceLine, ["invoice_id", "position", "kind", "pay_type", "job_line_id", "description",
                                    "part_number", "brand", "source", "hours", "quantity", "unit_price", "net",
                                    "vat", "gross", "free"]),
    ("payments", Payment, ["site_id", "invoice_id", "method", "amount", "received_by_id", "received_at"]),
    ("warranty_claims", WarrantyClaim, ["site_id", "repair_order_id", "job_line_id", "maker_reference",
                                        "labour_amount", "parts_amount", "status", "paid_amount", "created_at",
                                        "updated_at"]),
    ("reminders", Reminder, ["site_id", "kind", "vehicle_id", "customer_id", "cycle", "due_on", "due_km", "due_by",
                             "status", "created_at", "converted_at"]),
    ("callbacks", Callback, ["site_id", "kind", "dedupe_key", "customer_id", "vehicle_id", "repair_order_id",
                             "assignee_id", "due_at", "status", "attempts", "completed_at", "completed_by_id",
                             "created_at"]),
    ("surveys", Survey, ["site_id", "callback_id", "repair_order_id", "overall", "recommend", "verbatim",
                         "complaint_stated", "fault_back", "taken_by_id", "taken_at"]),
    ("survey_answers", SurveyAnswer, ["survey_id", "question_id", "department", "score"]),
    ("complaints", Complaint, ["site_id", "customer_id", "repair_order_id", "survey_id", "department", "category",
                               "owner_id", "deadline", "description", "status", "resolution", "resolved_at",
                               "closed_at", "rechecks", "created_by_id", "created_at"]),
    ("lost_vehicles", LostVehicle, ["site_id", "vehicle_id", "last_repair_order_id", "lost_on", "reason",
                                    "won_back_at", "won_back_repair_order_id"]),
]
MODELS = [model for _name, model, _columns in COLUMNS]


class Tables:
    """Attribute access to each Table by its short name (t.repair_orders.add(...))."""

    def __init__(self, loader: Loader):
        for name, model, columns in COLUMNS:
            setattr(self, name, loader.table(model, columns))

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name).count for name, _model, _columns in COLUMNS}
