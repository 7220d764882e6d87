"""Deployment files agree with the code and the README (no Docker engine needed).

docker-compose.yml is parsed (PyYAML, anchors and merge keys resolved) and checked for the
client's layout; .env.example against the variables the code reads and the README's
configuration table; the Dockerfile for what the image must hold. The healthcheck commands
are run for real against a temporary database and a running web server.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import build_parser
from bot.storage import async_url

REPO = Path(__file__).resolve().parents[1]
COMPOSE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
README = REPO / "README.md"
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"
CODE_VARIABLE = re.compile(r"(?:BOT|TELEGRAM|WECHAT|WECOM)_[A-Z0-9_]+")
# `NAME=value`, or `# NAME=value` for an optional variable shown with its default.
ENV_LINE = re.compile(r"^(?:#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")
README_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def command(service: dict[str, Any]) -> list[str]:
    value = service["command"]
    return shlex.split(value) if isinstance(value, str) else [str(v) for v in value]


def healthcheck(service: dict[str, Any]) -> list[str]:
    test = service["healthcheck"]["test"]
    if isinstance(test, str):
        return ["CMD-SHELL", test]
    return [str(v) for v in test]


def env_example() -> dict[str, str]:
    """Variables of .env.example (set or shown commented out) and their example values."""
    found: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = ENV_LINE.match(line.strip())
        if match:
            found.setdefault(match.group(1), match.group(2))
    return found


def readme_variables() -> set[str]:
    """Variables in the README's configuration table (the `## Configuration` section)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    return {m.group(1) for line in section.splitlines() if (m := README_ROW.match(line))}


def code_variables() -> dict[str, str]:
    """BOT_*/TELEGRAM_* names the code reads: every string constant that is exactly such a
    name (os.environ.get("BOT_X"), env["BOT_X"], or a constant later passed to them), with
    the file it appears in."""
    found: dict[str, str] = {}
    for path in sorted((REPO / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CODE_VARIABLE.fullmatch(node.value)
            ):
                found.setdefault(node.value, str(path.relative_to(REPO)))
    return found


# -- docker-compose.yml ----------------------------------------------------------------------------


def test_bot_and_web_run_the_readme_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert command(services["bot"]) == ["python", "-m", "bot", "run"]
    web = command(services["web"])
    assert web == ["python", "-m", "bot", "web", "--host", "0.0.0.0", "--port", "8080"]
    # Both are real commands of the CLI…
    parser = build_parser()
    assert parser.parse_args(command(services["bot"])[3:]).command == "run"
    parsed = parser.parse_args(web[3:])
    assert (parsed.command, parsed.host, parsed.port) == ("web", "0.0.0.0", 8080)
    # …and the README shows the same ones (its quick start runs `python -m bot`, which is
    # `run` when TELEGRAM_BOT_TOKEN is set).
    readme = README.read_text(encoding="utf-8")
    assert "python -m bot run" in readme
    assert "python -m bot web --host 0.0.0.0 --port 8080" in readme
    assert "TELEGRAM_BOT_TOKEN=123:ABC .venv/bin/python -m bot\n" in readme


@pytest.mark.parametrize("name", ["bot", "web"])
def test_services_share_the_clients_layout(compose: dict[str, Any], name: str) -> None:
    service = compose["services"][name]
    env_file = service["env_file"]
    assert env_file == ".env" or env_file == [".env"] or ".env" in str(env_file)
    volumes = set(service["volumes"])
    assert "./knowledge:/app/knowledge:ro" in volumes
    assert "./data:/app/data" in volumes
    assert service["restart"] == "unless-stopped"
    assert service["build"] == "."
    assert healthcheck(service)[0] in ("CMD", "CMD-SHELL")
    # The SQLite default (sqlite:///data/bot.db, relative to WORKDIR /app) is in ./data.
    assert "WORKDIR /app" in DOCKERFILE.read_text(encoding="utf-8")


def test_web_healthcheck_asks_the_health_endpoint_on_the_served_port(
    compose: dict[str, Any],
) -> None:
    web = compose["services"]["web"]
    check = " ".join(healthcheck(web))
    port = command(web)[command(web).index("--port") + 1]
    assert f"http://127.0.0.1:{port}/api/health" in check and "urllib" in check
    assert any(str(p).endswith(f":{port}") for p in web["ports"])


def test_bot_healthcheck_is_the_health_module(compose: dict[str, Any]) -> None:
    assert healthcheck(compose["services"]["bot"]) == ["CMD", "python", "-m", "bot.health"]


def test_the_postgres_profile(compose: dict[str, Any]) -> None:
    services = compose["services"]
    postgres = services["postgres"]
    assert postgres["profiles"] == ["postgres"]
    assert str(postgres["image"]).startswith("postgres:16")
    [volume] = postgres["volumes"]
    name, mount = volume.split(":", 1)
    assert mount == "/var/lib/postgresql/data" and name in compose["volumes"]
    assert postgres["healthcheck"]["test"]
    env = postgres["environment"]
    # Services without the profile must not need PostgreSQL: the dependency is optional.
    for name in ("bot", "web"):
        depends = services[name]["depends_on"]["postgres"]
        assert depends["required"] is False and depends["condition"] == "service_healthy"
    # .env.example shows the URL that points the bot at this service.
    example = env_example()
    urls = [
        m.group(1)
        for m in re.finditer(
            r"^#?\s*BOT_DATABASE_URL=(postgresql://\S+)$",
            ENV_EXAMPLE.read_text(encoding="utf-8"),
            re.M,
        )
    ]
    assert len(urls) == 1
    url = async_url(urls[0])
    assert (url.host, url.port, url.username, url.database) == (
        "postgres",
        5432,
        env["POSTGRES_USER"],
        env["POSTGRES_DB"],
    )
    assert url.password == example["POSTGRES_PASSWORD"]
    assert "POSTGRES_PASSWORD" in str(env["POSTGRES_PASSWORD"])


# -- .env.example ------------------------------------------------------------------------------


def test_every_variable_the_code_reads_is_in_env_example() -> None:
    read = code_variables()
    assert "BOT_DATABASE_URL" in read and "TELEGRAM_BOT_TOKEN" in read  # the scan works
    missing = {name: where for name, where in read.items() if name not in env_example()}
    assert missing == {}, f"add to .env.example: {missing}"


def test_env_example_holds_no_unknown_variables() -> None:
    read = set(code_variables())
    compose_text = COMPOSE.read_text(encoding="utf-8")
    known_elsewhere = {"FORWARDED_ALLOW_IPS"}  # uvicorn reads it
    for name in env_example():
        assert name in read or name in known_elsewhere or f"${{{name}" in compose_text, name


def test_every_env_example_variable_is_in_the_readme_table() -> None:
    documented = readme_variables()
    assert "BOT_DATABASE_URL" in documented  # the table was found
    missing = sorted(set(env_example()) - documented)
    assert missing == [], f"add rows to the README's configuration table: {missing}"


def test_env_example_sets_no_secret() -> None:
    values = env_example()
    assert values["TELEGRAM_BOT_TOKEN"] == "" and values["BOT_HASH_SECRET"] == ""


# -- Dockerfile ----------------------------------------------------------------------------------


def test_the_dockerfile() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    instructions = [line.split(None, 1) for line in text.splitlines() if line and line[0].isupper()]
    first = [i for i in instructions if i[0] == "FROM"]
    assert first == [["FROM", "python:3.11-slim"]]
    assert "fonts-noto-cjk" in text and "apt-get install" in text
    assert re.search(r"pip install \"\.\[all\]\"(\s|$)", text)
    assert "COPY knowledge ./knowledge" in text and "COPY intents ./intents" in text
    users = [i[1].strip() for i in instructions if i[0] == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert "playwright install" not in text
    ignored = DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    assert ".env" in ignored and "data/" in ignored and ".git/" in ignored


# -- the healthchecks, for real ------------------------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env.update(extra)
    return env


def test_the_bot_healthcheck_passes_and_fails(compose: dict[str, Any], tmp_path: Path) -> None:
    check = healthcheck(compose["services"]["bot"])[1:]
    check[0] = sys.executable
    url = f"sqlite:///{tmp_path / 'data' / 'bot.db'}"
    ok = subprocess.run(
        check, cwd=REPO, env=_env(BOT_DATABASE_URL=url), capture_output=True, text=True, timeout=120
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok: ")
    broken = tmp_path / "knowledge"
    broken.mkdir()
    (broken / "sources.yaml").write_text("sources: [\n", encoding="utf-8")
    bad_kb = subprocess.run(
        check,
        cwd=REPO,
        env=_env(BOT_DATABASE_URL=url, BOT_KNOWLEDGE_DIR=str(broken)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad_kb.returncode == 1 and "unhealthy: knowledge" in bad_kb.stderr
    no_db = subprocess.run(
        [*check, "--timeout", "5"],
        cwd=REPO,
        env=_env(BOT_DATABASE_URL="postgresql://bot:pw@127.0.0.1:9/bot"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert no_db.returncode == 1 and "unhealthy: database" in no_db.stderr
    assert "pw@" not in no_db.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_web_healthcheck_against_a_running_server(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]
    port = _free_port()
    serve = [sys.executable, *command(web)[1:]]
    serve[serve.index("--port") + 1] = str(port)
    serve[serve.index("--host") + 1] = "127.0.0.1"
    check = [arg.replace(":8080/", f":{port}/") for arg in healthcheck(web)[1:]]
    check[0] = sys.executable
    server = subprocess.Popen(
        serve, cwd=REPO, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except OSError:
                assert server.poll() is None, "the web server exited"
                assert time.monotonic() < deadline, "the web server did not start"
                time.sleep(0.2)
        result = subprocess.run(check, env=_env(), capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
    finally:
        server.terminate()
        server.wait(timeout=20)
    after = subprocess.run(check, env=_env(), capture_output=True, text=True, timeout=60)
    assert after.returncode != 0  # nothing listening: unhealthy
