// Practice page: one question at a time from api/quiz/next, checked by api/quiz/answer,
// with the explanation and its source after each answer and a score for this visit.
// Text goes in with textContent only, never as markup.
"use strict";

(function () {
  const LETTERS = "ABCDEFGH";
  const scoreBox = document.getElementById("score");
  const progress = document.getElementById("progress");
  const questionBox = document.getElementById("question");
  const optionsBox = document.getElementById("options");
  const result = document.getElementById("result");
  const verdict = document.getElementById("verdict");
  const explanation = document.getElementById("explanation");
  const citation = document.getElementById("citation");
  const next = document.getElementById("next");

  // The score is the server's (kept per visitor, across visits); questions it has not
  // asked this visitor yet come first.
  let answered = 0;
  let correct = 0;
  let current = null;

  const call = window.ipregCall;

  function showScore() {
    scoreBox.textContent = "我的得分：" + correct + " / " + answered;
  }

  function showError(message) {
    result.hidden = false;
    result.className = "result wrong";
    verdict.textContent = message;
    explanation.textContent = "";
    citation.textContent = "";
    next.hidden = false;
    next.textContent = "重试";
  }

  async function load() {
    next.hidden = true;
    result.hidden = true;
    optionsBox.replaceChildren();
    questionBox.textContent = "正在加载题目…";
    let q;
    try {
      q = await call("api/quiz/next");
    } catch (err) {
      showError(err.message);
      return;
    }
    current = q;
    progress.textContent = "第 " + (answered + 1) + " 题（题库共 " + q.total + " 题）";
    questionBox.textContent = q.question;
    q.options.forEach(function (text, index) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "option";
      button.dataset.index = String(index);
      const letter = document.createElement("span");
      letter.className = "letter";
      letter.textContent = LETTERS.charAt(index) || String(index + 1);
      button.appendChild(letter);
      button.appendChild(document.createTextNode(text));
      button.addEventListener("click", function () { choose(index); });
      optionsBox.appendChild(button);
    });
  }

  async function choose(index) {
    const buttons = Array.from(optionsBox.querySelectorAll("button.option"));
    if (!current || buttons.some(function (b) { return b.disabled; })) return;
    buttons.forEach(function (b) { b.disabled = true; });
    let verdictData;
    try {
      verdictData = await call("api/quiz/answer", { id: current.id, choice: index });
    } catch (err) {
      buttons.forEach(function (b) { b.disabled = false; });
      showError(err.message);
      next.hidden = true;
      return;
    }
    answered = verdictData.answered;
    correct = verdictData.score;
    showScore();
    buttons.forEach(function (b, i) {
      if (i === verdictData.answer) b.classList.add("right");
      else if (i === index) b.classList.add("wrong");
    });
    result.hidden = false;
    result.className = "result " + (verdictData.correct ? "right" : "wrong");
    const letter = LETTERS.charAt(verdictData.answer) || String(verdictData.answer + 1);
    verdict.textContent = verdictData.correct
      ? "回答正确！"
      : "回答错误。正确答案：" + letter + ". " + verdictData.answer_text;
    explanation.textContent = verdictData.explanation;
    citation.textContent = "来源：" + verdictData.source_line;
    next.textContent = "下一题";
    next.hidden = false;
    next.focus({ preventScroll: true });
  }

  next.addEventListener("click", load);
  showScore();
  load();
})();
