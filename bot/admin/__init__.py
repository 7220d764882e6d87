"""The admin console's domain: accounts and their passwords, the login lock, sessions, the
audit log, learned wordings, the review of unanswered questions and applying what was
learned only when the evaluation does not get worse.

Platform-free like `bot.live`: the web front end (bot/frontends/web/admin_*.py) and the
command line (`python -m bot admin …`, `kb learned export`) are thin over it.
"""
