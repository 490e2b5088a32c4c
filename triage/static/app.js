// Marsad triage keyboard: moves through the queue and acts on incidents by submitting forms, so
// every change goes through the same CSRF-checked POST as a click. A decision key never acts at
// once: it opens a dialog naming the incident and the decision (and asking why, to reject),
// and acts on Enter. What was done is offered for undo for a few seconds (z).
"use strict";

(function () {
  const page = document.body.dataset.page;
  const dialog = document.getElementById("decide");
  const decideForm = document.getElementById("decide-form");
  // The words come from the page (data-* of the dialog), in the analyst's language.
  const words = dialog ? dialog.dataset : {};

  function typing(event) {
    const t = event.target;
    return t instanceof HTMLElement &&
      (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
  }

  function askTarget() {
    const answer = window.prompt(words.duplicate || "Duplicate of incident number:");
    if (answer === null) return null;
    const number = answer.trim();
    return /^[0-9]+$/.test(number) ? number : null;
  }

  // Ask before a decision: "Confirm incident 12 (killing · Tripoli · 2024-05-12)?"
  function decide(id, status, summary, next, back) {
    if (!dialog || !decideForm) return;
    decideForm.action = "/incidents/" + id + "/status";
    decideForm.elements.status.value = status;
    decideForm.elements.next.value = next;
    decideForm.elements.back.value = back;
    decideForm.elements.why.value = "";
    decideForm.elements.reason.value = "";
    const rejecting = status === "rejected";
    document.getElementById("decide-why").classList.toggle("hidden", !rejecting);
    decideForm.elements.why.required = rejecting;
    // Functions, not strings, as replacements: a `$&` in a place name stays as it is.
    document.getElementById("decide-question").textContent = words.question
      .replace("{action}", () => words[status] || status).replace("{id}", () => id)
      .replace("{summary}", () => summary);
    dialog.showModal();
    (rejecting ? decideForm.elements.why : document.getElementById("decide-yes")).focus();
  }

  if (dialog) {
    document.getElementById("decide-no").addEventListener("click", () => dialog.close());
  }

  function queueKeys() {
    const rows = Array.from(document.querySelectorAll("#queue tbody tr[data-id]"));
    let at = rows.length ? 0 : -1;
    const here = window.location.pathname + window.location.search.replace(/([?&])done=[0-9]+&?/, "$1").replace(/[?&]$/, "");

    function select(i) {
      if (!rows.length) return;
      at = Math.max(0, Math.min(rows.length - 1, i));
      rows.forEach((r, n) => r.classList.toggle("selected", n === at));
      rows[at].scrollIntoView({ block: "nearest" });
    }

    function act(status) {
      if (at < 0) return;
      const row = rows[at];
      decide(row.dataset.id, status, row.dataset.summary, here, here);
    }

    rows.forEach((row, n) => {
      row.addEventListener("click", (event) => {
        // Links open themselves; a checkbox chooses the row for a bulk action.
        if (event.target instanceof HTMLAnchorElement || event.target instanceof HTMLInputElement) return;
        select(n);
        window.location.assign(row.dataset.href);
      });
    });
    select(0);

    const all = document.getElementById("select-all");
    if (all instanceof HTMLInputElement) {
      all.addEventListener("change", () => {
        document.querySelectorAll('#queue input[name="id"]').forEach((box) => {
          if (box instanceof HTMLInputElement) box.checked = all.checked;
        });
      });
    }

    return {
      j: () => select(at + 1), ArrowDown: () => select(at + 1),
      k: () => select(at - 1), ArrowUp: () => select(at - 1),
      Enter: () => at >= 0 && window.location.assign(rows[at].dataset.href),
      o: () => at >= 0 && window.location.assign(rows[at].dataset.href),
      i: () => act("in_review"),
      c: () => act("confirmed"),
      x: () => act("rejected"),
      d: () => {
        const t = askTarget();
        if (t && at >= 0) {
          window.location.assign("/incidents/" + rows[at].dataset.id + "/duplicate?" +
            new URLSearchParams({ target: t, next: here }).toString());
        }
      },
    };
  }

  function incidentKeys() {
    const pager = document.querySelector("nav.pager");
    const go = (url) => url && window.location.assign(url);
    const form = document.getElementById("status-form");
    // The decision buttons ask too: a click is as easy to slip as a key.
    function ask(status) {
      if (!form || !form.querySelector('button[value="' + status + '"]')) return;
      const id = form.action.split("/").slice(-2)[0];
      decide(id, status, form.dataset.summary, form.elements.next.value, form.elements.back.value);
    }
    if (form) {
      form.querySelectorAll("button[name=status]").forEach((b) =>
        b.addEventListener("click", (event) => { event.preventDefault(); ask(b.value); }));
    }
    return {
      j: () => go(pager && pager.dataset.next), ArrowDown: () => go(pager && pager.dataset.next),
      k: () => go(pager && pager.dataset.prev), ArrowUp: () => go(pager && pager.dataset.prev),
      u: () => go(pager && pager.dataset.queue),
      i: () => ask("in_review"), c: () => ask("confirmed"), x: () => ask("rejected"),
      v: () => ask("sent"),
      a: () => { const b = document.querySelector('button[data-key="a"]'); if (b) b.click(); },
      d: () => {
        const t = askTarget();
        const field = document.getElementById("merge-target");
        if (t && field) { field.value = t; field.form.submit(); }
      },
    };
  }

  // The undo offer stays a few seconds; the incident's history keeps it afterwards.
  const offer = document.getElementById("undo");
  if (offer) {
    window.setTimeout(() => offer.remove(), 1000 * Number(offer.dataset.seconds || 10));
  }

  const keys = page === "queue" ? queueKeys() : page === "incident" ? incidentKeys() : {};
  const help = document.getElementById("help");
  document.querySelectorAll("[data-help]").forEach((b) =>
    b.addEventListener("click", () => help && help.showModal()));

  // The analyst can turn single-key shortcuts off (WCAG 2.1.4): then no key does anything here.
  const keysOn = document.body.dataset.keys !== "off";
  document.addEventListener("keydown", (event) => {
    if (!keysOn || event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    if (dialog && dialog.open) return;
    if (event.key === "?") { if (help) help.showModal(); event.preventDefault(); return; }
    if (event.key === "/") {
      const search = document.getElementById("search");
      if (search) { search.focus(); event.preventDefault(); }
      return;
    }
    if (event.key === "z") {
      const undo = document.getElementById("undo-button");
      if (undo) { event.preventDefault(); undo.click(); }
      return;
    }
    const handler = keys[event.key];
    if (handler) { event.preventDefault(); handler(); }
  });
})();
