"""The mixed workload of `python -m bench.load` (bench/README.md "Load"): the dataset's staff at their screens,
each signed in through the login form (CSRF token from the page, as a browser), then working with think time.

Run by locust (one process, gevent); the runner passes LOAD_SAMPLES (plates per site, recent RO ids) and
LOAD_RECORD (where every request's time and outcome is written when the test stops). A write the product
refuses because somebody else got there first (a call another agent claimed, a job already moved: the page's
red message, or a 409) is an expected outcome: counted as a conflict, not an error."""

import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

from locust import HttpUser, between, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # locust puts only this file's folder on the path
from bench.load.screens import BOARD_VERSION, CLAIM_FORM, CSRF, CUSTOMER_LINK, JOB_FORM, RO_LINK, first, refused  # noqa: E402

SAMPLES = json.loads(open(os.environ["LOAD_SAMPLES"]).read()) if os.environ.get("LOAD_SAMPLES") else {}
PASSWORD = SAMPLES.get("password", "bench-password")
MIX = SAMPLES.get("mix", {})  # users per role (bench/load/samples.py)
HTMX = {"HX-Request": "true"}

RECORD: list[tuple] = []  # (name, milliseconds, outcome, second) of every request; outcome: ok, error, conflict
USERS_STARTED: dict[str, int] = {}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, context=None, **_kwargs):
    outcome = "error" if exception else (context or {}).get("outcome", "ok")
    RECORD.append((name, round(response_time, 2), outcome, int(time.time())))


@events.user_error.add_listener
def _record_task_error(user_instance, exception, tb, **_kwargs):
    """A task that broke (say, a page that could not be read) is an error too."""
    RECORD.append((f"task error: {type(exception).__name__}", 0.0, "error", int(time.time())))


@events.test_stop.add_listener
def _write_record(environment, **_kwargs):
    if os.environ.get("LOAD_RECORD"):
        with open(os.environ["LOAD_RECORD"], "w") as out:
            json.dump({"requests": RECORD, "users": USERS_STARTED}, out)


def accounts(names):
    """Each simulated user takes the next account of its role (cycling when there are more users than accounts)."""
    return itertools.cycle(names)


class Staff(HttpUser):
    abstract = True
    accounts = iter(())
    role = ""

    def on_start(self):
        self.username = next(type(self).accounts)
        self.site = SAMPLES.get("sites", {}).get(self.username, "BSH")
        USERS_STARTED[self.role] = USERS_STARTED.get(self.role, 0) + 1
        self.log_in()
        self.first_screen()

    def first_screen(self):
        """Where the browser goes once signed in: the role's own screen."""

    def log_in(self):
        form = self.client.get("/login/", name="login form")
        with self.client.post("/login/", name="login", catch_response=True, headers={"Referer": form.url},
                              data={"username": self.username, "password": PASSWORD, "next": "",
                                    "csrfmiddlewaretoken": token(form.text or "")}) as answer:
            if "/login/" in answer.url:
                answer.failure(f"{self.username} was not signed in")

    def page(self, path: str, name: str):
        """A full page, then the notification bell its navbar loads with htmx."""
        with self.client.get(path, name=name, catch_response=True) as answer:
            if "/login/" in answer.url:
                answer.failure("signed out")
        self.client.get("/notifications/bell/", name="navbar bell (htmx)", headers=HTMX)
        return answer

    def post(self, path: str, name: str, data: dict, page) -> bool:
        """A form posted from `page` (its CSRF token and Referer); the page it leads to tells a refusal.
        True when the product did it."""
        with self.client.post(path, name=name, data={"csrfmiddlewaretoken": token(page.text or ""), **data},
                              headers={"Referer": page.url}, catch_response=True) as answer:
            if answer.status_code == 409 or (answer.ok and refused(answer.text or "")):
                answer.request_meta["context"]["outcome"] = "conflict"
                answer.success()
                return False
        return answer.ok


def token(html: str) -> str:
    return first(CSRF, html)


class Advisor(Staff):
    """Front desk: the board (and its 60-s poll), an RO, a customer found by a plate fragment, a new booking."""

    fixed_count = MIX.get("advisors", 0)
    accounts = accounts(SAMPLES.get("advisors", []))
    role = "advisor"
    wait_time = between(3, 12)
    ros: list[int] = []  # the RO links of the last board seen

    def first_screen(self):
        self.board()

    @task(4)
    def board(self):
        board = self.page("/repair-orders/", "advisor: front-desk board")
        self.ros = [int(pk) for pk in RO_LINK.findall(board.text or "")] or self.ros

    @task(2)
    def board_poll(self):
        self.client.get("/repair-orders/", name="advisor: front-desk board poll (htmx)", headers=HTMX)

    @task(3)
    def repair_order(self):
        pool = getattr(self, "ros", None) or SAMPLES.get("ros", {}).get(self.site) or []
        if pool:
            self.page(f"/repair-orders/{random.choice(pool)}/", "advisor: RO page")

    @task(3)
    def customer(self):
        plates = SAMPLES.get("plates", {}).get(self.site) or []
        if not plates:
            return
        plate = random.choice(plates)
        start = random.randint(1, max(1, len(plate) - 4))
        found = self.page(f"/search/?q={plate[start:start + 4]}", "advisor: search by plate fragment")
        customers = CUSTOMER_LINK.findall(found.text or "")
        if customers:
            self.page(f"/customers/{random.choice(customers[:5])}/", "advisor: customer detail")

    @task(1)
    def new_appointment(self):
        self.page("/appointments/new/", "advisor: new appointment form")


class Foreman(Staff):
    """The dispatch board, polled every 5 s by htmx (204 while nothing changed); the full page now and then."""

    fixed_count = MIX.get("foremen", 0)
    accounts = accounts(SAMPLES.get("foremen", []))
    role = "foreman"
    wait_time = constant(5)
    version = ""

    def first_screen(self):
        self.board()

    @task(1)
    def board(self):
        board = self.page("/workshop/board/", "foreman: dispatch board")
        self.version = version_of(board.text or "") or self.version

    @task(11)
    def poll(self):
        if not self.version:
            return self.board()
        answer = self.client.get(f"/workshop/board/?view=technicians&version={self.version}",
                                 name="foreman: dispatch board poll (htmx)", headers=HTMX)
        if answer.status_code == 200:
            self.version = version_of(answer.text or "") or self.version


def version_of(html: str) -> str:
    return first(BOARD_VERSION, html)


class Technician(Staff):
    """My jobs on the tablet; now and then the job on the clock is paused (end of shift) or a paused one
    resumed, with the screen's own forms."""

    fixed_count = MIX.get("technicians", 0)
    accounts = accounts(SAMPLES.get("technicians", []))
    role = "technician"
    wait_time = between(5, 15)

    def first_screen(self):
        self.my_jobs()

    @task(3)
    def my_jobs(self):
        self.page("/workshop/my-jobs/", "technician: my jobs")

    @task(1)
    def clock(self):
        screen = self.page("/workshop/my-jobs/", "technician: my jobs")
        forms = JOB_FORM.findall(screen.text or "")
        pause = [pk for pk, action in forms if action == "pause"]
        if pause:
            self.post(f"/workshop/my-jobs/{pause[0]}/pause/", "technician: pause a job (POST, back to my jobs)",
                      {"reason": "end_of_shift", "note": ""}, screen)
            return
        start = [pk for pk, action in forms if action == "start"]
        if start:
            self.post(f"/workshop/my-jobs/{random.choice(start)}/start/",
                      "technician: clock on a job (POST, back to my jobs)", {}, screen)


class CustomerCare(Staff):
    """The callback queue; claim a call (which opens it), then give it back (the queue stays as the dataset made it)."""

    fixed_count = MIX.get("care", 0)
    accounts = accounts(SAMPLES.get("care", []))
    role = "customer care"
    wait_time = between(4, 12)

    def first_screen(self):
        self.queue()

    @task(2)
    def queue(self):
        self.page("/followups/", "care: callback queue")

    @task(1)
    def claim(self):
        queue = self.page("/followups/", "care: callback queue")
        calls = CLAIM_FORM.findall(queue.text or "")
        if not calls:
            return
        pk = random.choice(calls[:10])
        if self.post(f"/followups/calls/{pk}/claim/", "care: claim a call (POST, to the call)", {}, queue):
            self.wait()  # on the phone
            self.post(f"/followups/calls/{pk}/release/", "care: release the call (POST, to the queue)", {}, queue)


class Manager(Staff):
    """The dashboard, often; the monthly report, sometimes."""

    fixed_count = MIX.get("managers", 0)
    accounts = accounts(SAMPLES.get("managers", []))
    role = "manager"
    wait_time = between(8, 20)

    def first_screen(self):
        self.dashboard()

    @task(3)
    def dashboard(self):
        self.page("/reports/", "manager: dashboard")

    @task(1)
    def monthly(self):
        self.page("/reports/monthly/", "manager: monthly report")
