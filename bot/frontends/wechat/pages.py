"""The whole passage of an entry as a small web page: where a WeChat answer cut to the reply
size links to (`/wx/passage/{entry}`).

Rendered from the entry's reply blocks (or its full passage when the reply shows a part), with
the 来源 line, every character escaped; styled by the web page's own stylesheet (the site's
content security policy allows nothing inline).
"""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse, Response

from bot.app import Assistant
from bot.engine.plain import Labels, block_text, source_line
from bot.engine.reply import Heading, Suggestions
from bot.frontends.wechat.texts import Texts

MAX_ENTRY_CHARS = 200

_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="stylesheet" href="../../static/style.css">
</head>
<body>
  <main class="quiz">
    <article class="quiz-card">
      <h1 class="quiz-question">{title}</h1>
{body}
      <p class="source">{source}</p>
    </article>
    <p><a href="../../">{back}</a></p>
  </main>
</body>
</html>
"""


def _paragraphs(text: str) -> str:
    return "\n".join(f"      <p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def passage_page(assistant: Assistant, entry_id: str) -> Response:
    """The entry's page, or 404 for an id the knowledge base does not hold."""
    engine = assistant.engine
    entry = engine.kb.entries.get(entry_id) if len(entry_id) <= MAX_ENTRY_CHARS else None
    if entry is None:
        return Response("not found", 404, media_type="text/plain; charset=utf-8")
    texts = Texts(lambda: engine)
    labels = Labels.from_texts(engine.intents.response)
    reply = engine.answer_entry(entry.id)
    if reply.passage:
        body = _paragraphs(reply.passage)
    else:
        body = "\n".join(
            _paragraphs(block_text(block, labels))
            for block in reply.blocks
            if not isinstance(block, Heading | Suggestions)
        )
    html = _PAGE.format(
        title=escape(texts("wx_passage_title", title=entry.title)),
        body=body,
        source=escape(source_line(reply.citations, labels)),
        back=escape(texts("wx_passage_back")),
    )
    return HTMLResponse(html)
