"""`/api/v1/` of the cashier (DESIGN.md §7): the RO actions `invoice` and `deliver`, `invoices` (list, detail,
`credit-note`), `payments` (list, take), and the PDFs `repair-orders/{id}/invoice.pdf` and
`gate-pass.pdf`. The same services as the screens;
domain failures answer 400, conflicts (state, stale version, already paid) 409."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, renderers, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from repair_orders.api import PDFRenderer
from repair_orders.models import RepairOrder
from servicedesk.core.api import SiteScopedMixin, choice_param, positive_int_param

from . import pdf, selectors
from .models import GatePass, Invoice, InvoiceLine, Payment
from .services.delivery import repair_order_deliver
from .services.invoicing import credit_note_issue, invoice_issue
from .services.payments import payment_take

MONEY = {"max_digits": 12, "decimal_places": 2}


def holds(permission: str):
    class HoldsPermission(permissions.BasePermission):
        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.has_perm(permission))

    HoldsPermission.__name__ = f"Holds_{permission.replace('.', '_')}"
    return HoldsPermission


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = ["position", "kind", "pay_type", "description", "part_number", "brand", "source", "hours",
                  "quantity", "unit_price", "discount", "net", "vat", "gross", "free"]


class InvoiceSerializer(serializers.ModelSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = ["id", "number", "kind", "repair_order", "credits", "customer", "customer_name", "vehicle_plate",
                  "labour_total", "parts_total", "fees_total", "discount_total", "net_total", "vat_total",
                  "gross_total", "customer_amount", "warranty_amount", "internal_amount", "vat_rate", "on_account",
                  "next_service_on", "next_service_km", "issued_at", "lines"]


class InvoiceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "number", "kind", "repair_order", "credits", "customer", "customer_name", "vehicle_plate",
                  "gross_total", "customer_amount", "warranty_amount", "internal_amount", "on_account", "issued_at"]


class CreditNoteInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class PaymentSerializer(serializers.ModelSerializer):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "invoice", "invoice_number", "method", "amount", "tendered", "change_given", "reference",
                  "received_at"]
        read_only_fields = ["change_given", "received_at"]


class PaymentInputSerializer(serializers.Serializer):
    invoice = serializers.IntegerField()
    method = serializers.ChoiceField(choices=Payment.Method.choices)
    amount = serializers.DecimalField(**MONEY, required=False, allow_null=True,
                                      help_text="may be left out for cash: the amount due, up to `tendered`")
    tendered = serializers.DecimalField(**MONEY, required=False, allow_null=True, help_text="cash only")
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class DeliverInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class GatePassSerializer(serializers.ModelSerializer):
    class Meta:
        model = GatePass
        fields = ["id", "number", "repair_order", "issued_at"]


class RepairOrderAction(SiteScopedMixin, APIView):
    def repair_order(self, pk) -> RepairOrder:
        return get_object_or_404(RepairOrder.objects.select_related("site"), site=self.site, pk=pk)


class InvoiceIssueView(RepairOrderAction):
    permission_classes = [holds("billing.issue_invoice")]

    @extend_schema(request=None, responses={201: InvoiceSerializer}, operation_id="repair_orders_invoice")
    def post(self, request, pk):
        """Issues the RO's invoice (ready RO, no pending discount request); the RO becomes invoiced."""
        invoice = invoice_issue(repair_order=self.repair_order(pk), actor=request.user)
        return Response(InvoiceSerializer(selectors.invoice_detail(site=self.site, pk=invoice.pk)).data, status=201)


class DeliverView(RepairOrderAction):
    permission_classes = [holds("billing.deliver_vehicle")]

    @extend_schema(request=DeliverInputSerializer, responses={201: GatePassSerializer},
                   operation_id="repair_orders_deliver")
    def post(self, request, pk):
        """Hands the car over: needs the invoice settled (or booked on account); issues the gate pass."""
        data = DeliverInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        gate_pass = repair_order_deliver(repair_order=self.repair_order(pk), actor=request.user,
                                         version=data.validated_data["version"])
        return Response(GatePassSerializer(gate_pass).data, status=201)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("repair_order", int, description="only this repair order's invoices and credit notes"),
    OpenApiParameter("kind", str, description="`invoice` or `credit_note`: only those")]))
class InvoiceViewSet(SiteScopedMixin, viewsets.ReadOnlyModelViewSet):
    """The site's invoices and credit notes, newest first; issued ones never change (a correction is a credit
    note, then a new invoice of the RO)."""

    queryset = Invoice.objects.none()
    permission_classes = [holds("billing.view_invoice")]  # so a PUT, PATCH or DELETE answers 405

    def get_serializer_class(self):
        return InvoiceSummarySerializer if self.action == "list" else InvoiceSerializer

    def get_queryset(self):
        kind = choice_param(self.request, "kind", Invoice.Kind.values) or None
        repair_order_id = positive_int_param(self.request, "repair_order", default=None, maximum=2**31 - 1)
        return selectors.invoices_of_site(site=self.site, kind=kind, repair_order_id=repair_order_id)

    def get_object(self):
        return get_object_or_404(selectors.invoice_queryset(site=self.site), pk=self.kwargs["pk"])

    @extend_schema(request=CreditNoteInputSerializer, responses={201: InvoiceSerializer},
                   operation_id="invoices_credit_note")
    @action(detail=True, methods=["post"], url_path="credit-note", url_name="credit-note",
            permission_classes=[holds("billing.issue_credit_note")])
    def credit_note(self, request, pk=None):
        """Credits the invoice in full with a reason; the RO can then be invoiced again. Crediting a credit note
        or an invoice already credited answers 409."""
        invoice = get_object_or_404(Invoice, site=self.site, pk=pk)  # another site's: 404 before anything
        data = CreditNoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = credit_note_issue(invoice=invoice, reason=data.validated_data["reason"], actor=request.user)
        return Response(InvoiceSerializer(selectors.invoice_detail(site=self.site, pk=note.pk)).data, status=201)


@extend_schema(parameters=[OpenApiParameter("invoice", int, description="only this invoice's payments")])
class PaymentViewSet(SiteScopedMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Payment.objects.none()
    serializer_class = PaymentSerializer

    def get_permissions(self):
        if self.action == "create":
            return [holds("billing.take_payment")()]
        return super().get_permissions()

    def get_queryset(self):
        invoice = self.request.query_params.get("invoice", "")
        return selectors.payments_of_site(site=self.site, invoice_id=int(invoice) if invoice.isdecimal() else None)

    @extend_schema(request=PaymentInputSerializer, responses={201: PaymentSerializer})
    def create(self, request, *args, **kwargs):
        """Takes a payment on an invoice of this site; more than the amount due is refused (cash: change)."""
        data = PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        invoice = get_object_or_404(Invoice, site=self.site, pk=values.pop("invoice"))
        payment = payment_take(invoice=invoice, actor=request.user, **values)
        return Response(PaymentSerializer(payment).data, status=201)


class DocumentView(SiteScopedMixin, APIView):
    """A printed document of the RO, inline; rendered in the request, outside any transaction."""

    permission_classes = [holds("billing.view_invoice")]  # any other method: 405
    renderer_classes = [renderers.JSONRenderer, PDFRenderer]
    slug = ""

    def render(self, request, pk) -> bytes:
        if self.slug == "invoice":
            return pdf.invoice_pdf(pdf.latest_invoice(site=self.site, repair_order_pk=pk), request=request)
        return pdf.gate_pass_pdf(site=self.site, repair_order_pk=pk, request=request)

    def get(self, request, pk):
        get_object_or_404(RepairOrder, site=self.site, pk=pk)
        response = HttpResponse(self.render(request, pk), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{pk}-{self.slug}.pdf"'
        return response


DOCUMENTS = {"invoice": "The RO's newest invoice (or credit note) as a PDF (结算单).",
             "gate-pass": "The gate pass (出厂通知单) of a delivered RO as a PDF."}


def _document_path(slug: str):
    view = type(f"{slug.title().replace('-', '')}PdfView", (DocumentView,), {"slug": slug})
    view = extend_schema_view(get=extend_schema(
        operation_id=f"repair_orders_{slug.replace('-', '_')}_pdf", description=DOCUMENTS[slug],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)}))(view)
    return path(f"repair-orders/<int:pk>/{slug}.pdf", view.as_view(), name=f"repair-order-{slug}-pdf")


router = DefaultRouter()
router.include_root_view = False
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("payments", PaymentViewSet, basename="payment")
urls = [
    path("repair-orders/<int:pk>/invoice/", InvoiceIssueView.as_view(), name="repair-order-invoice"),
    path("repair-orders/<int:pk>/deliver/", DeliverView.as_view(), name="repair-order-deliver"),
    *(_document_path(slug) for slug in DOCUMENTS),
    *router.urls,
]
