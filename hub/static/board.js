// The live board: renders the board JSON per floor and kind, and polls it every 15-30 s
// (the page says when it last heard from the hub, and that it keeps trying when it cannot).
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("board-config").textContent);
  var T = cfg.text;
  var KEY = "hubKioskCredential";
  var lastOk = null;
  var KINDS = ["room", "desk", "landing_spot"];

  function t(key, params) {
    var text = T[key] || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(params[name]);
    });
    return text;
  }
  function hhmm(iso) { return iso ? iso.substring(11, 16) : ""; }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function tile(row) {
    var li = el("li", "board-tile s-" + row.state_now);
    li.setAttribute("data-resource", row.resource.slug);
    li.appendChild(el("span", "name", row.resource.name));
    // A private room shows only busy or free (PRODUCT.md): no booked/in use, no check-in,
    // no sensor and no no-show note; the board is the same for everyone.
    var only_busy = row.resource.privacy === "private" && row.state_now !== "free" &&
      row.state_now !== "unknown";
    var label = only_busy ? t("busy") : t(row.state_now);
    if (row.state_now === "free") {
      label = row.until_local ? t("free_until", { time: hhmm(row.until_local) }) : t("free_all_day");
    } else if (row.until_local) {
      label = t("state_until", { state: label, time: hhmm(row.until_local) });
    }
    li.appendChild(el("span", "state", label));
    if (row.note && !only_busy) { li.appendChild(el("span", "note", t(row.note))); }
    var more = [];
    if (row.organisation) { more.push(row.organisation.name); }
    if (row.booking === "checked_in" && !only_busy) { more.push(t("checked_in")); }
    if (row.sensor && !only_busy) { more.push(t("sensor_" + row.sensor)); }
    if (row.resource.privacy === "private") { more.push(t("private")); }
    if (more.length) { li.appendChild(el("span", "more", more.join(" · "))); }
    return li;
  }

  function render(data) {
    var floors = document.getElementById("board-floors");
    var fresh = document.createDocumentFragment();
    // Each row is sent once, in data.items; a floor's rows are those with its id.
    var onFloor = {};
    data.items.forEach(function (row) {
      var id = row.resource.floor.id;
      (onFloor[id] = onFloor[id] || []).push(row);
    });
    data.floors.forEach(function (floor) {
      var section = el("section", "board-floor");
      var free = floor.counts.free || 0;
      var items = onFloor[floor.id] || [];
      section.appendChild(el("h2", "", floor.name + " · " + floor.site + " (" +
        t("counts", { free: free, total: items.length }) + ")"));
      KINDS.forEach(function (kind) {
        var rows = items.filter(function (r) { return r.resource.kind === kind; });
        if (!rows.length) { return; }
        section.appendChild(el("h3", "", t("kinds_" + kind)));
        var list = el("ul", "board-tiles");
        rows.forEach(function (row) { list.appendChild(tile(row)); });
        section.appendChild(list);
      });
      fresh.appendChild(section);
    });
    floors.textContent = "";
    floors.appendChild(fresh);
    var plaza = document.getElementById("board-plaza");
    plaza.textContent = "";
    if (!data.plaza.length) { plaza.appendChild(el("li", "", t("plaza_none"))); }
    data.plaza.forEach(function (org) { plaza.appendChild(el("li", "", org.name)); });
    lastOk = data.updated_at_local;
    var stamp = document.getElementById("board-updated");
    stamp.className = "board-updated";
    stamp.textContent = t("updated", { time: lastOk.substring(11, 19) });
    document.body.setAttribute("data-board-updated", data.updated_at);
  }

  function stale() {
    var stamp = document.getElementById("board-updated");
    stamp.className = "board-updated stale";
    stamp.textContent = t("stale", { time: lastOk ? hhmm(lastOk) : "–" });
  }

  function load() {
    var headers = { "Accept": "application/json" };
    if (cfg.kiosk) {
      var credential = window.localStorage.getItem(KEY);
      if (!credential) { document.getElementById("board-updated").textContent = t("not_enrolled"); return; }
      headers.Authorization = "Bearer " + credential;
    }
    fetch(cfg.api, { headers: headers, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("board " + r.status); }
      return r.json();
    }).then(render).catch(stale);
  }

  if (cfg.initial) { render(cfg.initial); } else { load(); }
  // Between 15 and 30 s (the configured value clamped); tests may ask for less.
  var every = Math.max(1, cfg.refresh_s) * 1000;
  setInterval(load, every);
})();
