"""A customer with a full history: consent, contacts, a message, an appointment, a delivered and paid repair
order, a callback with a survey that opened a complaint, and a duplicate merged into them."""

import pytest

from billing.services.delivery import repair_order_deliver
from billing.services.invoicing import invoice_issue
from billing.services.payments import payment_take
from customers.models import Customer
from customers.models_messaging import OutboundMessage
from customers.services import contact_log_add, customer_set_marketing_consent, customers_merge
from followups.services.callbacks import callback_complete
from repair_orders.models import RepairOrder
from tests.appointments.factories import appointment_on_file
from tests.billing.invoicing_fixtures import ready_ro
from tests.factories import CustomerFactory
from tests.followups.calls_helpers import make_callback, questions, scores  # noqa: F401 (fixture)


@pytest.fixture
def customer_with_history(site, advisor, cashier, care, manager, questions):  # noqa: F811
    repair_order = ready_ro(site, advisor)
    RepairOrder.objects.filter(pk=repair_order.pk).update(concerns="发动机异响,张先生说早上最明显")
    customer = repair_order.customer
    Customer.objects.filter(pk=customer.pk).update(name="张伟", mobile="13800138000", wechat_id="zhangwei88",
                                                   email="zw@example.cn", address="上海市浦东新区世纪大道1号",
                                                   notes="喜欢早上来")
    customer.refresh_from_db()
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    payment_take(invoice=invoice, method="wechat", amount=str(invoice.customer_amount), actor=cashier)
    repair_order_deliver(repair_order=repair_order, actor=cashier)
    customer_set_marketing_consent(customer_id=customer.pk, site=site, granted=True, source="前台纸质表", actor=advisor)
    contact_log_add(site=site, customer=customer, channel="phone", reason="保养提醒", outcome="张先生说下周来",
                    actor=care)
    OutboundMessage.objects.create(site=site, customer=customer, channel="sms", recipient="13800138000",
                                   template_key="reminder", subject="保养提醒", text="张伟您好,您的车该保养了",
                                   next_attempt_at=repair_order.created_at)
    appointment_on_file(site, vehicle=repair_order.vehicle, notes="张先生要代步车")
    call = make_callback(repair_order)
    callback_complete(callback=call, actor=care, scores=scores(), overall=2, verbatim="张伟:等太久了",
                      complaint_stated=True)
    duplicate = CustomerFactory(site=site, name="张伟(旧)", mobile="13900139000")
    customers_merge(site=site, source_id=duplicate.pk, target_id=customer.pk, actor=manager)
    customer.refresh_from_db()
    return customer, repair_order, invoice, duplicate
