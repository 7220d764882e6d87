"""The HTTP API's request and reply models: the OpenAPI document is generated from these.

The reply models mirror `Reply.to_json()` (bot/engine/reply.py); tests validate every
reply the API sends against its model, so the document cannot drift from the code.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

# -- requests --------------------------------------------------------------------------------


class AskRequest(BaseModel):
    question: str = Field(description="the question, as the user typed it (at most 500 characters)")


class EntryRequest(BaseModel):
    entry: str = Field(description="the id of a suggested entry (from `suggestions`)")
    question: str = Field("", description="the question the suggestion answered, if any")


class QuizAnswerRequest(BaseModel):
    id: str = Field(description="the `id` of the question from /api/quiz/next")
    choice: int = Field(description="the index of the chosen option, as shown (0-based)")


# -- replies -----------------------------------------------------------------------------------


class CitationModel(BaseModel):
    source: str = Field(description="the document's title, in book-title marks")
    locator: str = Field(description="where in the document (part, paragraph, article)")
    entry: str = Field(description="the knowledge-base entry cited")
    line: str = Field(description="source and locator as one line")


class SuggestionModel(BaseModel):
    entry: str
    title: str


class ContactCardModel(BaseModel):
    id: str
    name: str
    organization: str
    phone: str
    email: str | None = None
    serves: str = ""
    citation: CitationModel | None = None


class HeadingBlock(BaseModel):
    type: Literal["heading"]
    text: str


class NoteBlock(BaseModel):
    type: Literal["note"]
    text: str = Field(description="the assistant's own words (a reply template), never a fact")


class PassageBlock(BaseModel):
    type: Literal["passage"]
    text: str = Field(description="knowledge-base text quoted verbatim")
    citation: CitationModel
    excerpt: bool = Field(description="a part cut from a longer passage")


class ListItemModel(BaseModel):
    text: str
    citation: CitationModel


class ListBlock(BaseModel):
    type: Literal["list"]
    items: list[ListItemModel]
    numbered: bool = Field(description="false when the items carry their own numbering")


class SuggestionsBlock(BaseModel):
    type: Literal["suggestions"]
    items: list[SuggestionModel]


class ContactsBlock(BaseModel):
    type: Literal["contacts"]
    cards: list[ContactCardModel]


Block = Annotated[
    HeadingBlock | NoteBlock | PassageBlock | ListBlock | SuggestionsBlock | ContactsBlock,
    Field(discriminator="type"),
]


class ReplyModel(BaseModel):
    """A reply as structured data: render `blocks`; `text` is their plain rendering."""

    question: str
    kind: Literal["answer", "clarify", "smalltalk", "fallback"]
    intent: str
    text: str
    citations: list[CitationModel]
    confidence: float
    suggestions: list[SuggestionModel]
    contacts: list[ContactCardModel] = Field(description="contacts shown or offered")
    passage: str | None = Field(description="the whole passage behind 查看原文, when longer")
    entry: str | None
    sources: list[str] = Field(description="the cited places, one line per document")
    read_as: str | None = Field(
        description="the question as answered, when a follow-up (那高校呢) was read with the "
        "visitor's previous question"
    )
    blocks: list[Block]


class ErrorModel(BaseModel):
    error: str = Field(description="a code for programs")
    message: str = Field(description="a message for people, in Chinese")


class SourceModel(BaseModel):
    id: str
    short: str
    title: str
    display: str
    issuer: str | None
    date: str | None
    disclosure: str | None
    note: str | None


class LawModel(BaseModel):
    id: str
    title: str
    display: str
    issuer: str | None
    adopted: str | None
    effective: str | None
    article_count: int
    full_text: bool


class SourcesReply(BaseModel):
    sources: list[SourceModel]
    laws: list[LawModel]


class ContactModel(ContactCardModel):
    topics: list[str]
    audiences: list[str]


class ContactsReply(BaseModel):
    contacts: list[ContactModel]


class UiReply(BaseModel):
    greeting: str
    examples: list[str]
    labels: dict[str, str]


class RecordsStatus(BaseModel):
    pending: int
    written: int
    lost: int
    database: Literal["ok", "unavailable"]


class HealthReply(BaseModel):
    status: Literal["ok", "degraded"]
    version: int
    entries: int
    sources: int
    contacts: int
    quiz: int
    records: RecordsStatus | None = None
    knowledge: str | None = Field(None, description="'snapshot' when serving the last good base")
    problems: list[str] | None = None


class QuizQuestionReply(BaseModel):
    id: str = Field(
        description="this question as asked to this visitor; send it back with the answer"
    )
    question: str
    options: list[str] = Field(description="shuffled for this visitor")
    difficulty: int
    total: int = Field(description="questions in the bank and generated from the knowledge base")


class QuizAnswerReply(BaseModel):
    id: str
    choice: int
    correct: bool
    counted: bool = Field(description="false for a repeated answer to the same question")
    answer: int = Field(description="index of the right option, as shown")
    answer_text: str
    explanation: str
    source_line: str
    points: int
    score: int = Field(description="right answers of this visitor so far")
    answered: int = Field(description="questions this visitor answered so far")


class ReloadReply(BaseModel):
    ok: bool
    problems: list[str] = Field(description="`file:line: message` for each problem found")
    summary: dict[str, int] = Field(description="what the new version holds (when ok)")
