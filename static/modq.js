// modq moderator UI: keyboard use of the queue. The page works without this
// script (every action is a plain form); with it, decisions are sent in the
// background and the next card gets the focus.
//   j / k   next / previous comment
//   a       approve the current comment
//   r       reject it with the reason chosen in its picker
"use strict";

(function () {
  const queue = document.getElementById("queue");
  if (!queue) return;
  const notice = document.getElementById("notice");
  let current = 0;

  function cards() {
    return Array.from(queue.querySelectorAll("article.card:not(.done)"));
  }

  function focus(index) {
    const list = cards();
    if (list.length === 0) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach((card, i) => card.classList.toggle("current", i === current));
    list[current].focus();
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
      card.classList.add("done");
      card.classList.remove("current");
      const count = document.getElementById("pending-count");
      const n = parseInt(count && count.textContent, 10);
      if (count && !Number.isNaN(n) && n > 0) count.textContent = String(n - 1);
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
