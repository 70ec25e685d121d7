// modq moderator UI: keyboard use of the queue. The page works without this
// script (every action is a plain form); with it, decisions are sent in the
// background and the next card gets the focus.
//   j / k   next / previous comment
//   a       approve the current comment
//   r       reject it with the reason chosen in its picker
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
  const csrf = queue.dataset.csrf;
  let current = 0;
  let leased = null;
  let renewal = null;

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

  function cards() {
    return Array.from(queue.querySelectorAll("article.card:not(.done)"));
  }

  function focus(index) {
    const list = cards();
    if (list.length === 0) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach((card, i) => card.classList.toggle("current", i === current));
    list[current].focus();
    lease(list[current]);
  }

  function say(text, isError) {
    notice.textContent = text;
    notice.classList.toggle("error", Boolean(isError));
    notice.hidden = false;
  }

  async function decide(form) {
    const card = form.closest("article.card");
    // form.action would be the input named "action", not the attribute.
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      headers: { "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      if (leased === card) leased = null;
      card.classList.add("done");
      card.classList.remove("current");
      refreshCount();
      say("Comment " + body.status + ".");
      focus(current);
    } else if (response.status === 409 && body.current) {
      // Someone else was first: say what the comment is now.
      card.classList.add("done");
      card.classList.remove("current");
      say("Another moderator got there first: this comment is now " + body.current.status + ".", true);
      focus(current);
    } else {
      const message = body.error ? body.error.message : "the decision failed";
      say(message, true);
    }
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

  async function addCard(id) {
    if (document.getElementById("comment-" + id)) return;
    const response = await fetch("/comments/" + id + "/card", { credentials: "same-origin" });
    if (!response.ok) return;
    // The fragment is modq's own escaped HTML for one card.
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const card = holder.querySelector("article.card");
    if (!card || document.getElementById(card.id)) return;
    const empty = queue.querySelector(".empty");
    if (empty) empty.remove();
    const more = queue.querySelector(".more");
    queue.insertBefore(card, more);
    if (cards().length === 1) focus(0);
  }

  function setAside(id, event) {
    const card = document.getElementById("comment-" + id);
    if (!card || card.classList.contains("done")) return;
    const wasCurrent = card.classList.contains("current");
    card.classList.add("done");
    card.classList.remove("current");
    if (leased === card) leased = null;
    const who = event.actor.replace(/^(moderator|site):/, "");
    say("Comment " + event.status + " by " + who + ".");
    if (wasCurrent) focus(current);
  }

  function onQueueEvent(message) {
    const event = JSON.parse(message.data);
    if (event.status === "pending") addCard(event.comment_id);
    else setAside(event.comment_id, event);
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
    decide(event.target);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
    const list = cards();
    const card = list[current];
    switch (event.key) {
      case "j": focus(current + 1); break;
      case "k": focus(current - 1); break;
      case "a": if (card) decide(card.querySelector("form.approve")); break;
      case "r": if (card) decide(card.querySelector("form.reject")); break;
      default: return;
    }
    event.preventDefault();
  });

  focus(0);
})();
