"""The deployment files (deploy/, issue 15) say what the product is, without Docker or a cluster.

``deploy/compose.yaml``, the Kubernetes manifests of ``deploy/k8s/``, the Temporal chart's values in
``deploy/helm/`` and the example secrets are read as YAML and held to the code: every ``MINECASE_*`` variable
they set is a setting of ``runtime.settings.Settings``, every command they run is a command of the ``minecase``
CLI (typer's own command tree), the search attributes they register are those the case workflow upserts, and so
on. What Docker itself would check (that an image exists, that a service starts) is not checked here.

A few interfaces are being built on another branch (``minecase web``, ``MINECASE_METRICS_ADDRESS``,
``MINECASE_OTEL_ENDPOINT``): their checks skip, naming what is missing, until that branch is merged.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from cli.app import app
from runtime.payloads import PayloadKeyError, parse_key
from runtime.settings import Settings
from workflows.search_attributes import SERVER_TYPES

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / ".env.example"
K8S = DEPLOY / "k8s"
HELM_VALUES = DEPLOY / "helm" / "temporal-values.yaml"
PREFIX = "MINECASE_"

# Settings the ops branch adds (issue 15, parts 1–3); until it is merged their checks skip.
PENDING_SETTINGS = {"METRICS_ADDRESS", "OTEL_ENDPOINT"}
PENDING_COMMANDS = {"web"}


# --- reading the files ----------------------------------------------------------------------------------------------


def env_example() -> dict[str, str]:
    """The variables of deploy/.env.example, the commented-out ones included (``# NAME=value``)."""
    found = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$", line):
            found.setdefault(m.group(1), m.group(2))
    return found


def active_env_example() -> dict[str, str]:
    return {k: v for k, v in env_example().items()
            if re.search(rf"^{k}=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.MULTILINE)}


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?message}`` against ``env`` (.env's values)."""
    if not isinstance(value, str):
        return value

    def one(m: re.Match[str]) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3) or ""
        if env.get(name):
            return env[name]
        if op == ":?":
            raise AssertionError(f"compose needs {name}, which deploy/.env.example does not set: {arg}")
        return arg

    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}", one, value)


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def service_env(service: dict[str, Any]) -> dict[str, str]:
    """A service's ``environment`` (a mapping, or a list of NAME=value), interpolated against .env.example."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: interpolate(str(v), active_env_example()) for k, v in env.items()}


def minecase_services() -> dict[str, dict[str, Any]]:
    """The compose services that run the minecase image."""
    return {name: s for name, s in compose()["services"].items()
            if interpolate(s.get("image", ""), active_env_example()).rsplit(":", 1)[0].rsplit("/", 1)[-1] == "minecase"}


def k8s_documents() -> Iterator[dict[str, Any]]:
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                doc["__file__"] = path.name
                yield doc


def k8s_containers() -> Iterator[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(workload, pod spec, container) of every Deployment and Job."""
    for doc in k8s_documents():
        if doc["kind"] in ("Deployment", "Job"):
            pod = doc["spec"]["template"]["spec"]
            for container in pod["containers"]:
                yield doc, pod, container


def k8s_workload(name: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    return next(item for item in k8s_containers() if item[0]["metadata"]["name"] == name)


def k8s_kind(kind: str, name: str) -> dict[str, Any]:
    return next(doc for doc in k8s_documents() if doc["kind"] == kind and doc["metadata"]["name"] == name)


def helm_values() -> dict[str, Any]:
    return yaml.safe_load(HELM_VALUES.read_text(encoding="utf-8"))


def setting_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def every_minecase_variable() -> dict[str, set[str]]:
    """Each MINECASE_* variable the deployment files set, with where."""
    found: dict[str, set[str]] = {}

    def note(name: str, where: str) -> None:
        if name.startswith(PREFIX):
            found.setdefault(name, set()).add(where)

    for name in env_example():
        note(name, "deploy/.env.example")
    for service_name, service in compose()["services"].items():
        for name in service_env(service):
            note(name, f"compose service {service_name}")
    for doc in k8s_documents():
        for name in (doc.get("data") or {}) | (doc.get("stringData") or {}):
            note(name, f"deploy/k8s/{doc['__file__']}")
    for doc, _pod, container in k8s_containers():
        for item in container.get("env") or []:
            note(item["name"], f"deploy/k8s/{doc['__file__']}")
    for item in helm_values()["web"].get("additionalEnv") or []:
        note(item["name"], "deploy/helm/temporal-values.yaml")
    return found


def cli_commands() -> Any:
    return typer.main.get_command(app)


def minecase_command_lines() -> list[tuple[str, list[str]]]:
    """(where, argv) of every minecase command the deployment runs."""
    lines = []
    for name, service in minecase_services().items():
        command = service.get("command")
        if command:
            lines.append((f"compose service {name}", command if isinstance(command, list) else shlex.split(command)))
    for doc, _pod, container in k8s_containers():
        if "minecase" in container["image"].rsplit("/", 1)[-1]:
            lines.append((f"deploy/k8s/{doc['__file__']} {doc['metadata']['name']}", container.get("command", []) + container["args"]))
    return lines


def image_references() -> list[tuple[str, str]]:
    refs = [(f"compose service {name}", interpolate(s["image"], active_env_example())) for name, s in compose()["services"].items()]
    refs += [(f"deploy/k8s/{doc['__file__']}", c["image"]) for doc, _pod, c in k8s_containers()]
    values = helm_values()
    refs += [(f"helm {part}", f"{values[part]['image']['repository']}:{values[part]['image']['tag']}")
             for part in ("server", "admintools", "web")]
    refs += [("deploy/Dockerfile", line.split()[1]) for line in (DEPLOY / "Dockerfile").read_text().splitlines()
             if line.startswith("FROM ")]
    return refs


def seconds(text: str | int) -> float:
    if isinstance(text, int):
        return float(text)
    m = re.fullmatch(r"(\d+)(ms|s|m)", text)
    assert m, f"not a duration: {text}"
    return int(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(2)]


def search_attributes_in(text: str) -> dict[str, str]:
    return dict(re.findall(r"^\s*search_attribute (\w+) (\w+)\s*$", text, re.MULTILINE))


# --- the rules --------------------------------------------------------------------------------------------------------


def test_every_minecase_variable_the_deployment_sets_is_a_setting_of_the_product() -> None:
    known = setting_names() | PENDING_SETTINGS
    unknown = {name: sorted(where) for name, where in every_minecase_variable().items() if name[len(PREFIX):] not in known}
    assert not unknown, f"not fields of runtime.settings.Settings (a typo is silently ignored): {unknown}"


@pytest.mark.parametrize("name", sorted(PENDING_SETTINGS))
def test_the_observability_settings_the_deployment_sets_exist_in_the_product(name: str) -> None:
    assert PREFIX + name in every_minecase_variable(), f"the deployment does not set MINECASE_{name}"
    if name not in setting_names():
        pytest.skip(f"Settings has no {name.lower()} yet (MINECASE_{name} comes with the ops branch, issue 15)")


def test_the_deployment_runs_only_commands_the_minecase_cli_has() -> None:
    root = cli_commands()
    missing_pending = []
    for where, argv in minecase_command_lines():
        assert argv[0] == "minecase", f"{where}: {argv} does not run the minecase command"
        group, words = root, list(argv[1:])
        while words and hasattr(group, "commands") and not words[0].startswith("-"):
            name = words.pop(0)
            if name not in group.commands:
                if name in PENDING_COMMANDS and group is root:
                    missing_pending.append(f"{where}: minecase {name}")
                    break
                raise AssertionError(f"{where}: `minecase {' '.join(argv[1:])}` — the CLI has no command {name!r}")
            group = group.commands[name]
        else:
            options = {opt for param in group.params for opt in param.opts}
            given = {w.split("=", 1)[0] for w in words if w.startswith("-")}
            assert given <= options, f"{where}: options {sorted(given - options)} are not options of {argv[:2]}"
            assert not hasattr(group, "commands"), f"{where}: {argv} names a group, not a command"
    assert any("worker" in argv for _w, argv in minecase_command_lines())
    if missing_pending:
        pytest.skip(f"the CLI has no `minecase web` yet (the ops branch adds it): {missing_pending}")


def test_the_desk_is_alive_on_healthz_and_ready_on_readyz() -> None:
    web = compose()["services"]["web"]
    assert "/readyz" in " ".join(web["healthcheck"]["test"]), "compose's web healthcheck must ask /readyz"
    _doc, _pod, container = k8s_workload("minecase-web")
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    port = next(p for p in container["ports"] if p["name"] == container["readinessProbe"]["httpGet"]["port"])
    assert port["containerPort"] == int(container["args"][container["args"].index("--port") + 1])


def test_a_worker_is_given_longer_to_stop_than_it_takes_to_drain() -> None:
    from runtime import lifecycle

    fields = {name: f for name, f in Settings.model_fields.items() if "drain" in name}
    # The drain setting the ops branch adds (any field named *drain*); until then the worker's own grace.
    drain = max((float(f.default) for f in fields.values()), default=lifecycle.WORKER_GRACE + lifecycle.WEB_GRACE)
    worker = compose()["services"]["worker"]
    assert seconds(worker["stop_grace_period"]) >= drain + 10, "compose would SIGKILL a draining worker"
    _doc, pod, _container = k8s_workload("minecase-worker")
    assert pod["terminationGracePeriodSeconds"] >= drain + 10, "Kubernetes would SIGKILL a draining worker"


def test_the_temporal_ui_decodes_payloads_through_the_desks_codec_endpoint() -> None:
    services = compose()["services"]
    ui_env = service_env(services["temporal-ui"])
    endpoint = ui_env["TEMPORAL_CODEC_ENDPOINT"]
    assert re.fullmatch(r"https?://[^/]+/codec", endpoint), endpoint
    desk_port = endpoint.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[-1]
    assert any(str(p).endswith(f":{desk_port}:8000") for p in services["web"]["ports"]), "the UI must call the desk's published port"
    ui_origin = service_env(services["web"])["MINECASE_CODEC_CORS_ORIGIN"]
    ui_port = ui_origin.rsplit(":", 1)[-1]
    assert any(str(p).endswith(f":{ui_port}:8080") for p in services["temporal-ui"]["ports"]), "the desk must allow the UI's origin"
    assert ui_env["TEMPORAL_CODEC_INCLUDE_CREDENTIALS"] == "true", "the office's desk session travels with the UI's calls"
    helm_env = {e["name"]: e["value"] for e in helm_values()["web"]["additionalEnv"]}
    assert helm_env["TEMPORAL_CODEC_ENDPOINT"].endswith("/codec")
    assert helm_env["TEMPORAL_CODEC_INCLUDE_CREDENTIALS"] == "true"
    assert k8s_kind("ConfigMap", "minecase")["data"]["MINECASE_CODEC_CORS_ORIGIN"].startswith("https://")


def test_the_temporal_ui_cannot_change_a_case() -> None:
    """A case moves only by the desk's rules: the UI neither terminates, resets nor signals it."""
    assert service_env(compose()["services"]["temporal-ui"])["TEMPORAL_DISABLE_WRITE_ACTIONS"] == "true"
    helm_env = {e["name"]: e["value"] for e in helm_values()["web"]["additionalEnv"]}
    assert helm_env["TEMPORAL_DISABLE_WRITE_ACTIONS"] == "true"


def test_every_image_is_pinned_to_a_version() -> None:
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.MULTILINE).group(1)
    for where, ref in image_references():
        name, _, tag = ref.rpartition(":")
        assert name and "/" not in tag, f"{where}: {ref} has no tag"
        assert tag != "latest" and re.match(r"\d", tag), f"{where}: {ref} is not pinned to a version"
        if name.rsplit("/", 1)[-1] == "minecase":
            assert tag == version, f"{where}: the minecase image {ref} is not this release ({version})"


def test_compose_helm_and_the_setup_job_run_the_same_temporal_release() -> None:
    tags: dict[str, set[str]] = {}
    for _where, ref in image_references():
        name, _, tag = ref.rpartition(":")
        if name.startswith("temporalio/"):
            tags.setdefault(name, set()).add(tag)
    assert set(tags) == {"temporalio/server", "temporalio/admin-tools", "temporalio/ui"}
    assert all(len(v) == 1 for v in tags.values()), tags
    assert tags["temporalio/server"] == tags["temporalio/admin-tools"], "admin-tools sets up the schema of its own release"


def test_the_search_attributes_registered_on_a_cluster_are_those_the_case_workflow_upserts() -> None:
    script = (DEPLOY / "temporal" / "scripts" / "setup-minecase.sh").read_text()
    assert search_attributes_in(script) == SERVER_TYPES
    job_script = k8s_kind("ConfigMap", "minecase-temporal-setup")["data"]["setup-minecase.sh"]
    assert search_attributes_in(job_script) == SERVER_TYPES
    setup = compose()["services"]["temporal-setup"]
    assert setup["image"].startswith("temporalio/admin-tools:") and "setup-minecase.sh" in setup["command"]


def test_workers_and_desk_wait_for_the_migrated_case_file_and_the_search_attributes() -> None:
    services = compose()["services"]
    assert services["migrate"]["command"] == ["minecase", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    for name in ("worker", "web"):
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully", name
        assert needs["temporal-setup"]["condition"] == "service_completed_successfully", name
    _doc, _pod, container = k8s_workload("minecase-migrate")
    assert container["args"] == ["minecase", "db", "upgrade"]


def test_every_minecase_process_shares_one_payload_key_one_case_file_and_one_task_queue() -> None:
    envs = {name: service_env(s) for name, s in minecase_services().items()}
    assert set(envs) == {"migrate", "worker", "web"}
    for key in ("MINECASE_PAYLOAD_KEY", "MINECASE_DATABASE_URL", "MINECASE_TEMPORAL_ADDRESS", "MINECASE_TASK_QUEUE",
                "MINECASE_SECRET_KEY", "MINECASE_ATTACHMENTS_URL"):
        assert len({env[key] for env in envs.values()}) == 1, f"{key} differs between {sorted(envs)}"
    assert envs["worker"]["MINECASE_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert envs["worker"]["MINECASE_TASK_QUEUE"] == Settings.model_fields["task_queue"].default
    assert k8s_kind("ConfigMap", "minecase")["data"]["MINECASE_TASK_QUEUE"] == Settings.model_fields["task_queue"].default
    for doc, _pod, container in k8s_containers():
        if "minecase" in container["image"].rsplit("/", 1)[-1]:
            refs = {next(iter(ref)): ref[next(iter(ref))]["name"] for ref in container["envFrom"]}
            assert refs == {"configMapRef": "minecase", "secretRef": "minecase"}, doc["metadata"]["name"]
    secret_keys = set(k8s_kind("Secret", "minecase")["stringData"])
    assert {"MINECASE_PAYLOAD_KEY", "MINECASE_SECRET_KEY", "MINECASE_DATABASE_URL"} <= secret_keys
    assert not secret_keys & set(k8s_kind("ConfigMap", "minecase")["data"]), "a secret in the ConfigMap"


def test_the_workers_scale_out_and_say_where_their_metrics_are() -> None:
    worker = compose()["services"]["worker"]
    assert worker["deploy"]["replicas"] >= 2
    assert "container_name" not in worker and "ports" not in worker, "a fixed name or host port stops --scale worker=N"
    assert service_env(worker)["MINECASE_METRICS_ADDRESS"].endswith(":9464")
    doc, _pod, container = k8s_workload("minecase-worker")
    assert doc["spec"]["replicas"] >= 2
    annotations = doc["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert int(annotations["prometheus.io/port"]) in {p["containerPort"] for p in container["ports"]}
    assert k8s_kind("ConfigMap", "minecase")["data"]["MINECASE_METRICS_ADDRESS"].endswith(":" + annotations["prometheus.io/port"])


def test_the_example_secrets_cannot_be_used_as_they_are() -> None:
    example = active_env_example()
    secret = k8s_kind("Secret", "minecase")["stringData"]
    for payload_key in (example["MINECASE_PAYLOAD_KEY"], secret["MINECASE_PAYLOAD_KEY"]):
        with pytest.raises(PayloadKeyError):
            parse_key(payload_key)
    for name in ("MINECASE_SECRET_KEY", "CASEFILE_DB_PASSWORD", "TEMPORAL_DB_PASSWORD"):
        assert example[name].startswith("REPLACE"), f"{name} in deploy/.env.example looks like a real value"
    for name, value in secret.items():
        assert "REPLACE" in value, f"{name} in deploy/k8s/secret.example.yaml looks like a real value"
    assert ".env" in (DEPLOY / ".gitignore").read_text().split(), "deploy/.env (the real secrets) must be ignored by git"


def test_the_image_can_print_pdfs_for_the_desk() -> None:
    source = (ROOT / "casefile" / "documents.py").read_text()
    assert 'shutil.which("chromium")' in source
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    installed = set(re.search(r"apt-get install[^\n]*\n((?:.*\\\n)*.*)", dockerfile).group(0).split())
    assert "chromium" in installed
    assert installed & {"fonts-noto-cjk", "fonts-wqy-microhei"}, "Chinese documents need a CJK font"
    assert re.search(r"^USER (?!0\b|root\b)", dockerfile, re.MULTILINE), "the image runs as a user of its own"


def test_the_readme_points_to_the_deployment_and_its_operations_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running at scale", 1)
    assert len(section) == 2, "README has no 'Running at scale' section"
    body = section[1].split("\n## ", 1)[0]
    for target in ("deploy/", "docs/operations.md", "minecase worker", "minecase web", "minecase up"):
        assert target in body, f"'Running at scale' does not mention {target}"
    layout = readme.split("## Layout", 1)[1]
    assert "| `deploy/` |" in layout, "the layout table has no row for deploy/"
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for path in re.findall(r"\]\(\.\./(deploy/[^)#]+)\)", operations):
        assert (ROOT / path).exists(), f"docs/operations.md links to {path}, which does not exist"
