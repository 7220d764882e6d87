"""A link card to a running live game, sent as a news message (one article).

A user who types a live game's PIN in the chat gets the card made here (`live_game_link`) as
the passive reply (bot.frontends.wechat.conversation); the platform shows it as a tappable
card that opens the game's join page in WeChat's browser.
"""

from __future__ import annotations

from bot.frontends.wechat.messages import Link, Outbound

# News articles: titles beyond about 64 characters and descriptions beyond about 120 are cut
# off by the clients; keep them within that.
MAX_TITLE = 64
MAX_DESCRIPTION = 120


def live_game_link(url: str, title: str, description: str = "", image: str = "") -> Outbound:
    """The reply that shows a link card to `url`; ValueError for a non-http(s) address or an
    empty title."""
    url = url.strip()
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        raise ValueError(f"a link card needs an http(s) address, not {url!r}")
    title = " ".join(title.split())
    if not title:
        raise ValueError("a link card needs a title")
    description = " ".join(description.split())
    return Outbound(
        link=Link(
            title=title[:MAX_TITLE],
            url=url,
            description=description[:MAX_DESCRIPTION],
            image=image.strip(),
        )
    )
