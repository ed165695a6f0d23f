# Wave 6 (session 5): indexes of the manager's reports (reports/figures/business.py, reports/dashboard.py).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_settlement_discount_account_settlement")]
    operations = [
        # reports.figures.business.revenue / revenue_by_advisor and _invoiced_ros (a site's invoices of the period:
        # their id and kind for the lines' join and sign, their RO for ARO and the advisor), index-only.
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["site", "issued_at"], include=["id", "kind", "repair_order"],
                               name="billing_invoice_report"),
        ),
        # reports.figures.business.revenue and advisors (ex-VAT lines of the period's invoices, split by kind and
        # pay type; the monthly report and the dashboard's month to date): the lines of each invoice, index-only.
        migrations.AddIndex(
            model_name="invoiceline",
            index=models.Index(fields=["invoice"], include=["kind", "pay_type", "net"], name="billing_line_report"),
        ),
    ]
