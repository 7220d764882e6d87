"""The live quiz API's request and reply models (its part of the OpenAPI document).

They mirror the dicts `bot.live.views` builds; tests validate the replies against them, so
the document cannot drift from the code.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from bot.live.game import (
    DEFAULT_QUESTIONS,
    DEFAULT_SECONDS,
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_QUESTIONS,
    MIN_SECONDS,
)

Status = Literal["lobby", "question", "reveal", "finished"]

# -- requests --------------------------------------------------------------------------------


class CreateGameRequest(BaseModel):
    questions: int = Field(
        DEFAULT_QUESTIONS, ge=MIN_QUESTIONS, le=MAX_QUESTIONS, description="how many questions"
    )
    seconds: int = Field(
        DEFAULT_SECONDS, ge=MIN_SECONDS, le=MAX_SECONDS, description="seconds per question"
    )


class JoinRequest(BaseModel):
    name: str = Field(description="the nickname shown on the big screen (cut to 16 characters)")
    token: str | None = Field(
        None,
        description="optional: a random token the browser made and kept before asking "
        "(22–64 of A–Z a–z 0–9 _ -); a retried join with it returns the same player",
    )


class AnswerRequest(BaseModel):
    question_id: int = Field(description="the `id` of the open question (from the state)")
    option_ids: list[int] = Field(description="the chosen option's `id` (one)")


class HostActionRequest(BaseModel):
    version: int | None = Field(
        None,
        description="optional: the game's `version` the host screen showed; when the game "
        "has changed since (a retried request), nothing is done",
    )


# -- replies ---------------------------------------------------------------------------------


class CreatedGame(BaseModel):
    pin: str = Field(description="six digits players type to join")
    host_key: str = Field(description="the host's secret, sent as X-Host-Key")
    join_url: str = Field(description="the link (and QR code) players open")
    host_url: str = Field(description="the host screen, with the key in its #fragment")


class JoinedPlayer(BaseModel):
    player_id: int
    token: str = Field(description="the player's secret: `Authorization: Bearer <token>`")
    name: str = Field(description="the nickname as shown (a number added when it was taken)")


class OptionModel(BaseModel):
    id: int
    text: str


class QuestionModel(BaseModel):
    id: int = Field(description="what an answer names as `question_id` (the 1-based number)")
    number: int
    total: int
    text: str
    options: list[OptionModel]
    deadline: str | None = Field(description="ISO-8601 UTC; null while paused")
    seconds: float = Field(description="the question's open period")
    left_ms: int | None = Field(description="milliseconds left, while paused")


class StandingModel(BaseModel):
    rank: int
    name: str
    score: int
    correct: int
    answered: int


class PlayerRef(BaseModel):
    id: int
    name: str


class OwnAnswer(BaseModel):
    option_ids: list[int]


class RevealModel(BaseModel):
    correct_option_ids: list[int]
    answer: str
    source_line: str = Field(description="where the answer is written (来源)")
    explanation: str


class PlayerResult(RevealModel):
    answered: bool
    correct: bool
    points: int


class PlayerState(BaseModel):
    status: Status
    question: QuestionModel | None
    score: int = Field(description="points over the closed questions")
    rank: int | None = Field(description="place over the closed questions; null before any")
    paused: bool
    total: int
    version: int
    server_time: str
    player: PlayerRef
    answer: OwnAnswer | None = Field(description="the player's answer to this question, if any")
    result: PlayerResult | None = Field(description="after the timer: right or wrong, points")
    top: list[StandingModel] | None = Field(description="the top 10, after each question")


class AnswerReply(BaseModel):
    accepted: bool
    reason: Literal["not_open", "late", "paused", "already_answered", "empty"] | None = Field(
        None, description="why not, when not accepted"
    )
    repeat: bool | None = Field(None, description="the same answer again: counted once")


class HostReveal(RevealModel):
    counts: list[int] = Field(description="how many chose each option")
    right: int


class HostState(BaseModel):
    status: Status
    paused: bool
    total: int
    version: int
    server_time: str
    pin: str
    join_url: str
    players: int
    names: list[str] | None = Field(description="who joined (in the lobby)")
    question: QuestionModel | None
    answered: int | None
    reveal: HostReveal | None
    leaderboard: list[StandingModel] | None


class GameInfo(BaseModel):
    pin: str
    status: Status
    players: int
    total: int


class QuestionResult(BaseModel):
    number: int
    text: str
    options: list[str]
    correct_option_ids: list[int]
    answer: str
    source_line: str
    answered: int
    right: int
    counts: list[int]


class Results(BaseModel):
    pin: str
    status: Status
    total: int
    players: int
    questions: list[QuestionResult] = Field(description="closed questions only")
    ranking: list[StandingModel]
