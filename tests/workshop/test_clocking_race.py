"""Two clock-ons by the same technician at the same moment, on jobs of two repair orders: the lock on the
technician's row leaves one running entry, and the other is refused (PostgreSQL; SQLite serialises writers)."""

import threading

import pytest
from django.db import connection

from servicedesk.core.errors import ApplicationError
from tests.conftest import skip_or_fail
from workshop.models import TimeEntry
from workshop.services.clocking import job_start

from .clocking_fixtures import assigned_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_clock_ons_leave_one_running_entry(site, advisor, technician, foreman):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (DATABASE_URL)")
    jobs = [assigned_jobs(site, advisor, technician, foreman)[0] for _ in range(2)]
    barrier, started, refused, errors = threading.Barrier(2), [], [], []

    def clock_on(job):
        try:
            barrier.wait(5)
            started.append(job_start(job_line=job, actor=technician).pk)
        except ApplicationError as error:
            refused.append(error.code)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=clock_on, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(started) == 1 and refused == ["already_clocked_on"]
    assert TimeEntry.objects.filter(technician=technician, ended_at__isnull=True).count() == 1
