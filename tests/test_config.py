"""bot.settings.Settings: every variable typed and checked in one place, and named when wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import cli
from bot.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_without_any_variable() -> None:
    s = Settings.from_env({})
    assert s.token is None and s.database_url == "sqlite:///data/bot.db"
    assert s.port == 8443 and s.user_rate_limit == 20 and s.web_rate_limit == 30
    assert s.semantic and s.web_access_log and s.retention_days is None
    assert s.log_level == "INFO" and s.log_format == "text"
    assert s.knowledge_dir.name == "knowledge" and s.intents_dir.name == "intents"


def test_values_are_parsed_to_their_types() -> None:
    s = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "1:x",
            "BOT_ADMIN_IDS": "12, -34;x;56",
            "BOT_PORT": "9000",
            "BOT_SEMANTIC": "off",
            "BOT_WEB_ACCESS_LOG": "0",
            "BOT_WEB_CORS_ORIGINS": "https://a.example, ,https://b.example",
            "BOT_RETENTION_DAYS": "0",
            "BOT_LOG_LEVEL": "debug",
            "BOT_LOG_FORMAT": "JSON",
            "BOT_KNOWLEDGE_DIR": "/srv/kb",
            "BOT_HASH_SECRET": "",
        }
    )
    assert s.token == "1:x" and s.admin_ids == frozenset({12, -34, 56}) and s.port == 9000
    assert not s.semantic and not s.web_access_log
    assert s.web_cors_origins == ("https://a.example", "https://b.example")
    assert s.retention_days is None  # 0 keeps records forever
    assert s.log_level == "DEBUG" and s.log_format == "json"
    assert s.knowledge_dir == Path("/srv/kb") and s.hash_secret == ""


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_PORT", "eighty"),
        ("BOT_PORT", "70000"),
        ("BOT_USER_RATE_LIMIT", "-1"),
        ("BOT_WEB_RATE_LIMIT", "many"),
        ("BOT_RETENTION_DAYS", "-3"),
        ("BOT_LOG_FORMAT", "xml"),
        ("BOT_LIVE_RATE_LIMIT", "1.5"),
    ],
)
def test_a_wrong_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(name)):
        Settings.from_env({name: value})


def test_the_process_environment_is_read_and_a_given_mapping_ignores_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOT_PORT", "9001")
    monkeypatch.setenv("BOT_ADMIN_TOKEN", "")  # empty means unset, as .env.example writes it
    assert Settings.from_env().port == 9001 and Settings.from_env().admin_token is None
    assert Settings.from_env({}).port == 8443
    assert Settings.from_env(port=1).port == 1


def test_replace_checks_like_the_environment() -> None:
    s = Settings.from_env({}).replace(knowledge_dir="/tmp/kb")
    assert s.knowledge_dir == Path("/tmp/kb")
    with pytest.raises(ValueError):
        s.replace(port="x")


def test_every_variable_is_documented_in_the_readme_and_env_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for field in Settings.model_fields.values():
        name = field.validation_alias.choices[0]  # type: ignore[union-attr]
        assert f"`{name}`" in readme, name
        assert name in example, name


def test_the_cli_stops_with_the_variable_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_WEB_RATE_LIMIT", "lots")
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert "BOT_WEB_RATE_LIMIT" in err and "Traceback" not in err
