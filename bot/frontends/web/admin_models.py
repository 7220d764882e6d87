"""Pydantic models of the admin console's API, for the OpenAPI document (`/openapi.json`).

Handlers build plain JSON; these models say what it holds, so a script (or the console's own
pages) knows every field without reading the code.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Done(BaseModel):
    ok: bool


class LoginForm(BaseModel):
    csrf: str = Field(description="send back as X-CSRF-Token with POST /api/admin/login")


class LoginRequest(BaseModel):
    name: str = Field(max_length=200)
    password: str = Field(max_length=1024)


class SessionReply(BaseModel):
    name: str
    csrf: str = Field(description="send as X-CSRF-Token with every POST")
    expires_at: str


class ReloadReply(BaseModel):
    ok: bool
    problems: list[str]
    summary: dict[str, int]


class DayRow(BaseModel):
    day: str
    total: int
    kinds: dict[str, int]


class Dashboard(BaseModel):
    stats: dict[str, Any] = Field(description="exactly what `python -m bot stats --json` prints")
    per_day: list[DayRow]
    learned: dict[str, int] = Field(description="learned wordings per status")
    names: dict[str, dict[str, str]] = Field(description="Chinese names of kinds and channels")


class Suggestion(BaseModel):
    entry: str
    title: str
    kind: str
    score: float
    citation: str


class QuestionGroup(BaseModel):
    key: str = Field(description="the matching form the group shares")
    question: str = Field(description="the wording asked most often")
    wordings: list[str]
    count: int
    users: int
    kinds: dict[str, int]
    channels: dict[str, int]
    last_asked: str
    now: str = Field(description="what the engine in service replies now: answer, clarify, …")
    suggestions: list[Suggestion]
    status: str = Field(description="open, attached, pending, out_of_scope or dismissed")
    entry: str | None = None


class QuestionGroups(BaseModel):
    groups: list[QuestionGroup]
    total: int


class WordingRequest(BaseModel):
    question: str = Field(max_length=500)


class AttachRequest(BaseModel):
    question: str = Field(max_length=500)
    entry: str = Field(max_length=200)


class Learned(BaseModel):
    id: int
    wording: str
    key: str = Field(description="the matching form (the group's key)")
    entry: str
    title: str
    status: str
    created_by: str
    created_at: str
    applied_by: str | None
    applied_at: str | None


class LearnedList(BaseModel):
    wordings: list[Learned]
    counts: dict[str, int]


class IdRequest(BaseModel):
    id: int


class ApplyRequest(BaseModel):
    dry_run: bool = False


class WorseQuestion(BaseModel):
    question: str = Field(description="a held-out question right before and wrong after")
    expected: str
    expected_title: str
    now: str | None = Field(description="the entry it now gets first (None: the fallback)")
    now_title: str | None


class SetFigures(BaseModel):
    set: str
    label: str = Field(description="the set's name in the console")
    questions: int
    hits_before: int
    hits_after: int
    hit1_before: float
    hit1_after: float
    hit3_before: float
    hit3_after: float
    worse: list[WorseQuestion]


class ApplyReply(BaseModel):
    applied: bool
    reason: str
    message: str
    sets: list[SetFigures]
    attached: int = Field(description="pending wordings evaluated")
    attached_right_before: int
    attached_right_after: int
    problems: list[str] = Field(description="the knowledge base's problems (reason `broken`)")
    suspects: list[int] = Field(
        description="ids of pending wordings attached to an entry a worse question now gets first"
    )
    reload: ReloadReply | None = None


class SearchHit(BaseModel):
    entry: str
    title: str
    kind: str
    citation: str
    score: float | None = None


class SearchReply(BaseModel):
    hits: list[SearchHit]


class EntryRow(BaseModel):
    id: str
    kind: str
    title: str
    citation: str
    asked: int = Field(description="ways of asking in the YAML")
    learned: int = Field(description="learned wordings (active or pending)")
    answered: int = Field(description="how often it was the answer (question log)")


class EntryList(BaseModel):
    entries: list[EntryRow]
    total: int


class EntryDetail(BaseModel):
    id: str
    kind: str
    title: str
    text: str
    citation: str
    file: str
    questions: list[str]
    aliases: list[str]
    keywords: list[str]
    learned: list[Learned]
    answered: int


class CheckReply(BaseModel):
    ok: bool
    problems: list[str]
    summary: str


class QuizRow(BaseModel):
    id: str
    origin: str
    question: str
    options: list[str]
    answer: str
    explanation: str
    citation: str


class QuizList(BaseModel):
    items: list[QuizRow]
    total: int
    bank: int
    generated: int


class LiveRequest(BaseModel):
    questions: int = 5
    seconds: int = 20


class LiveCreated(BaseModel):
    pin: str
    host_url: str
    join_url: str


class AuditRow(BaseModel):
    at: str
    actor: str
    action: str
    detail: str


class AuditList(BaseModel):
    rows: list[AuditRow]
    total: int
