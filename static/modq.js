// modq moderator UI: keyboard use of the queue. The page works without this
// script for single decisions (every card has plain forms); with it,
// decisions are sent in the background and the next card gets the focus.
//   j / k          next / previous comment
//   a              approve the current comment (Reported tab: keep it)
//   o              reopen it (Approved and Rejected tabs)
//   r, then 1-9    reject it with that guideline (Enter: the one in the
//                  card's picker; Esc: cancel)
//   u              undo your last decision, within 30 seconds
//   x              select the current comment for a bulk decision
//   ?              show or hide the help
// New comments and other moderators' decisions arrive as Server-Sent
// Events: cards are added and set aside without a reload, and the pending
// count (also in the tab title) follows.
// The comment in focus is leased to this moderator, so others see who is
// reviewing it; the lease is renewed while it stays in focus and given up
// when the focus moves on.
"use strict";

(function () {
  const queue = document.getElementById("queue");
  if (!queue) return;
  const notice = document.getElementById("notice");
  const help = document.getElementById("help");
  const bulk = document.getElementById("bulk");
  const csrf = queue.dataset.csrf;
  const me = queue.dataset.actor;
  // pending, reported, edited, approved or rejected
  const tab = queue.dataset.tab || "pending";
  const waiting = tab === "pending" || tab === "edited";
  const UNDO_MS = 30000;
  let current = 0;
  let leased = null;
  let renewal = null;
  let rejecting = null;
  let last = null;

  function cards() {
    return Array.from(queue.querySelectorAll("article.card:not(.done)"));
  }

  function say(text, isError) {
    notice.textContent = text;
    notice.classList.toggle("error", Boolean(isError));
    notice.hidden = false;
  }

  function leaseUrl(card) {
    return "/comments/" + card.dataset.id + "/lease";
  }

  async function lease(card) {
    if (leased && leased !== card) {
      const previous = leased;
      leased = null;
      fetch(leaseUrl(previous), { method: "DELETE", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
        .then(() => { delete previous.dataset.lease; });
    }
    clearTimeout(renewal);
    const response = await fetch(leaseUrl(card), {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
      credentials: "same-origin",
    });
    const body = await response.json().catch(() => ({}));
    const line = card.querySelector(".lease");
    if (response.ok) {
      leased = card;
      card.dataset.lease = "mine";
      card.classList.remove("leased");
      if (line) line.hidden = true;
      const every = Math.max(5, (body.expires_in_secs || 300) / 2) * 1000;
      renewal = setTimeout(() => { if (leased === card) lease(card); }, every);
    } else if (response.status === 409 && body.error && body.error.code === "leased") {
      card.classList.add("leased");
      if (line) {
        line.textContent = "Being " + body.error.message.replace(/^being /, "");
        line.hidden = false;
      }
    }
  }

  function focus(index) {
    const list = cards();
    if (list.length === 0) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach((card, i) => card.classList.toggle("current", i === current));
    list[current].focus();
    lease(list[current]);
  }

  function showCount(text) {
    const count = document.getElementById("pending-count");
    if (count) count.textContent = text;
    document.title = "(" + text + ") Queue · modq";
  }

  async function refreshCount() {
    const response = await fetch("/queue/count", { headers: { "Accept": "application/json" }, credentials: "same-origin" });
    if (response.ok) showCount((await response.json()).pending);
  }

  function setDone(card) {
    card.dataset.local = "1";
    if (leased === card) leased = null;
    card.classList.add("done");
    card.classList.remove("current");
    const box = card.querySelector("input.select");
    if (box) box.checked = false;
    updateSelection();
  }

  function post(url, fields) {
    return fetch(url, {
      method: "POST",
      headers: { "Accept": "application/json" },
      body: fields,
      credentials: "same-origin",
    }).then(async (response) => ({ response, body: await response.json().catch(() => ({})) }));
  }

  async function decide(form) {
    const card = form.closest("article.card");
    // form.action would be the input named "action", not the attribute.
    const { response, body } = await post(form.getAttribute("action"), new URLSearchParams(new FormData(form)));
    if (response.ok) {
      setDone(card);
      // Undo reopens: it takes back a decision on a waiting comment only.
      if (waiting) {
        last = { card, version: body.version, at: Date.now() };
        say("Comment " + body.status + ". Press u to undo.");
      } else {
        say("Comment " + body.status + ".");
      }
      refreshCount();
      focus(current);
    } else if (response.status === 409 && body.current) {
      // Someone else was first: say what the comment is now.
      setDone(card);
      say("Another moderator got there first: this comment is now " + body.current.status + ".", true);
      focus(current);
    } else {
      say(body.error ? body.error.message : "the decision failed", true);
    }
  }

  async function undo() {
    if (!last || Date.now() - last.at > UNDO_MS) {
      say("Nothing to undo: decisions can be undone for 30 seconds.", true);
      return;
    }
    const { card, version } = last;
    last = null;
    const fields = new URLSearchParams({ csrf, action: "reopen", version: String(version) });
    const { response, body } = await post("/comments/" + card.dataset.id + "/decision", fields);
    if (!response.ok) {
      say(body.error ? body.error.message : "the undo failed", true);
      return;
    }
    card.classList.remove("done");
    card.dataset.local = "1";
    card.dataset.version = String(body.version);
    card.querySelectorAll("input[name=version]").forEach((input) => { input.value = String(body.version); });
    say("Undone: the comment is pending again.");
    refreshCount();
    focus(cards().indexOf(card));
  }

  function selected() {
    return Array.from(queue.querySelectorAll("article.card:not(.done) input.select:checked"))
      .map((box) => box.closest("article.card"));
  }

  function updateSelection() {
    const count = document.getElementById("bulk-count");
    if (count) count.textContent = selected().length + " selected";
  }

  async function decideMany(action) {
    const fields = new URLSearchParams(new FormData(bulk));
    fields.set("action", action);
    const all = document.getElementById("bulk-all");
    if (!(all && all.checked)) {
      const chosen = selected();
      if (chosen.length === 0) {
        say("Select comments first (x), or tick \u201cevery comment matching this view\u201d.", true);
        return;
      }
      fields.set("items", chosen.map((card) => card.dataset.id + ":" + card.dataset.version).join(","));
    }
    const { response, body } = await post("/decisions", fields);
    if (!response.ok) {
      say(body.error ? body.error.message : "the bulk decision failed", true);
      return;
    }
    body.decided.forEach((id) => {
      const card = document.getElementById("comment-" + id);
      if (card) setDone(card);
    });
    if (all) all.checked = false;
    const verb = { approve: "Approved", reject: "Rejected", keep: "Kept", reopen: "Reopened" }[action] || "Decided";
    let text = verb + " " + body.decided.length + " comment" + (body.decided.length === 1 ? "" : "s") + ".";
    if (body.failed.length > 0) {
      text += " " + body.failed.length + " not decided: " + body.failed.map((f) => f.message).join("; ");
    }
    say(text, body.failed.length > 0);
    refreshCount();
    focus(current);
  }

  async function addCard(id) {
    const known = document.getElementById("comment-" + id);
    if (known) {
      // Reopened by someone else: it is pending again.
      known.classList.remove("done");
      return;
    }
    const response = await fetch("/comments/" + id + "/card", { credentials: "same-origin" });
    if (!response.ok) return;
    // The fragment is modq's own escaped HTML for one card.
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const card = holder.querySelector("article.card");
    if (!card || document.getElementById(card.id)) return;
    const empty = queue.querySelector(".empty");
    if (empty) empty.remove();
    queue.insertBefore(card, queue.querySelector(".more"));
    if (cards().length === 1) focus(0);
  }

  function setAside(id, event) {
    const card = document.getElementById("comment-" + id);
    if (!card || card.classList.contains("done")) return;
    const wasCurrent = card.classList.contains("current");
    setDone(card);
    const who = event.actor.replace(/^(moderator|site):/, "");
    say("Comment " + event.status + " by " + who + ".");
    if (wasCurrent) focus(current);
  }

  function onQueueEvent(message) {
    const event = JSON.parse(message.data);
    const card = document.getElementById("comment-" + event.comment_id);
    // This page already shows what its own actions did; an event for them
    // may arrive after a later action (an undo) and must not undo it.
    if (card && card.dataset.local && event.actor === me) {
      refreshCount();
      return;
    }
    // A report, or an edit that leaves a comment where it was, moves no card.
    if (event.action === "report" || (event.action === "edit" && card && card.dataset.status === event.status)) {
      refreshCount();
      return;
    }
    // New and reopened comments join the pending tab; on any tab, a card
    // someone else acted on is set aside.
    if (event.status === "pending" && tab === "pending") addCard(event.comment_id);
    else if (event.status !== "pending" || tab !== "pending") setAside(event.comment_id, event);
    refreshCount();
  }

  if (window.EventSource) {
    const source = new EventSource("/events");
    source.addEventListener("queue", onQueueEvent);
    source.addEventListener("resync", refreshCount);
    source.addEventListener("open", () => { queue.dataset.live = "on"; });
  }

  queue.addEventListener("submit", (event) => {
    event.preventDefault();
    if (event.target === bulk) decideMany(event.submitter ? event.submitter.value : (waiting ? "approve" : "reopen"));
    else decide(event.target);
  });
  queue.addEventListener("change", (event) => {
    if (event.target.matches("input.select")) updateSelection();
  });
  document.getElementById("help-toggle").addEventListener("click", () => { help.hidden = !help.hidden; });

  function rejectKey(key) {
    const card = rejecting;
    rejecting = null;
    if (key === "Escape") {
      say("Rejection cancelled.");
      return;
    }
    const form = card.querySelector("form.reject");
    const picker = form.querySelector("select[name=reason]");
    if (/^[1-9]$/.test(key)) {
      const option = picker.options[Number(key) - 1];
      if (!option) {
        say("There is no guideline " + key + ".", true);
        return;
      }
      picker.value = option.value;
    } else if (key !== "Enter" && key !== "r") {
      say("Rejection cancelled.");
      return;
    }
    decide(form);
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
    if (rejecting) {
      event.preventDefault();
      rejectKey(event.key);
      return;
    }
    const card = cards()[current];
    switch (event.key) {
      case "j": focus(current + 1); break;
      case "k": focus(current - 1); break;
      case "a": {
        const form = card && card.querySelector("form.approve, form.keep");
        if (form) decide(form);
        break;
      }
      case "o": {
        const form = card && card.querySelector("form.reopen");
        if (form) decide(form);
        break;
      }
      case "r":
        if (card && card.querySelector("form.reject")) {
          rejecting = card;
          const titles = Array.from(card.querySelectorAll("form.reject option")).map((o) => o.textContent);
          say("Reject: press a number for the reason (" + titles.join(", ") + "), Enter for the one shown, Esc to cancel.");
        }
        break;
      case "u": undo(); break;
      case "x":
        if (card) {
          const box = card.querySelector("input.select");
          box.checked = !box.checked;
          updateSelection();
        }
        break;
      case "?": help.hidden = !help.hidden; break;
      default: return;
    }
    event.preventDefault();
  });

  focus(0);
})();
