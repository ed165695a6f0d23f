# Wave 6 (session 5), prices helper: who changed a price, when (django-simple-history; the audit screen).

import django.core.validators
import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('repair_orders', '0007_report_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalLabourOperation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('code', models.CharField(max_length=30, verbose_name='code')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('name_en', models.CharField(blank=True, max_length=100, verbose_name='English name')),
                ('category', models.CharField(choices=[('maintenance', 'Maintenance'), ('mechanical', 'Mechanical'), ('electrical', 'Electrical'), ('body', 'Body'), ('paint', 'Paint'), ('diagnosis', 'Diagnosis')], max_length=12, verbose_name='category')),
                ('hours', models.DecimalField(decimal_places=2, max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='flat-rate hours')),
                ('skill', models.CharField(choices=[('general', 'General technician'), ('mechanical', 'Mechanic'), ('electrical', 'Electrician'), ('body', 'Body repairer'), ('paint', 'Painter'), ('diagnostic', 'Diagnostic specialist')], default='general', max_length=12, verbose_name='skill needed')),
                ('make', models.CharField(blank=True, max_length=50, verbose_name='make')),
                ('model', models.CharField(blank=True, max_length=50, verbose_name='model')),
                ('fixed_price', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='fixed price')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical labour operation',
                'verbose_name_plural': 'historical labour operations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
