// Marsad triage keyboard: moves through the queue and acts on incidents by submitting the
// page's own forms, so every change goes through the same CSRF-checked POST as a click.
"use strict";

(function () {
  const page = document.body.dataset.page;

  function typing(event) {
    const t = event.target;
    return t instanceof HTMLElement &&
      (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
  }

  function askTarget() {
    const answer = window.prompt("Duplicate of incident number:");
    if (answer === null) return null;
    const number = answer.trim();
    return /^[0-9]+$/.test(number) ? number : null;
  }

  function queueKeys() {
    const rows = Array.from(document.querySelectorAll("#queue tbody tr[data-id]"));
    const form = document.getElementById("queue-action");
    let at = rows.length ? 0 : -1;

    function select(i) {
      if (!rows.length) return;
      at = Math.max(0, Math.min(rows.length - 1, i));
      rows.forEach((r, n) => r.classList.toggle("selected", n === at));
      rows[at].scrollIntoView({ block: "nearest" });
    }

    function act(path, fields) {
      if (at < 0 || !form) return;
      form.action = "/incidents/" + rows[at].dataset.id + "/" + path;
      for (const [name, value] of Object.entries(fields)) form.elements[name].value = value;
      form.submit();
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
      i: () => act("status", { status: "in_review" }),
      c: () => act("status", { status: "confirmed" }),
      x: () => act("status", { status: "rejected" }),
      d: () => { const t = askTarget(); if (t) act("merge", { target: t }); },
    };
  }

  function incidentKeys() {
    const pager = document.querySelector("nav.pager");
    const go = (url) => url && window.location.assign(url);
    const press = (key) => {
      const button = document.querySelector('button[data-key="' + key + '"]');
      if (button) button.click();
    };
    return {
      j: () => go(pager && pager.dataset.next), ArrowDown: () => go(pager && pager.dataset.next),
      k: () => go(pager && pager.dataset.prev), ArrowUp: () => go(pager && pager.dataset.prev),
      u: () => go(pager && pager.dataset.queue),
      i: () => press("i"), c: () => press("c"), x: () => press("x"), v: () => press("v"),
      a: () => press("a"),
      d: () => {
        const t = askTarget();
        const field = document.getElementById("merge-target");
        if (t && field) { field.value = t; press("d"); }
      },
    };
  }

  const keys = page === "queue" ? queueKeys() : page === "incident" ? incidentKeys() : {};
  const help = document.getElementById("help");
  document.querySelectorAll("[data-help]").forEach((b) =>
    b.addEventListener("click", () => help && help.showModal()));

  // The analyst can turn single-key shortcuts off (WCAG 2.1.4): then no key does anything here.
  const keysOn = document.body.dataset.keys !== "off";
  document.addEventListener("keydown", (event) => {
    if (!keysOn || event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    if (event.key === "?") { if (help) help.showModal(); event.preventDefault(); return; }
    if (event.key === "/") {
      const search = document.getElementById("search");
      if (search) { search.focus(); event.preventDefault(); }
      return;
    }
    const handler = keys[event.key];
    if (handler) { event.preventDefault(); handler(); }
  });
})();
