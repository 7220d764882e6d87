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

  // Labels around knowledge-base content come from api/ui (the reply templates), so a
  // wording change in the data changes the page too.
  let labels = { source: "来源：", source_separator: "；", locator_separator: "、", phone: "电话：", email: "邮箱：",
    serves: "联系事项：", excerpt_mark: "……", show_passage: "查看原文", pending: "正在查找…",
    examples_hint: "试试这些问题：" };

  function contactCard(contact) {
    const card = el("div", "contact");
    card.appendChild(el("p", "contact-name", contact.name));
    card.appendChild(el("p", "contact-org", contact.organization));
    const phone = el("p", "contact-line", labels.phone);
    const tel = el("a", null, contact.phone);
    tel.href = "tel:" + String(contact.phone).replace(/[^0-9+]/g, "");
    phone.appendChild(tel);
    card.appendChild(phone);
    if (contact.email) {
      const mail = el("p", "contact-line", labels.email);
      const link = el("a", null, contact.email);
      link.href = "mailto:" + encodeURIComponent(contact.email).replace("%40", "@");
      mail.appendChild(link);
      card.appendChild(mail);
    }
    if (contact.serves) card.appendChild(el("p", "contact-line", labels.serves + contact.serves));
    return card;
  }

  function chips(suggestions, question) {
    const row = el("div", "chips");
    suggestions.forEach(function (s) {
      const chip = el("button", "chip", s.title);
      chip.type = "button";
      chip.addEventListener("click", function () {
        choose(s, question);
      });
      row.appendChild(chip);
    });
    return row;
  }

  // One DOM node per block of the structured reply.
  function blockNode(block, question) {
    switch (block.type) {
      case "heading":
        return el("p", "heading", block.text);
      case "passage": {
        const text = block.excerpt ? labels.excerpt_mark + block.text + labels.excerpt_mark : block.text;
        return el("p", "text passage-text", text);
      }
      case "list": {
        const list = el(block.numbered ? "ol" : "ul", block.numbered ? "items" : "items plain");
        block.items.forEach(function (item) { list.appendChild(el("li", null, item.text)); });
        return list;
      }
      case "note":
        return el("p", "text note", block.text);
      case "suggestions":
        return chips(block.items, question);
      case "contacts": {
        const cards = el("div", "cards");
        block.cards.forEach(function (c) { cards.appendChild(contactCard(c)); });
        return cards;
      }
      default:
        return null;
    }
  }

  function sourceLine(sources) {
    return sources.length ? labels.source + sources.join(labels.source_separator) : "";
  }

  function addReply(reply) {
    const item = el("div", "msg bot " + reply.kind);
    item.dataset.kind = reply.kind;
    (reply.blocks || []).forEach(function (block) {
      const node = blockNode(block, reply.question);
      if (node) item.appendChild(node);
    });
    const source = sourceLine(reply.sources || []);
    if (source) item.appendChild(el("p", "source", source));
    if (reply.passage && reply.kind === "answer") {
      const details = el("details", "original");
      details.appendChild(el("summary", null, labels.show_passage));
      details.appendChild(el("p", "passage", reply.passage));
      item.appendChild(details);
    }
    log.appendChild(item);
    scrollDown();
  }

  // Resolves to true when a reply came, false when the send was refused or failed.
  async function run(label, path, payload) {
    if (busy) return false;
    busy = true;
    send.disabled = true;
    addUser(label);
    const waiting = addNote(labels.pending, "pending");
    try {
      addReply(await call(path, payload));
      return true;
    } catch (err) {
      addNote(err.message, "error");
      return false;
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

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const question = input.value.trim();
    if (!question || busy) return;
    input.value = "";
    const answered = await ask(question);
    // Refused (too many questions, say) or failed: the question goes back into the box to
    // send again, unless something new was typed meanwhile.
    if (!answered && !input.value) input.value = question;
  });

  async function greet() {
    let ui;
    try {
      ui = await call("api/ui");
    } catch (err) {
      addNote(err.message, "error");
      return;
    }
    if (ui.labels) labels = Object.assign(labels, ui.labels);
    const item = el("div", "msg bot welcome");
    item.appendChild(el("p", "text", ui.greeting || "您好！请直接输入问题。"));
    if (ui.examples && ui.examples.length > 0) {
      item.appendChild(el("p", "hint", labels.examples_hint));
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
