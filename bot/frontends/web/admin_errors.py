"""The admin console's refusals: JSON `{"error": code, "message": 中文}` like the rest of the
API (bot/frontends/web/errors.py), with the console's own wording."""

from __future__ import annotations

from typing import Any

from bot.frontends.web.errors import ApiError

ADMIN_MESSAGES = {
    "not_found": "没有这个页面或接口。",
    "login_required": "请先登录管理后台。",
    "csrf": "请求缺少有效的安全令牌，请刷新页面后重试。",
    "bad_login": "用户名或密码不正确。",
    "locked": "登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试。",
    "bad_request": "请求内容不正确：{detail}",
    "unknown_entry": "知识库中没有这个条目：{detail}",
    "attached_elsewhere": "这个问法已关联到条目 {detail}，请先移除再关联到别的条目。",
    "no_wording": "没有找到这条学到的问法。",
    "nothing_pending": "没有待应用的问法。",
    "apply_busy": "正在应用另一批问法，请稍后再试。",
    "no_eval": "找不到评估题集（{detail}），无法验证改动，未应用。",
    "no_database": "管理后台需要数据库，当前不可用。",
    "report_failed": "报告生成失败：{detail}",
    "live_unavailable": "现场竞赛暂时不可用。",
    "bad_game": "题目数应为 1–50，每题秒数应为 5–300。",
    "empty_quiz": "题库中暂时没有题目。",
}


def admin_refusal(status: int, code: str, **values: Any) -> ApiError:
    """An ApiError with the console's message for `code`, placeholders filled."""
    text = ADMIN_MESSAGES.get(code, code)
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return ApiError(status, code, text)
