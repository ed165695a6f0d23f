"""Docker does not run where the suite runs: check the structure of the deploy files instead."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LONG_RUNNING = ("postgres", "redis", "web", "worker", "beat")
APP_SERVICES = ("web", "worker", "beat")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE", re.IGNORECASE)
# ${NAME-default} / ${NAME:-default} / ${NAME+alt} / ${NAME:+alt}: a fallback written in the file.
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-+?])?(?P<rest>[^}]*)\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    return re.sub(r"\\\n", " ", text)  # join continuation lines: one instruction per line


def _instructions(dockerfile: str, name: str) -> list[str]:
    return [
        line.strip()[len(name) :].strip()
        for line in dockerfile.splitlines()
        if line.strip().upper().startswith(name + " ")
    ]


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {key: ("" if value is None else str(value)) for key, value in env.items()}


# --- docker-compose.yml -------------------------------------------------------------------------


def test_required_services_exist(services):
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")


def test_exactly_one_beat_with_one_replica(services):
    beats = [name for name, service in services.items() if " beat" in f" {_command(service)} "]
    assert beats == ["beat"]
    beat = services["beat"]
    assert beat["deploy"]["replicas"] == 1
    assert "django_celery_beat.schedulers:DatabaseScheduler" in _command(beat)
    assert "scale" not in beat  # the legacy `scale:` key would run more than one


def test_every_long_running_service_has_a_healthcheck(services):
    for name in LONG_RUNNING:
        healthcheck = services[name].get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), f"{name} disables its healthcheck"
        assert healthcheck.get("test"), f"{name} healthcheck has no test"


def test_healthcheck_commands(services):
    assert "pg_isready" in str(services["postgres"]["healthcheck"]["test"])
    assert "redis-cli" in str(services["redis"]["healthcheck"]["test"])
    assert "ping" in str(services["redis"]["healthcheck"]["test"])
    worker_test = str(services["worker"]["healthcheck"]["test"])
    assert "inspect ping" in worker_test and "$$HOSTNAME" in worker_test
    web_test = str(services["web"]["healthcheck"]["test"])
    assert "healthz" in web_test or "readyz" in web_test or "deploy/healthcheck.py" in web_test


def test_migrate_is_one_shot_after_postgres(services):
    migrate = services["migrate"]
    assert "manage.py migrate" in _command(migrate)
    assert "--noinput" in _command(migrate)
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert str(migrate.get("restart", "no")) in ("no", "False", "false")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_migrate_postgres_and_redis(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_service_commands(services):
    assert "gunicorn" in _command(services["web"])
    assert "servicedesk.wsgi:application" in _command(services["web"])
    assert "0.0.0.0:8000" in _command(services["web"])
    assert any(str(port).endswith(":8000") for port in services["web"]["ports"])
    assert re.search(r"celery -A servicedesk worker\b", _command(services["worker"]))
    assert re.search(r"celery -A servicedesk beat\b", _command(services["beat"]))


@pytest.mark.parametrize("name", ("migrate", *APP_SERVICES))
def test_app_services_are_configured_by_environment(services, name):
    env = _environment(services[name])
    assert env["DJANGO_SETTINGS_MODULE"] == "servicedesk.settings.prod"
    for key in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
        assert env.get(key), f"{name}: {key} not set"
    assert env["SECRET_KEY"] == "${SECRET_KEY:?set SECRET_KEY}"
    assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:")


def test_no_secret_has_a_literal_default():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for match in INTERPOLATION.finditer(text):
        if SECRET_NAME.search(match["name"]):
            assert match["op"] in (":?", "?"), f"{match[0]}: a secret must be required, not defaulted"


def test_secrets_in_environment_come_only_from_the_environment(services):
    for name, service in services.items():
        for key, value in _environment(service).items():
            if SECRET_NAME.search(key):
                assert re.fullmatch(r"\$\{[A-Za-z_][A-Za-z0-9_]*:?\?[^}]*\}", value), (
                    f"{name}.{key} = {value!r}: must be ${{VAR:?message}}"
                )
            if key == "DATABASE_URL":
                # user:password@ - the password part must be a required interpolation
                password = re.search(r"://(?:\$\{[^}]*\}|[^:@/]+):(?P<password>\$\{[^}]*\}|[^@]+)@", value)
                assert password, f"{name}.DATABASE_URL has no password"
                assert re.fullmatch(r"\$\{[A-Za-z_][A-Za-z0-9_]*:?\?[^}]*\}", password["password"])


def test_stateful_services_keep_data_in_volumes(compose, services):
    assert any("/var/lib/postgresql/data" in str(v) for v in services["postgres"]["volumes"])
    declared = set(compose.get("volumes") or {})
    for service in services.values():
        for volume in service.get("volumes") or []:
            source = str(volume).split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"volume {source} is not declared"


def test_postgres_and_redis_are_not_published(services):
    assert not services["postgres"].get("ports")
    assert not services["redis"].get("ports")


# --- Dockerfile -----------------------------------------------------------------------------------


def test_dockerfile_base_image(dockerfile):
    assert _instructions(dockerfile, "FROM")[-1].startswith("python:3.11-slim-bookworm")


def test_dockerfile_installs_weasyprint_system_packages(dockerfile):
    apt = " ".join(run for run in _instructions(dockerfile, "RUN") if "apt-get install" in run)
    for package in (
        "fonts-noto-cjk",
        "libharfbuzz-subset0",
        "libharfbuzz0b",
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "shared-mime-info",
    ):
        assert re.search(rf"(?<![\w.-]){re.escape(package)}(?![\w.-])", apt), package


def test_dockerfile_installs_the_locked_dependencies(dockerfile):
    assert any(
        re.search(r"pip install .*-c requirements\.lock \.", run) for run in _instructions(dockerfile, "RUN")
    )


def test_dockerfile_collects_static_with_prod_settings(dockerfile):
    runs = [run for run in _instructions(dockerfile, "RUN") if "collectstatic" in run]
    assert runs and "--noinput" in runs[0]
    envs = " ".join(_instructions(dockerfile, "ENV"))
    assert (
        "DJANGO_SETTINGS_MODULE=servicedesk.settings.prod" in envs or "servicedesk.settings.prod" in runs[0]
    )


def test_dockerfile_bakes_no_secret(dockerfile):
    for line in _instructions(dockerfile, "ENV") + _instructions(dockerfile, "ARG"):
        assert not re.search(r"SECRET_KEY|PASSWORD|DATABASE_URL", line), line


def test_dockerfile_runs_as_non_root_user(dockerfile):
    users = _instructions(dockerfile, "USER")
    assert users, "no USER instruction"
    final_user = users[-1].split(":")[0]
    assert final_user not in ("root", "0")
    # the last USER comes after the last RUN that could need root
    lines = [line.strip() for line in dockerfile.splitlines()]
    last_user = max(i for i, line in enumerate(lines) if line.upper().startswith("USER "))
    last_run = max(i for i, line in enumerate(lines) if line.upper().startswith("RUN "))
    assert last_user > last_run


def test_dockerfile_healthcheck_and_gunicorn(dockerfile):
    healthchecks = _instructions(dockerfile, "HEALTHCHECK")
    assert healthchecks and "CMD" in healthchecks[-1]
    assert "healthcheck.py" in healthchecks[-1] or "/healthz" in healthchecks[-1]
    cmd = " ".join(_instructions(dockerfile, "CMD"))
    assert "gunicorn" in cmd and "servicedesk.wsgi:application" in cmd and "0.0.0.0:8000" in cmd
    assert "8000" in " ".join(_instructions(dockerfile, "EXPOSE"))


def test_healthcheck_script_exists_and_hits_healthz():
    script = (ROOT / "deploy" / "healthcheck.py").read_text(encoding="utf-8")
    assert "/healthz" in script


def test_dockerignore_keeps_secrets_and_local_state_out():
    entries = {
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".env", ".venv", "var", ".git"} <= entries
