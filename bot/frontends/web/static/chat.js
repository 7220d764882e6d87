// Chat page: sends questions to api/ask and lays each reply out.
// Every piece of text is inserted with textContent on elements made by createElement, never
// as markup, so a question or a knowledge-base passage can never inject HTML.
// URLs are relative so the page also works under a path prefix behind a reverse proxy.
"use strict";

(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("ask");
  const input = document.getElementById("q");
  const send = form.querySelector("button");
  let busy = false;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function scrollDown() {
    window.requestAnimationFrame(function () {
      log.lastElementChild && log.lastElementChild.scrollIntoView({ block: "end", behavior: "smooth" });
    });
  }

  const call = window.ipregCall;

  function addUser(text) {
    const item = el("div", "msg user");
    item.appendChild(el("p", "text", text));
    log.appendChild(item);
    scrollDown();
  }

  function addNote(text, className) {
    const item = el("div", "msg bot " + className);
    item.appendChild(el("p", "text", text));
    log.appendChild(item);
    scrollDown();
    return item;
  }

  function contactCard(contact) {
    const card = el("div", "contact");
    card.appendChild(el("p", "contact-name", contact.name));
    card.appendChild(el("p", "contact-org", contact.organization));
    const phone = el("p", "contact-line", "电话：");
    const tel = el("a", null, contact.phone);
    tel.href = "tel:" + String(contact.phone).replace(/[^0-9+]/g, "");
    phone.appendChild(tel);
    card.appendChild(phone);
    if (contact.email) {
      const mail = el("p", "contact-line", "邮箱：");
      const link = el("a", null, contact.email);
      link.href = "mailto:" + encodeURIComponent(contact.email).replace("%40", "@");
      mail.appendChild(link);
      card.appendChild(mail);
    }
    if (contact.serves) card.appendChild(el("p", "contact-line", "负责事项：" + contact.serves));
    return card;
  }

  function addReply(reply) {
    const item = el("div", "msg bot " + reply.kind);
    item.dataset.kind = reply.kind;
    const withCards = reply.kind === "fallback" && reply.contacts && reply.contacts.length > 0;
    item.appendChild(el("p", "text", withCards || reply.kind === "clarify" ? reply.message : reply.body));

    if (reply.suggestions && reply.suggestions.length > 0) {
      const chips = el("div", "chips");
      reply.suggestions.forEach(function (s) {
        const chip = el("button", "chip", s.title);
        chip.type = "button";
        chip.addEventListener("click", function () {
          choose(s, reply.question);
        });
        chips.appendChild(chip);
      });
      item.appendChild(chips);
    }
    if (withCards) reply.contacts.forEach(function (c) { item.appendChild(contactCard(c)); });
    if (reply.source_line) item.appendChild(el("p", "source", reply.source_line));
    if (reply.passage && reply.kind === "answer") {
      const details = el("details", "original");
      details.appendChild(el("summary", null, "查看原文"));
      details.appendChild(el("p", "passage", reply.passage));
      item.appendChild(details);
    }
    log.appendChild(item);
    scrollDown();
  }

  async function run(label, path, payload) {
    if (busy) return;
    busy = true;
    send.disabled = true;
    addUser(label);
    const waiting = addNote("正在查找…", "pending");
    try {
      addReply(await call(path, payload));
    } catch (err) {
      addNote(err.message, "error");
    } finally {
      waiting.remove();
      busy = false;
      send.disabled = false;
    }
  }

  function ask(question) {
    return run(question, "api/ask", { question: question });
  }

  function choose(suggestion, question) {
    return run(suggestion.title, "api/answer-entry", { entry: suggestion.entry, question: question });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const question = input.value.trim();
    if (!question || busy) return;
    input.value = "";
    ask(question);
  });

  async function greet() {
    let ui;
    try {
      ui = await call("api/ui");
    } catch (err) {
      addNote(err.message, "error");
      return;
    }
    const item = el("div", "msg bot welcome");
    item.appendChild(el("p", "text", ui.greeting || "您好！请直接输入问题。"));
    if (ui.examples && ui.examples.length > 0) {
      item.appendChild(el("p", "hint", "试试这些问题："));
      const chips = el("div", "chips examples");
      ui.examples.forEach(function (q) {
        const chip = el("button", "chip", q);
        chip.type = "button";
        chip.addEventListener("click", function () { ask(q); });
        chips.appendChild(chip);
      });
      item.appendChild(chips);
    }
    log.appendChild(item);
  }

  // No autofocus: on a phone it would pop the keyboard, in an iframe it could scroll the host page.
  greet();
})();
