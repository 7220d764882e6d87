"""The web settings read from the environment."""

from __future__ import annotations

import pytest

from bot.frontends.web.settings import WebSettings


def test_settings_from_env() -> None:
    assert WebSettings.from_env({}) == WebSettings()
    assert WebSettings().frame_ancestors == "*"
    assert WebSettings().rate_limit == 30
    settings = WebSettings.from_env(
        {
            "BOT_WEB_FRAME_ANCESTORS": "'self' https://www.example.gov.cn",
            "BOT_WEB_RATE_LIMIT": "0",
            "BOT_WEB_CORS_ORIGINS": "https://a.example, https://b.example",
            "BOT_WEB_ACCESS_LOG": "off",
        }
    )
    assert settings.frame_ancestors == "'self' https://www.example.gov.cn"
    assert settings.rate_limit == 0
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.access_log is False


@pytest.mark.parametrize(
    "env",
    [
        {"BOT_WEB_FRAME_ANCESTORS": "*; script-src *"},
        {"BOT_WEB_FRAME_ANCESTORS": "https://a.example, https://b.example"},
        {"BOT_WEB_FRAME_ANCESTORS": "https://a.example\r\nX-Evil: 1"},
        {"BOT_WEB_RATE_LIMIT": "many"},
        {"BOT_WEB_RATE_LIMIT": "-1"},
    ],
)
def test_bad_settings_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="BOT_WEB_"):
        WebSettings.from_env(env)
