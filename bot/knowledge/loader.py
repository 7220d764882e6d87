"""Loads a knowledge directory into a KnowledgeBase and reports every problem with file and line.

Loading never raises on bad data: each problem is collected so `check` can list them all,
and callers that need a usable base (`load_knowledge`) raise KnowledgeError with the list.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bot.knowledge import derive
from bot.knowledge.model import (
    ENTRY_KINDS,
    Article,
    Chapter,
    Contact,
    Entry,
    KnowledgeBase,
    Law,
    QuizQuestion,
    Section,
    Source,
)
from bot.knowledge.problems import Problem
from bot.knowledge.reader import Reader, items_of, word_list
from bot.knowledge.yamlio import line_of, read_yaml

# Telegram quiz-poll limits (Bot API 10.0); checked here so a bank that passes `check` always sends.
QUIZ_QUESTION_MAX = 300
QUIZ_OPTION_MAX = 100
QUIZ_OPTIONS_MIN, QUIZ_OPTIONS_MAX = 2, 12
QUIZ_EXPLANATION_MAX = 200
QUIZ_EXPLANATION_MAX_NEWLINES = 2


class KnowledgeError(Exception):
    """The knowledge directory has problems; `problems` lists each with file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n… and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the knowledge base:\n{shown}{more}")


class _Loader:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.problems: list[Problem] = []
        self.kb = KnowledgeBase(directory=str(directory))
        self.seen_ids: dict[str, str] = {}

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.dir.parent))
        except ValueError:
            return str(path)

    def read(self, path: Path) -> tuple[Any, str]:
        display = self.rel(path)
        data, problems = read_yaml(path, display)
        self.problems.extend(problems)
        return data, display

    def claim_id(self, ident: str, file: str, line: int) -> bool:
        """Ids are unique across sources, laws, entries and contacts: citations name them alone."""
        if ident in self.seen_ids:
            self.problems.append(
                Problem(
                    file, line, f"duplicate id '{ident}' (first defined at {self.seen_ids[ident]})"
                )
            )
            return False
        self.seen_ids[ident] = f"{file}:{line}"
        return True

    def load(self) -> KnowledgeBase:
        if not self.dir.is_dir():
            self.problems.append(Problem(str(self.dir), 1, "knowledge directory not found"))
            return self.kb
        self.load_sources(self.dir / "sources.yaml")
        for path in sorted((self.dir / "laws").glob("*.yaml")):
            self.load_law(path)
        self.load_contacts(self.dir / "contacts.yaml")
        for path in sorted((self.dir / "entries").rglob("*.yaml")):
            self.load_entries(path)
        self.load_quiz(self.dir / "quiz.yaml")
        self.load_words()
        self.add_derived_entries()
        self.check_references()
        self.kb.replace_entries(derive.section_texts(self.kb))
        return self.kb

    # -- files -------------------------------------------------------------------------------

    def load_sources(self, path: Path) -> None:
        if not path.exists():
            return
        data, file = self.read(path)
        if isinstance(data, dict) and data.get("primary") is not None:
            self.kb.primary_law = str(data["primary"])
            self.primary_line = (file, line_of(data))
        for node in items_of(data, "sources", file, self.problems):
            r = Reader(node, file, self.problems)
            ident, short, title = r.ident(), r.text("short"), r.text("title")
            if ident is None or short is None or title is None:
                continue
            if not self.claim_id(ident, file, r.line):
                continue
            self.kb.sources[ident] = Source(
                id=ident,
                short=short,
                title=title,
                issuer=r.text("issuer", required=False),
                date=r.text("date", required=False),
                disclosure=r.text("disclosure", required=False),
                note=r.text("note", required=False),
                addressees=r.text("addressees", required=False),
                attachment=r.text("attachment", required=False),
            )

    def load_law(self, path: Path) -> None:
        data, file = self.read(path)
        if data is None:
            return
        if not isinstance(data, dict) or not isinstance(data.get("law"), dict):
            self.problems.append(Problem(file, 1, "a law file needs a 'law:' mapping"))
            return
        r = Reader(data["law"], file, self.problems)
        ident, title = r.ident(), r.text("title")
        count = r.integer("article_count")
        citation = data["law"].get("citation")
        if not isinstance(citation, dict):
            r.problem("missing 'citation: {source, locator}' for the structure")
            citation = {}
        cr = Reader(citation, file, self.problems) if citation else None
        cite_source = cr.text("source") if cr else None
        cite_locator = cr.text("locator") if cr else None
        chapters = self.read_chapters(data["law"], file)
        articles = self.read_articles(data, file)
        if None in (ident, title, count, cite_source, cite_locator):
            return
        assert ident and title and count is not None and cite_source and cite_locator
        if articles and count != len([a for a in articles if not a.suffix]):
            r.problem(f"article_count is {count} but {len(articles)} articles are listed")
        if not self.claim_id(ident, file, r.line):
            return
        self.kb.laws[ident] = Law(
            id=ident,
            title=title,
            aliases=r.texts("aliases"),
            article_count=count,
            chapters=chapters,
            articles=articles,
            citation_source=cite_source,
            citation_locator=cite_locator,
            adopted=r.text("adopted", required=False),
            adopted_by=r.text("adopted_by", required=False),
            effective=r.text("effective", required=False),
            effective_text=r.text("effective_text", required=False),
            history=r.texts("history"),
            issuer=r.text("issuer", required=False),
            file=file,
        )
        self.law_lines = getattr(self, "law_lines", {})
        self.law_lines[ident] = (file, r.line)

    def read_chapters(self, law: dict[str, Any], file: str) -> tuple[Chapter, ...]:
        chapters = []
        for node in items_of(law, "chapters", file, self.problems):
            r = Reader(node, file, self.problems)
            number, name = r.integer("number"), r.text("name")
            if number is None or name is None:
                continue
            sections = []
            for snode in items_of(node, "sections", file, self.problems):
                sr = Reader(snode, file, self.problems)
                snumber, sname = sr.integer("number"), sr.text("name")
                if snumber is not None and sname is not None:
                    sections.append(
                        Section(
                            snumber,
                            sname,
                            sr.integer("first_article", required=False),
                            sr.integer("last_article", required=False),
                        )
                    )
            chapters.append(
                Chapter(
                    number,
                    name,
                    r.integer("first_article", required=False),
                    r.integer("last_article", required=False),
                    tuple(sections),
                )
            )
        numbers = [c.number for c in chapters]
        # Strictly increasing, not necessarily from 1: a published text may lack a heading.
        if any(b <= a for a, b in itertools.pairwise(numbers)):
            self.problems.append(
                Problem(
                    file, line_of(law), f"chapters must be numbered in increasing order: {numbers}"
                )
            )
        return tuple(chapters)

    def read_articles(self, data: dict[str, Any], file: str) -> tuple[Article, ...]:
        articles = []
        for node in items_of(data, "articles", file, self.problems):
            r = Reader(node, file, self.problems)
            number, label = r.integer("number"), r.text("label")
            paragraphs = r.texts("paragraphs")
            if not paragraphs:
                r.problem("an article needs at least one paragraph")
            if number is None or label is None or not paragraphs:
                continue
            articles.append(
                Article(
                    number=number,
                    label=label,
                    chapter=r.integer("chapter", required=False),
                    section=r.integer("section", required=False),
                    paragraphs=paragraphs,
                    suffix=r.text("suffix", required=False) or "",
                )
            )
        return tuple(articles)

    def load_contacts(self, path: Path) -> None:
        if not path.exists():
            return
        data, file = self.read(path)
        if isinstance(data, dict) and data.get("default_contact") is not None:
            self.kb.default_contact = str(data["default_contact"])
            self.default_line = (file, line_of(data))
        for node in items_of(data, "contacts", file, self.problems):
            r = Reader(node, file, self.problems)
            ident = r.ident()
            fields = {k: r.text(k) for k in ("name", "organization", "phone", "source", "locator")}
            if ident is None or None in fields.values():
                continue
            if not self.claim_id(ident, file, r.line):
                continue
            self.kb.contacts[ident] = Contact(
                id=ident,
                name=fields["name"] or "",
                organization=fields["organization"] or "",
                phone=fields["phone"] or "",
                source=fields["source"] or "",
                locator=fields["locator"] or "",
                aliases=r.texts("aliases"),
                email=r.text("email", required=False),
                serves=r.text("serves", required=False) or "",
                topics=r.texts("topics"),
                audiences=r.texts("audiences"),
            )
            self.entry_lines[ident] = (file, r.line)

    entry_lines: dict[str, tuple[str, int]]

    def load_entries(self, path: Path) -> None:
        data, file = self.read(path)
        for node in items_of(data, "entries", file, self.problems):
            r = Reader(node, file, self.problems)
            ident = r.ident()
            kind = r.text("kind") or "faq"
            fields = {k: r.text(k) for k in ("title", "source", "locator")}
            # A section's text is made of its items' headings (derive.section_texts).
            fields["text"] = r.text("text", required=kind != "section") or ""
            if kind not in ENTRY_KINDS:
                r.problem(f"kind must be one of {', '.join(ENTRY_KINDS)}, not {kind!r}")
            subject = r.text("subject", required=kind == "duty")
            if ident is None or None in fields.values() or kind not in ENTRY_KINDS:
                continue
            if not self.claim_id(ident, file, r.line):
                continue
            self.entry_lines[ident] = (file, r.line)
            self.kb.entries[ident] = Entry(
                id=ident,
                kind=kind,
                title=fields["title"] or "",
                text=fields["text"] or "",
                source=fields["source"] or "",
                locator=fields["locator"] or "",
                questions=r.texts("questions"),
                keywords=r.texts("keywords"),
                tags=r.texts("tags"),
                contacts=r.texts("contacts"),
                parent=r.text("parent", required=False),
                item_of=r.text("item_of", required=False),
                heading=r.text("heading", required=False),
                subject=subject,
                aliases=r.texts("aliases"),
                file=file,
                line=r.line,
            )

    def load_quiz(self, path: Path) -> None:
        if not path.exists():
            return
        data, file = self.read(path)
        for node in items_of(data, "questions", file, self.problems):
            r = Reader(node, file, self.problems)
            question = self.read_quiz_question(r)
            if question is not None and question.id in self.kb.quiz:
                r.problem(f"duplicate quiz id '{question.id}'")
            elif question is not None:
                self.kb.quiz[question.id] = question
                self.entry_lines[f"quiz:{question.id}"] = (file, r.line)

    def read_quiz_question(self, r: Reader) -> QuizQuestion | None:
        before = len(r.problems)
        ident, question = r.ident(), r.text("question")
        explanation = r.text("explanation")
        source, locator = r.text("source"), r.text("locator")
        options = r.texts("options")
        answer = r.integer("answer")
        difficulty = r.integer("difficulty", required=False) or 1
        if question and len(question) > QUIZ_QUESTION_MAX:
            r.problem(
                f"question has {len(question)} characters; Telegram allows {QUIZ_QUESTION_MAX}"
            )
        if not QUIZ_OPTIONS_MIN <= len(options) <= QUIZ_OPTIONS_MAX:
            r.problem(
                f"a quiz needs {QUIZ_OPTIONS_MIN}–{QUIZ_OPTIONS_MAX} options, got {len(options)}"
            )
        for option in options:
            if len(option) > QUIZ_OPTION_MAX:
                r.problem(f"option {option[:20]!r}… is over {QUIZ_OPTION_MAX} characters")
        if len(set(options)) != len(options):
            r.problem("options must be different from each other")
        if answer is not None and not 0 <= answer < len(options):
            r.problem(f"answer {answer} is not the index of an option (0..{len(options) - 1})")
        if explanation and len(explanation) > QUIZ_EXPLANATION_MAX:
            r.problem(
                f"explanation has {len(explanation)} characters; Telegram allows {QUIZ_EXPLANATION_MAX}"
            )
        if explanation and explanation.count("\n") > QUIZ_EXPLANATION_MAX_NEWLINES:
            r.problem(f"explanation may hold at most {QUIZ_EXPLANATION_MAX_NEWLINES} line breaks")
        if not 1 <= difficulty <= 3:
            r.problem("difficulty must be 1, 2 or 3")
        if len(r.problems) > before:
            return None
        assert ident and question and explanation and source and locator and answer is not None
        return QuizQuestion(
            id=ident,
            question=question,
            options=options,
            answer=answer,
            explanation=explanation,
            source=source,
            locator=locator,
            tags=r.texts("tags"),
            difficulty=difficulty,
        )

    def load_words(self) -> None:
        synonyms = self.dir / "synonyms.yaml"
        if synonyms.exists():
            data, file = self.read(synonyms)
            groups = []
            if isinstance(data, dict) and isinstance(data.get("groups"), list):
                for group in data["groups"]:
                    if not isinstance(group, list) or len(group) < 2:
                        self.problems.append(
                            Problem(
                                file, line_of(data), f"a synonym group needs 2+ words: {group!r}"
                            )
                        )
                        continue
                    groups.append(tuple(str(w).strip() for w in group if str(w).strip()))
            elif data is not None:
                self.problems.append(
                    Problem(file, 1, "synonyms.yaml needs 'groups:' (a list of lists)")
                )
            self.kb.synonyms = tuple(groups)
        for name, attr in (("userdict.txt", "user_words"), ("stopwords.txt", "stopwords")):
            path = self.dir / name
            if path.exists():
                try:
                    words = word_list(path)
                except UnicodeDecodeError:
                    self.problems.append(Problem(self.rel(path), 1, "not valid UTF-8"))
                    continue
                if attr == "user_words":
                    self.kb.user_words = tuple(w.split()[0] for w in words)
                else:
                    self.kb.stopwords = frozenset(words)

    # -- derived entries and references ------------------------------------------------------

    def add_derived_entries(self) -> None:
        for entry in derive.law_entries(self.kb.laws.values()):
            if entry.id in self.kb.entries:
                self.problems.append(Problem(entry.file, 1, f"duplicate id '{entry.id}'"))
            self.kb.entries[entry.id] = entry
        for contact in self.kb.contacts.values():
            self.kb.entries[contact.id] = derive.contact_entry(contact)

    def check_references(self) -> None:
        kb = self.kb
        known_sources = set(kb.sources) | set(kb.laws)

        def need(ident: str, known: Iterable[str], what: str, where: tuple[str, int]) -> None:
            if ident not in known:
                self.problems.append(Problem(where[0], where[1], f"unknown {what} '{ident}'"))

        lookup: Callable[[str], tuple[str, int]] = lambda ident: self.entry_lines.get(  # noqa: E731
            ident, ("?", 1)
        )
        for entry in kb.entries.values():
            if entry.line:
                where = (entry.file, entry.line)
            elif entry.law and entry.law in self.law_lines:
                where = self.law_lines[entry.law]
            else:
                where = lookup(entry.id)
            need(entry.source, known_sources, "source", where)
            for contact in entry.contacts:
                need(contact, kb.contacts, "contact", where)
            if entry.parent:
                need(entry.parent, kb.entries, "parent entry", where)
            if entry.item_of:
                need(entry.item_of, kb.entries, "section (item_of)", where)
                self._check_section(entry, where)
        for question in kb.quiz.values():
            need(question.source, known_sources, "source", lookup(f"quiz:{question.id}"))
        for law in kb.laws.values():
            need(law.citation_source, known_sources, "source", self.law_lines[law.id])
        if kb.primary_law is not None:
            need(kb.primary_law, kb.laws, "primary law", getattr(self, "primary_line", ("?", 1)))
        if kb.default_contact is not None:
            need(kb.default_contact, kb.contacts, "default contact", self.default_line)

    def _check_section(self, entry: Entry, where: tuple[str, int]) -> None:
        """An item's section is a `section` entry, and following item_of never loops."""
        kb = self.kb
        section = kb.entries.get(entry.item_of or "")
        if section is not None and section.kind != "section":
            message = f"item_of '{section.id}' is a {section.kind}, not a section"
            self.problems.append(Problem(where[0], where[1], message))
        seen = {entry.id}
        while section is not None and section.item_of:
            if section.id in seen:
                message = f"item_of loops back to '{entry.id}'"
                self.problems.append(Problem(where[0], where[1], message))
                return
            seen.add(section.id)
            section = kb.entries.get(section.item_of)


def collect(directory: Path | str) -> tuple[KnowledgeBase, list[Problem]]:
    """Load what can be loaded and return it with every problem found."""
    loader = _Loader(Path(directory))
    loader.entry_lines = {}
    kb = loader.load()
    return kb, sorted(set(loader.problems))


def load_knowledge(directory: Path | str) -> KnowledgeBase:
    """Load a knowledge directory, or raise KnowledgeError listing every problem."""
    kb, problems = collect(directory)
    if problems:
        raise KnowledgeError(problems)
    return kb
