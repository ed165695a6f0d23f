"""`/api/v1/callbacks/` (`?status=&kind=`; actions `claim`, `release`, `attempt`, `complete`) and
`/api/v1/complaints/` (`?status=&department=`; create; action `resolve`), DESIGN.md §7. Site-scoped: another
site's call is a 404; customer care and the manager see all of the site's, anybody else what is theirs.
The same services as the screens."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from servicedesk.core.api import RolePermission, SiteScopedMixin, choice_param

from . import selectors_calls as selectors
from . import serializers_calls as s
from .models import Callback, Complaint, Department
from .services import callbacks as services
from .services.complaints import complaint_open, complaint_resolve


def holding(permission: str):
    class HoldsPermission(permissions.BasePermission):
        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.has_perm(permission))

    return HoldsPermission


CanWorkCallbacks = holding("followups.work_callbacks")
CanResolveComplaints = holding("followups.resolve_complaint")


class CallbackPermission(RolePermission):
    """view_callback to read; the scans create calls, so any write is an action needing work_callbacks (a
    method the route lacks is answered 405 by the view)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return super().has_permission(request, view)
        return CanWorkCallbacks().has_permission(request, view)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("status", str, enum=Callback.Status.values),
                                                   OpenApiParameter("kind", str, enum=Callback.Kind.values)]))
class CallbackViewSet(SiteScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Callback.objects.none()  # CallbackPermission: GET needs followups.view_callback
    serializer_class = s.CallbackSerializer
    permission_classes = [CallbackPermission]

    def get_queryset(self):
        calls = (selectors.visible_callbacks(site=self.site, user=self.request.user)
                 .select_related("customer", "vehicle", "repair_order").order_by("due_at", "pk"))
        if status := choice_param(self.request, "status", Callback.Status.values):
            calls = calls.filter(status=status)
        if kind := choice_param(self.request, "kind", Callback.Kind.values):
            calls = calls.filter(kind=kind)
        return calls

    def _answer(self, callback):
        return Response(s.CallbackSerializer(self.get_queryset().get(pk=callback.pk)).data)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context={"site": self.site})
        serializer.is_valid(raise_exception=True)
        return serializer

    @extend_schema(request=None, responses=s.CallbackSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanWorkCallbacks])
    def claim(self, request, pk=None):
        """Lock the call for the caller; another agent's claim is refused with 409 ("claimed by X at T")."""
        return self._answer(services.callback_claim(callback=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=s.CallbackSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanWorkCallbacks])
    def release(self, request, pk=None):
        return self._answer(services.callback_release(callback=self.get_object(), actor=request.user))

    @extend_schema(request=s.AttemptInputSerializer, responses=s.CallbackSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanWorkCallbacks])
    def attempt(self, request, pk=None):
        """Not reached (no answer, busy, wrong number) or "call back later" with a time; after the site's limit
        of failed attempts (or a wrong number) the call is unreachable."""
        callback = self.get_object()
        data = self._input(s.AttemptInputSerializer).validated_data
        return self._answer(services.callback_attempt(callback=callback, actor=request.user, **data))

    @extend_schema(request=s.CompleteInputSerializer, responses=s.CallbackSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanWorkCallbacks])
    def complete(self, request, pk=None):
        """Reached: the survey (answers 1–5 per question, overall 1–5, recommend 0–10, the customer's words).
        A low score or a stated complaint opens a complaint; `fault_back` a comeback report."""
        callback = self.get_object()
        kwargs = self._input(s.CompleteInputSerializer).service_kwargs()
        return self._answer(services.callback_complete(callback=callback, actor=request.user, **kwargs))


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("status", str, enum=Complaint.Status.values),
                                                   OpenApiParameter("department", str, enum=Department.values)]),
                    create=extend_schema(request=s.ComplaintCreateSerializer, responses={201: s.ComplaintSerializer}))
class ComplaintViewSet(SiteScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    queryset = Complaint.objects.none()  # RolePermission: GET view_complaint, POST add_complaint
    serializer_class = s.ComplaintSerializer

    def get_queryset(self):
        complaints = (selectors.visible_complaints(site=self.site, user=self.request.user)
                      .select_related("customer", "repair_order").order_by("deadline", "pk"))
        if status := choice_param(self.request, "status", Complaint.Status.values):
            complaints = complaints.filter(status=status)
        if department := choice_param(self.request, "department", Department.values):
            complaints = complaints.filter(department=department)
        return complaints

    def _answer(self, complaint, status=200):
        return Response(s.ComplaintSerializer(self.get_queryset().get(pk=complaint.pk)).data, status=status)

    def create(self, request, *args, **kwargs):
        """A complaint taken by hand (the owner is the department's unless the service says otherwise)."""
        serializer = s.ComplaintCreateSerializer(data=request.data, context={"site": self.site})
        serializer.is_valid(raise_exception=True)
        complaint = complaint_open(site=self.site, actor=request.user, **serializer.validated_data)
        return Response(s.ComplaintSerializer(Complaint.objects.select_related("customer", "repair_order")
                                              .get(pk=complaint.pk)).data, status=201)

    @extend_schema(request=s.ResolveInputSerializer, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanResolveComplaints])
    def resolve(self, request, pk=None):
        """What was done; schedules the recheck call (二次回访). A stale `version` is a 409."""
        complaint = self.get_object()
        serializer = s.ResolveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(complaint_resolve(complaint=complaint, actor=request.user, **serializer.validated_data))


router = DefaultRouter()
router.register("callbacks", CallbackViewSet, basename="callback")
router.register("complaints", ComplaintViewSet, basename="complaint")
urls = router.urls
