"""`/api/v1/` of the cashier (DESIGN.md §7): the RO actions `invoice` and `deliver`, `payments` (list, take),
and the PDFs `repair-orders/{id}/invoice.pdf` and `gate-pass.pdf`. The same services as the screens;
domain failures answer 400, conflicts (state, stale version, already paid) 409."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, renderers, serializers, viewsets
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from repair_orders.api import PDFRenderer
from repair_orders.models import RepairOrder
from servicedesk.core.api import SiteScopedMixin

from . import pdf, selectors
from .models import GatePass, Invoice, InvoiceLine, Payment
from .services.delivery import repair_order_deliver
from .services.invoicing import invoice_issue
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
        return selectors.payments_of_site(site=self.site, invoice_id=int(invoice) if invoice.isdigit() else None)

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
router.register("payments", PaymentViewSet, basename="payment")
urls = [
    path("repair-orders/<int:pk>/invoice/", InvoiceIssueView.as_view(), name="repair-order-invoice"),
    path("repair-orders/<int:pk>/deliver/", DeliverView.as_view(), name="repair-order-deliver"),
    *(_document_path(slug) for slug in DOCUMENTS),
    *router.urls,
]
