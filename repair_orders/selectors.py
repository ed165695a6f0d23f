"""Reads of the labour-time book and service packages; each runs a constant number of queries."""

from collections.abc import Iterable

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from .models import LabourOperation, ServicePackage
from .pricing import package_lines_prefetch


def _specificity():
    """2 for a make, 1 for a model: a make-and-model operation (3) beats a make-only one (2) beats generic (0)."""
    return (Case(When(make="", then=Value(0)), default=Value(2), output_field=IntegerField())
            + Case(When(model="", then=Value(0)), default=Value(1), output_field=IntegerField()))


def _applicable(make: str, model: str) -> Q:
    return (Q(make="") | Q(make__iexact=make.strip())) & (Q(model="") | Q(model__iexact=model.strip()))


def operations_for_vehicle(*, make: str = "", model: str = "", category: str = "", q: str = "",
                           codes: Iterable[str] | None = None, active_only: bool = True
                           ) -> QuerySet[LabourOperation]:
    """Operations that apply to a vehicle: their make/model are blank or match (case-insensitive).

    Of several operations with one code the most specific wins: the vehicle's make and model, then its
    make, then the generic one. One query.
    """
    candidates = LabourOperation.objects.filter(_applicable(make, model))
    if active_only:
        candidates = candidates.filter(active=True)
    if codes is not None:
        candidates = candidates.filter(code__in=list(codes))
    more_specific = candidates.annotate(specificity=_specificity()).filter(
        code=OuterRef("code"), specificity__gt=OuterRef("specificity"))
    operations = candidates.annotate(specificity=_specificity()).exclude(Exists(more_specific))
    if category:
        operations = operations.filter(category=category)
    if q:
        operations = operations.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(name_en__icontains=q))
    return operations.order_by("code")


def operation_search(*, q: str = "", category: str = "", make: str = "", active_only: bool = True
                     ) -> QuerySet[LabourOperation]:
    """The whole book (every variant), for the catalogue screens. One query."""
    operations = LabourOperation.objects.all()
    if active_only:
        operations = operations.filter(active=True)
    if category:
        operations = operations.filter(category=category)
    if make:
        operations = operations.filter(make__iexact=make)
    if q:
        operations = operations.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(name_en__icontains=q))
    return operations.order_by("code", "make", "model")


def package_list(*, site, active_only: bool = True) -> QuerySet[ServicePackage]:
    """The site's packages with their lines (three queries, however many): ready for pricing.package_price."""
    packages = ServicePackage.objects.filter(site=site).prefetch_related(*package_lines_prefetch())
    if active_only:
        packages = packages.filter(active=True)
    return packages.order_by(F("mileage_km").asc(nulls_last=True), "code")


def package_detail(*, site, pk: int) -> ServicePackage:
    """One package of the site with its lines (three queries); 404 for another site's."""
    return get_object_or_404(ServicePackage.objects.prefetch_related(*package_lines_prefetch()), site=site, pk=pk)
