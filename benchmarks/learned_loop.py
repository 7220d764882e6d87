"""The loop that turns unanswered questions into answers, end to end, on the corpus laws.

Usage:  python benchmarks/learned_loop.py [--corpus DIR] [--count 30] [--select]

Builds the knowledge base `benchmarks/corpus.py` builds (the seed material and every law of
../shared/corpus), starts `python -m bot web` on it (its own SQLite database, the semantic
encoder on, BOT_EVAL_DIR=tests/eval), and then, as an organiser would through the console's
HTTP API only:

1. asks every dev-split question of tests/eval/corpus.yaml on the chat API and keeps the
   first `--count` that are answered wrongly or not at all (fewer if there are fewer);
2. makes an admin account (`python -m bot admin add --password-stdin`), logs in (the
   pre-login CSRF token, the session cookie, the session's CSRF token), reads the list of
   unanswered and unsure questions (how many of the chosen ones the organiser sees there),
   and attaches each chosen question to its expected article;
3. applies: the console evaluates the held-out test splits (seed and corpus) before and
   after and refuses if hit@1 drops. A refusal names the held-out questions that got worse
   and the pending wordings suspected of it (attached to the entry such a question now gets
   first); as an organiser would, the benchmark takes the suspects back and applies again,
   until the apply passes or names no suspect; then reloads.

Reported: (a) how many of the chosen questions are answered right afterwards; (b) the
held-out test splits' hit@1 before and after (from the apply, and asked again over HTTP);
(c) for each chosen question its paraphrase in tests/eval/corpus_paraphrases.yaml (written
before this ran, never attached) answered right before and after. Right is what
`python -m bot eval` calls right: the expected entry first and the facts present.
`--select` only lists the questions that would be chosen (to write their paraphrases).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import build_corpus  # noqa: E402

from bot.evaluation import Item, load_items, of_split  # noqa: E402

CORPUS_SET = ROOT / "tests" / "eval" / "corpus.yaml"
SEED_SET = ROOT / "tests" / "eval" / "seed.yaml"
PARAPHRASES = ROOT / "tests" / "eval" / "corpus_paraphrases.yaml"
ADMIN, PASSWORD = "benchmark-organiser", "a long benchmark password"


def first_entry(reply: dict[str, Any]) -> str | None:
    """What the user is shown first (bot.evaluation's `ranking_of`), from the API's reply."""
    if reply["kind"] == "fallback":
        return None
    return reply.get("entry") or next(
        (c["entry"] for c in reply.get("citations", [])),
        next((s["entry"] for s in reply.get("suggestions", [])), None),
    )


def right(item: Item, reply: dict[str, Any]) -> bool:
    """`Outcome.correct` of bot.evaluation for an in-scope item, from the API's reply."""
    return first_entry(reply) in item.expect and all(f in reply["text"] for f in item.facts)


def load_paraphrases() -> dict[str, Item]:
    """The paraphrases, keyed by the evaluation question each rewords (`of`)."""
    import yaml

    raw = yaml.safe_load(PARAPHRASES.read_text(encoding="utf-8")) if PARAPHRASES.exists() else []
    return {
        str(r["of"]): Item(
            str(r["q"]), tuple(r["expect"]), tuple(r.get("facts") or ()), split="test"
        )
        for r in raw or []
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Web:
    """`python -m bot web` in a subprocess over the given knowledge base and database."""

    def __init__(self, knowledge: Path, database: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "BOT_DATABASE_URL": database,
            "BOT_KNOWLEDGE_DIR": str(knowledge),
            "BOT_EVAL_DIR": str(ROOT / "tests" / "eval"),
            "BOT_WEB_RATE_LIMIT": "0",
            "BOT_WEB_ACCESS_LOG": "0",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def command(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "web", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/api/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError("the web service did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def ask_all(client: httpx.Client, items: list[Item]) -> list[bool]:
    return [right(i, client.post("/api/ask", json={"question": i.question}).json()) for i in items]


def log_in(client: httpx.Client) -> str:
    token = client.get("/api/admin/login-token").json()["csrf"]
    reply = client.post(
        "/api/admin/login",
        json={"name": ADMIN, "password": PASSWORD},
        headers={"X-CSRF-Token": token},
    )
    reply.raise_for_status()
    return str(reply.json()["csrf"])


def held_out(client: httpx.Client, knowledge_has_corpus: bool) -> dict[str, tuple[int, int]]:
    """hit@1 (hits, questions) of the test splits, asked over HTTP: the entry shown first
    is an expected one (facts not checked, as `eval` counts hit@1)."""
    out = {}
    sets = [("seed.yaml", SEED_SET)] + (
        [("corpus.yaml", CORPUS_SET)] if knowledge_has_corpus else []
    )
    for name, path in sets:
        items = [i for i in of_split(load_items(path), "test") if i.in_scope]
        hits = 0
        for item in items:
            reply = client.post("/api/ask", json={"question": item.question}).json()
            hits += first_entry(reply) in item.expect
        out[name] = (hits, len(items))
    return out


def apply_taking_back_suspects(
    client: httpx.Client, headers: dict[str, str]
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Apply; while the console refuses and names suspects, take them back and apply again.
    Every apply's reply, and the (wording, entry) pairs taken back."""
    rounds: list[dict[str, Any]] = []
    taken_back: list[tuple[str, str]] = []
    while True:
        outcome = client.post("/api/admin/learned/apply", json={}, headers=headers).json()
        rounds.append(outcome)
        if outcome["reason"] != "dropped" or not outcome["suspects"]:
            return rounds, taken_back
        pending = {w["id"]: w for w in client.get("/api/admin/learned").json()["wordings"]}
        for ident in outcome["suspects"]:
            reply = client.post("/api/admin/learned/remove", json={"id": ident}, headers=headers)
            reply.raise_for_status()
            taken_back.append((pending[ident]["wording"], pending[ident]["entry"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--select", action="store_true", help="only list the chosen questions")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ipreg-loop-"))
    knowledge = work / "knowledge"
    if not build_corpus(Path(args.corpus), knowledge):
        print(f"no law texts in {args.corpus}: this benchmark needs ../shared/corpus")
        return 1
    web = Web(knowledge, f"sqlite:///{work / 'bot.db'}")
    web.start()
    try:
        return run(web, args, knowledge)
    finally:
        web.stop()
        shutil.rmtree(work, ignore_errors=True)


def run(web: Web, args: argparse.Namespace, knowledge: Path) -> int:
    dev = [i for i in of_split(load_items(CORPUS_SET), "dev") if i.in_scope]
    with httpx.Client(base_url=web.url, timeout=120) as client:
        results = ask_all(client, dev)
        wrong = [i for i, ok in zip(dev, results, strict=True) if not ok]
        chosen = wrong[: args.count]
        print(
            f"dev split: {len(dev)} in-scope questions, {len(wrong)} answered wrongly or not at all"
        )
        if len(chosen) < args.count:
            print(f"fewer than {args.count}: all {len(chosen)} are taken")
        if args.select:
            for item in chosen:
                reply = client.post("/api/ask", json={"question": item.question}).json()
                print(
                    f"- {item.question}\n  expect {item.expect}  got {reply['kind']} {reply.get('entry')}"
                )
            return 0
        paraphrases = load_paraphrases()
        missing = [i.question for i in chosen if i.question not in paraphrases]
        if missing:
            print(
                "write a paraphrase first (tests/eval/corpus_paraphrases.yaml) for:",
                *missing,
                sep="\n  ",
            )
            return 1
        para = [paraphrases[i.question] for i in chosen]
        para_before = ask_all(client, para)
        figures_before = held_out(client, True)

        web.command("admin", "add", ADMIN, "--password-stdin", stdin=PASSWORD + "\n")
        csrf = log_in(client)
        headers = {"X-CSRF-Token": csrf}
        groups = client.get("/api/admin/questions", params={"limit": 200}).json()["groups"]
        listed = {w for g in groups for w in (g["question"], *g["wordings"])}
        seen = sum(i.question in listed for i in chosen)
        for item in chosen:
            reply = client.post(
                "/api/admin/questions/attach",
                json={"question": item.question, "entry": item.expect[0]},
                headers=headers,
            )
            reply.raise_for_status()
        started = time.perf_counter()
        rounds, taken_back = apply_taking_back_suspects(client, headers)
        apply_seconds = time.perf_counter() - started
        applied = rounds[-1]
        reload = client.post("/api/admin/reload", headers=headers).json()
        after = ask_all(client, chosen)
        para_after = ask_all(client, para)
        figures_after = held_out(client, True)

    print(f"the chosen questions in the console's unanswered/unsure list: {seen} of {len(chosen)}")
    for number, outcome in enumerate(rounds, 1):
        print(f"apply {number}: {outcome['reason']}, {outcome['attached']} pending wordings")
        for s in outcome["sets"]:
            print(
                f"  {s['set']} test split hit@1 {s['hits_before']}/{s['questions']} "
                f"({s['hit1_before']:.1%}) -> {s['hits_after']}/{s['questions']} "
                f"({s['hit1_after']:.1%})"
            )
            for w in s["worse"]:
                print(f"    worse: {w['question']}  [{w['expected']} -> {w['now']}]")
        if outcome["suspects"] and outcome["reason"] == "dropped":
            print(f"  taken back: {len(outcome['suspects'])} suspected wordings")
    print(f"{len(rounds)} applies in {apply_seconds:.1f} s; {applied['message']}")
    for wording, entry in taken_back:
        print(f"  taken back: {wording}  [{entry}]")
    print(f"reload after apply: ok={reload['ok']}")
    kept = [
        ok for item, ok in zip(chosen, after, strict=True) if item.question not in dict(taken_back)
    ]
    print(
        f"(a) chosen questions answered right: before 0/{len(chosen)}, after {sum(after)}/{len(chosen)}"
        f" ({sum(kept)}/{len(kept)} of those still attached)"
    )
    back = dict(taken_back)
    for item, ok in zip(chosen, after, strict=True):
        if not ok and item.question not in back:
            print(f"    ✗ still wrong though attached: {item.question}  [{item.expect[0]}]")
    for name in figures_before:
        (b, n), (a, _) = figures_before[name], figures_after[name]
        print(
            f"(b) {name} test split hit@1 over HTTP: {b}/{n} ({b / n:.1%}) -> {a}/{n} ({a / n:.1%})"
        )
    print(
        f"(c) paraphrases answered right: before {sum(para_before)}/{len(para)}, "
        f"after {sum(para_after)}/{len(para)}"
    )
    for item, p, was, now in zip(chosen, para, para_before, para_after, strict=True):
        print(
            f"    {'✓' if now else '✗'} (before {'✓' if was else '✗'}) {p.question}  [{item.expect[0]}]"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
