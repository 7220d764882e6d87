"""The web front end's refusals: a JSON `{"error": code, "message": 中文}` with a 4xx status.

Handlers raise `ApiError`; the app turns it into the response. The texts are fixed UI
wording, not knowledge; the two the engine shares with other channels (too_long,
rate_limited) come from the intents data.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

MESSAGES = {
    "unsupported_media_type": "请求格式不正确：请使用 Content-Type: application/json 发送 JSON。",
    "body_too_large": "请求内容太大（超过{limit}字节），请精简后再试。",
    "bad_json": "请求内容不是有效的 JSON，请检查后重试。",
    "body_timeout": "请求内容发送太慢，连接已超时，请重试。",
    "not_an_object": '请求内容应是一个 JSON 对象，例如 {"question": "条例什么时候施行？"}。',
    "missing_question": '请提供文字形式的问题，例如 {"question": "条例什么时候施行？"}。',
    "bad_text": "问题中包含无法识别的字符，请重新输入。",
    "missing_entry": '请提供要查看的条目编号，例如 {"entry": "plan-schedule"}。',
    "unknown_entry": "没有找到这个条目，请重新提问。",
    "missing_quiz_id": '请提供题目编号和所选选项，例如 {"id": "…", "choice": 0}。',
    "unknown_quiz": "没有找到这道题，请换一道题再试。",
    "bad_choice": "所选选项不存在：choice 应为 0 到 {last} 之间的整数。",
    "empty_quiz": "题库中暂时没有题目。",
    "quiz_unavailable": "答题练习暂时不可用，请稍后再试。",
    "rate_limited": "提问太频繁了，请稍等片刻再试。",
    "too_long": "您的问题太长了（超过{limit}字），请精简后再问。",
    "unauthorized": "需要管理员令牌（Authorization: Bearer …）。",
    "not_found": "没有这个页面或接口。",
    "method_not_allowed": "这个接口不支持该请求方法。",
    "internal_error": "服务器内部出错了，请稍后再试。",
}
# Messages with a placeholder, filled by name; the others are sent as they are (no
# template artefacts such as doubled braces).
_FIELDS = {"body_too_large": "limit", "too_long": "limit", "bad_choice": "last"}


def message(code: str, texts: dict[str, str] | None = None, **values: Any) -> str:
    """The message for `code`, its placeholder filled when it has one."""
    text = (texts or MESSAGES).get(code) or MESSAGES.get(code, code)
    field = _FIELDS.get(code)
    if field is not None and field in values:
        return text.replace("{" + field + "}", str(values[field]))
    return text


class ApiError(Exception):
    """A refusal the client can act on: status, a code for programs, a message for people."""

    def __init__(self, status: int, code: str, text: str, **extra: Any) -> None:
        super().__init__(text)
        self.status = status
        self.code = code
        self.message = text
        self.extra = extra
        self.headers: dict[str, str] = {}

    def response(self) -> JSONResponse:
        content = {"error": self.code, "message": self.message, **self.extra}
        return JSONResponse(content, status_code=self.status, headers=self.headers)


def refusal(status: int, code: str, **values: Any) -> ApiError:
    return ApiError(status, code, message(code, **values), **values)


# The refusals every JSON endpoint may answer with, for the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "body is not valid JSON"},
    413: {"description": "body larger than the limit"},
    415: {"description": "not application/json"},
    422: {"description": "a field is missing or wrong"},
    429: {"description": "too many requests; Retry-After says when to come back"},
}
