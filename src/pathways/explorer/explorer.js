// The pathway explorer's behaviour: choose a victim, see their route; open a stage's details.
// Reads the data block the page carries (#explorer-data); builds every piece of text with
// textContent, never as markup; fetches nothing.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("explorer-data").textContent);
  const hex = (text) => BigInt("0x" + (text || "0"));
  const stages = new Map(data.stages.map((s) => [s.id, s]));
  const handoffs = new Map(data.handoffs.map((h) => [h.id, h]));
  const $ = (selector) => document.querySelector(selector);
  const $$ = (selector) => Array.from(document.querySelectorAll(selector));
  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };

  // The profiles chosen: every attribute's value (or any), as one bitmask; null if none chosen.
  function chosen() {
    let mask = hex(data.all);
    const words = [];
    for (const attribute of data.attributes) {
      const picked = document.querySelector(`input[name="attr-${attribute.name}"]:checked`);
      if (!picked || picked.value === "") continue;
      const value = attribute.values.find((v) => v.value === picked.value);
      mask &= hex(value.mask);
      words.push(`${attribute.label.toLowerCase()} ${value.value}`);
    }
    return words.length ? { mask, words } : null;
  }

  // Stages and handoffs on the route of the victims in `mask`, exactly as
  // `pathways diagram --profile` keeps them.
  function route(mask) {
    const on = new Set(data.stages.filter((s) => (hex(s.reach) & mask) !== 0n).map((s) => s.id));
    const links = new Set();
    for (const h of data.handoffs) {
      if (!on.has(h.to)) continue;
      for (const source of h.from) {
        if (on.has(source) && (hex(h.taken) & hex(stages.get(source).reach) & mask) !== 0n) {
          links.add(`${h.id} ${source}`);
        }
      }
    }
    return { on, links };
  }

  // The route's stages in the order a journey meets them (breadth first from the entry).
  function ordered(on, links) {
    const seen = [];
    const queue = on.has(data.entry) ? [data.entry] : [];
    while (queue.length) {
      const stage = queue.shift();
      if (seen.includes(stage)) continue;
      seen.push(stage);
      for (const h of data.handoffs) {
        if (h.from.includes(stage) && links.has(`${h.id} ${stage}`)) queue.push(h.to);
      }
    }
    return seen.concat(data.stages.map((s) => s.id).filter((s) => on.has(s) && !seen.includes(s)));
  }

  function limits(stage, links) {
    const parts = [];
    if (stage.within) parts.push(`leave within ${stage.within}`);
    for (const h of data.handoffs) {
      if (!links.has(`${h.id} ${stage.id}`) || !h.within) continue;
      const verb = h.automatic ? "moves on by itself after" : "within";
      parts.push(`to ${stages.get(h.to).title}: ${verb} ${h.within}`);
    }
    return parts;
  }

  function update() {
    const choice = chosen();
    const figure = $("#diagram");
    const list = $("#route");
    list.replaceChildren();
    figure.classList.toggle("chosen", choice !== null);
    document.body.classList.toggle("chosen", choice !== null);
    if (choice === null) {
      $("#route-summary").textContent =
        "Choose at least one answer above to see the route of that victim.";
      for (const g of $$(".stage, .question, .link, .label")) g.classList.remove("on", "off");
      for (const item of $$(".text-stage")) item.querySelector(".where").textContent = "";
      return;
    }
    const { on, links } = route(choice.mask);
    for (const g of $$(".stage")) {
      const yes = on.has(g.dataset.stage);
      g.classList.toggle("on", yes);
      g.classList.toggle("off", !yes);
    }
    const asked = new Set();
    for (const p of $$(".link[data-via]")) {
      if (links.has(`${p.dataset.handoff} ${p.dataset.from}`)) asked.add(p.dataset.via);
    }
    for (const p of $$(".link, .label")) {
      const yes = p.dataset.to
        ? links.has(`${p.dataset.handoff} ${p.dataset.from}`)
        : asked.has(p.dataset.question);
      p.classList.toggle("on", yes);
      p.classList.toggle("off", !yes);
    }
    for (const q of $$(".question")) {
      q.classList.toggle("on", asked.has(q.dataset.question));
      q.classList.toggle("off", !asked.has(q.dataset.question));
    }
    for (const item of $$(".text-stage")) {
      item.querySelector(".where").textContent = on.has(item.dataset.stage) ? " ✓ on the route" : "";
    }
    $("#route-summary").textContent =
      `The route for a victim with ${choice.words.join(", ")}: ${on.size} stage(s), in the order a journey meets them.`;
    for (const id of ordered(on, links)) {
      const s = stages.get(id);
      const item = el("li");
      const button = el("button", s.title, "stage-link");
      button.type = "button";
      button.dataset.stage = id;
      item.append(button, el("span", ` (${s.owner})`));
      const times = limits(s, links);
      if (times.length) item.append(el("span", `: ${times.join("; ")}`, "times"));
      list.append(item);
    }
  }

  function row(list, term, value) {
    if (!value || (Array.isArray(value) && !value.length)) return;
    list.append(el("dt", term), el("dd", Array.isArray(value) ? value.join(", ") : value));
  }

  function handoffTable(title, rows, side) {
    const box = el("div");
    box.append(el("h4", title));
    if (!rows.length) {
      box.append(el("p", "None."));
      return box;
    }
    const table = el("table");
    const head = el("tr");
    for (const words of [side, "who", "if", "time limit", "information shared"]) {
      const th = el("th", words);
      th.scope = "col";
      head.append(th);
    }
    table.append(el("thead"), el("tbody"));
    table.tHead.append(head);
    for (const h of rows) {
      const tr = el("tr");
      tr.id = `detail-${h.id}`;
      const other = side === "to" ? stages.get(h.to).title : h.from.map((f) => stages.get(f).title).join(", ");
      const time = h.within ? `${h.automatic ? "by itself after" : "within"} ${h.within}` : "";
      for (const words of [other, h.by.join(" or "), h.when, time, h.shares.join(", ")]) {
        tr.append(el("td", words || "—"));
      }
      table.tBodies[0].append(tr);
    }
    box.append(table);
    return box;
  }

  // Show one stage's details and move the keyboard focus to them.
  function open(id, handoff) {
    const s = stages.get(id);
    if (!s) return;
    const panel = $("#details");
    panel.replaceChildren();
    const heading = el("h2", s.title);
    heading.id = "details-title";
    heading.tabIndex = -1;
    panel.append(heading);
    const facts = el("dl");
    row(facts, "Kind", s.kind + (s.outcome ? ` (outcome: ${s.outcome})` : ""));
    row(facts, "Who", s.owner);
    row(facts, "Track", s.track);
    row(facts, "Time limit", s.within ? `leave within ${s.within}` : "none set");
    row(facts, "Information asked of the victim", s.asks.length ? s.asks : "none");
    row(facts, "Information needed", s.needs);
    row(facts, "About this stage", s.description);
    panel.append(facts);
    const out = data.handoffs.filter((h) => h.from.includes(id));
    const into = data.handoffs.filter((h) => h.to === id);
    panel.append(handoffTable("Where it leads", out, "to"), handoffTable("How a journey gets here", into, "from"));
    const found = data.findings.filter((f) => f.stage === id);
    if (found.length) {
      panel.append(el("h4", "What the checks found here"));
      const list = el("ul");
      for (const f of found) list.append(el("li", `${f.accepted ? "accepted" : f.severity}: ${f.message}`));
      panel.append(list);
    }
    for (const g of $$(".stage")) g.classList.toggle("selected", g.dataset.stage === id);
    const close = el("button", "Back to the diagram", "back");
    close.type = "button";
    close.dataset.stage = id;
    panel.append(close);
    panel.hidden = false;
    heading.focus();
    if (handoff) {
      const target = document.getElementById(`detail-${handoff}`);
      if (target) target.classList.add("picked");
    }
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches("input[type=radio]")) update();
  });
  document.addEventListener("click", (event) => {
    const back = event.target.closest("button.back");
    if (back) {
      const g = document.querySelector(`.stage[data-stage="${CSS.escape(back.dataset.stage)}"]`);
      if (g) g.focus();
      return;
    }
    const target = event.target.closest(".stage, .stage-link, .finding-link");
    if (target) open(target.dataset.stage, target.dataset.handoff);
  });
  document.addEventListener("keydown", (event) => {
    const g = event.target.closest && event.target.closest(".stage");
    if (g && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      open(g.dataset.stage);
    }
  });
  update();
})();
