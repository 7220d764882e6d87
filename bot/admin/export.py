"""`python -m bot kb learned export`: the learned wordings as YAML, for a person to review
into the knowledge files (where an entry's `questions:` live) — the database keeps serving
them meanwhile, so nothing depends on the review."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

from bot.admin.learned import IN_SERVICE, listing
from bot.knowledge.loader import collect
from bot.storage import Database
from bot.storage.models import utcnow

HEADER = """\
# Wordings learned in the admin console ({date}; {statuses}).
# Review each one, then copy those that belong into the entry's `questions:` in the file
# named beside it. Articles of a law have no file of questions: keep theirs in the console.
# An evaluation question (tests/eval/*.yaml) or a near copy must not go into knowledge/.
"""


async def learned_yaml(db: Database, knowledge: Path, include_pending: bool = False) -> str:
    """The wordings in service (and the pending ones if asked) grouped by entry, with each
    entry's title and the file and line it is defined at."""
    await db.migrate()
    statuses = (*IN_SERVICE, "pending") if include_pending else IN_SERVICE
    rows = await listing(db, statuses)
    kb, _problems = collect(knowledge) if knowledge.is_dir() else (None, [])
    grouped: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        grouped[row.entry].append(row.wording)
    entries = []
    for entry_id, wordings in grouped.items():
        item: dict[str, object] = {"id": entry_id}
        entry = kb.entries.get(entry_id) if kb is not None else None
        if entry is not None:
            item["title"] = entry.title
            if entry.file and entry.kind != "article":
                item["file"] = f"{entry.file}:{entry.line}"
        else:
            item["note"] = "not in the knowledge base any more"
        item["questions"] = wordings
        entries.append(item)
    header = HEADER.format(
        date=utcnow().date().isoformat(),
        statuses="applied and pending" if include_pending else "applied",
    )
    body = yaml.safe_dump({"entries": entries}, allow_unicode=True, sort_keys=False, width=100)
    return header + body
