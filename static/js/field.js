/* The field app (sync/templates/sync/field.html; docs/offline.md). Plain JS, no build.
   Data pulled from /api/v1/sync/pull lives in IndexedDB ("records"); what the user records
   goes to "outbox" with a UUID made here, then to /api/v1/sync/push, which writes each UUID
   once. A record's state: waiting, sent, conflict, refused (corrected and sent again under
   the same UUID). Nothing unsent is ever deleted by the app. */
(function () {
  "use strict";
  var Store = window.SunuStore;
  var app = document.getElementById("field-app");
  if (!app || !Store) return;
  var T = JSON.parse(document.getElementById("field-messages").textContent);
  var user = document.body.getAttribute("data-user") || "";
  var today = app.getAttribute("data-today");
  var WIPE_AFTER_DAYS = 30;
  var BATCH = 50;
  var syncing = false;
  var data = { cooperative: [], person: [], session: [], loan: [], membership: [], product: [], shop: [] };
  var statusEl = document.getElementById("field-status");

  function $(id) { return document.getElementById(id); }
  function say(text) { statusEl.textContent = text; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  function deviceId() {
    return Store.meta("device").then(function (id) {
      if (id) return id;
      id = uuid();
      return Store.setMeta("device", id).then(function () { return id; });
    });
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function option(value, text) {
    var o = document.createElement("option");
    o.value = value; o.textContent = text;
    return o;
  }
  function fill(select, rows, label) {
    var keep = select.value;
    select.replaceChildren(option("", T.choose));
    rows.forEach(function (r) { select.appendChild(option(r.id, label(r))); });
    if (keep) select.value = keep;
  }
  function byId(kind, id) {
    return data[kind].filter(function (r) { return String(r.id) === String(id); })[0];
  }

  // --- local data ----------------------------------------------------------------------
  // The kinds the forms use (persons and memberships, thousands, stay sealed until needed).
  var FORM_KINDS = ["cooperative", "session", "loan", "product", "shop"];
  // What the forms show, kept as one sealed row (one box to open, not one per record: a
  // department's 112 cooperatives and 432 loans), valid for the pull it was made after
  // (its cursor); a pull removes it before writing, so it is never older than the records.
  var FORMS_KEY = "~forms";

  function readForms() {
    return Promise.all(FORM_KINDS.map(function (kind) { return Store.allOf("records", kind + ":"); })).then(function (parts) {
      var out = {};
      Object.keys(data).forEach(function (k) { out[k] = []; });
      [].concat.apply([], parts).forEach(function (r) {
        if (out[r.kind]) out[r.kind].push(Object.assign({ version: r.version }, r.data));
      });
      out.shop.forEach(function (s) { s.stock.forEach(function (l) { l.id = l.lot; }); });
      out.cooperative.sort(function (a, b) { return a.name.localeCompare(b.name); });
      out.session.sort(function (a, b) { return a.starts_on.localeCompare(b.starts_on); });
      return out;
    });
  }

  function load() {
    return Promise.all([Store.get("records", FORMS_KEY), Store.meta("cursor")]).then(function (got) {
      var kept = got[0], cursor = got[1];
      if (kept && !kept.locked && cursor && kept.cursor === cursor) return kept.data;
      return readForms().then(function (fresh) {
        if (!cursor || !Store.unlocked()) return fresh;  // never kept unsealed
        return Store.put("records", { key: FORMS_KEY, cursor: cursor, data: fresh })
          .then(function () { return fresh; }, function () { return fresh; });
      });
    }).then(function (forms) {
      data = forms;
      renderForms();
      return renderOutbox();
    });
  }

  function renderForms() {
    fill($("att-session"), data.session, function (s) { return s.module + " · " + s.starts_on; });
    fill($("visit-coop"), data.cooperative, function (c) { return c.name; });
    fill($("per-coop"), data.cooperative, function (c) { return c.name; });
    fill($("rep-loan"), data.loan, function (l) {
      var next = l.next_instalments[0];
      var text = l.borrower + " · n° " + l.id;
      if (next) text += " · " + T.next_due + " " + next.due_on + " : " + next.remaining + " F";
      if (l.arrears_amount) text += " · " + T.arrears + " " + l.arrears_amount + " F";
      return text;
    });
    fill($("price-product"), data.product, function (p) { return p.name + " (" + p.unit + ")"; });
    var communes = {};
    data.cooperative.forEach(function (c) { if (c.commune) communes[c.commune] = c.commune_name || c.commune; });
    fill($("price-area"), Object.keys(communes).sort(function (a, b) { return communes[a].localeCompare(communes[b]); })
      .map(function (code) { return { id: code, name: communes[code] }; }), function (a) { return a.name; });
    fill($("sale-shop"), data.shop, function (s) { return s.name; });
    if (data.shop.length === 1) $("sale-shop").value = data.shop[0].id;
    $("sale-none").hidden = data.shop.length > 0;
    $("sale-none").textContent = T.no_shop;
    renderLots();
    renderDays();
    if (!data.cooperative.length && !data.session.length) say(T.empty);
  }

  function renderLots() {
    var shop = byId("shop", $("sale-shop").value);
    fill($("sale-lot"), shop ? shop.stock : [], function (l) {
      return (l.code || "") + " · " + l.product + " (" + l.quantity + " " + l.unit + ")";
    });
  }

  function renderDays() {
    var session = byId("session", $("att-session").value);
    var day = $("att-day");
    day.replaceChildren();
    var people = $("att-people");
    people.querySelectorAll("label").forEach(function (l) { l.remove(); });
    if (!session) return;
    session.days.forEach(function (d) { day.appendChild(option(d, d)); });
    if (session.days.indexOf(today) >= 0) day.value = today;
    session.participants.forEach(function (p) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox"; box.value = p.person; box.name = "present";
      label.appendChild(box);
      label.appendChild(document.createTextNode(p.name));
      people.appendChild(label);
    });
    markDay();
  }

  function markDay() {
    var session = byId("session", $("att-session").value);
    if (!session) return;
    var day = $("att-day").value;
    $("att-people").querySelectorAll("input").forEach(function (box) {
      var mark = session.attendance.filter(function (a) { return String(a.person) === box.value && a.day === day; })[0];
      box.checked = !!(mark && mark.present);
    });
  }

  // --- the outbox ----------------------------------------------------------------------
  function record(kind, payload, label, baseVersion, id) {
    return {
      uuid: id || uuid(), kind: kind, data: payload, base_version: baseVersion || null,
      label: label, user: user, state: "waiting", created: new Date().toISOString()
    };
  }

  function save(records) {
    return Store.putMany("outbox", records).then(function () {
      say(T.saved);
      window.SunuBanner && window.SunuBanner();
      return renderOutbox();
    }).then(function () { if (navigator.onLine) syncNow(); });
  }

  function renderOutbox() {
    return Store.all("outbox").then(function (rows) {
      var list = $("outbox");
      list.replaceChildren();
      rows.filter(function (r) { return r.user === user; })
        .sort(function (a, b) { return b.created.localeCompare(a.created); })
        .forEach(function (r) { list.appendChild(outboxItem(r)); });
    });
  }

  function outboxItem(r) {
    var li = document.createElement("li");
    li.setAttribute("data-uuid", r.uuid);
    li.setAttribute("data-state", r.state);
    li.appendChild(document.createTextNode(r.locked ? T.locked : (T[r.kind] || r.kind) + " · " + r.label));
    var badge = document.createElement("span");
    badge.className = "state state-" + r.state;
    badge.textContent = T[r.state] || r.state;
    li.appendChild(badge);
    if (r.message) {
      var msg = document.createElement("span");
      msg.className = "message";
      msg.textContent = r.message;
      li.appendChild(msg);
    }
    if (r.state === "refused" && !r.locked) li.appendChild(fixForm(r));
    return li;
  }

  function fixForm(r) {
    var form = document.createElement("form");
    form.className = "fix";
    Object.keys(r.data).forEach(function (key) {
      var value = r.data[key];
      if (value !== null && typeof value === "object") return;
      var input = document.createElement("input");
      input.name = key; input.value = value === null ? "" : value;
      input.setAttribute("aria-label", key);
      form.appendChild(input);
    });
    var resend = document.createElement("button");
    resend.type = "submit"; resend.textContent = T.resend;
    var discard = document.createElement("button");
    discard.type = "button"; discard.textContent = T.discard;
    form.appendChild(resend); form.appendChild(discard);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      form.querySelectorAll("input").forEach(function (input) {
        var old = r.data[input.name];
        r.data[input.name] = typeof old === "number" && input.value !== "" ? Number(input.value) : input.value;
      });
      r.state = "waiting"; r.message = ""; r.code = "";
      save([r]);
    });
    discard.addEventListener("click", function () {
      if (window.confirm(T.discard_confirm)) Store.remove("outbox", [r.uuid]).then(renderOutbox);
    });
    return form;
  }

  // --- sync ----------------------------------------------------------------------------
  function fail(response) {
    var error = new Error("http " + response.status);
    error.status = response.status;
    throw error;
  }

  function pushBatch(device, batch) {
    return fetch("/api/v1/sync/push", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ device: device, records: batch.map(function (r) {
        return { uuid: r.uuid, kind: r.kind, base_version: r.base_version, data: r.data };
      }) })
    }).then(function (response) {
      if (!response.ok) fail(response);
      return response.json();
    }).then(function (body) {
      var byUuid = {};
      batch.forEach(function (r) { byUuid[r.uuid] = r; });
      body.results.forEach(function (res) {
        var r = byUuid[res.uuid];
        if (!r) return;
        r.id = res.id; r.code = res.code || ""; r.message = res.message || "";
        if (res.status === "applied" || res.status === "duplicate") r.state = "sent";
        else if (res.status === "conflict") r.state = "conflict";
        else if (res.code === "parent_missing") r.state = "waiting";
        else r.state = "refused";
        r.sent = new Date().toISOString();
      });
      return Store.putMany("outbox", batch);
    });
  }

  function push() {
    return Promise.all([deviceId(), Store.waiting(user)]).then(function (both) {
      var device = both[0];
      var rows = both[1].filter(function (r) { return !r.locked; })  // sealed for another session
        .sort(function (a, b) { return a.created.localeCompare(b.created); });
      var chain = Promise.resolve();
      for (var i = 0; i < rows.length; i += BATCH) {
        (function (batch) { chain = chain.then(function () { return pushBatch(device, batch); }); })(rows.slice(i, i + BATCH));
      }
      return chain;
    });
  }

  function pull() {
    return Store.meta("cursor").then(function (cursor) {
      var url = "/api/v1/sync/pull" + (cursor ? "?since=" + encodeURIComponent(cursor) : "");
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (response.status === 400 && cursor) {  // an expired cursor: start again
          return Store.clear("records").then(function () { return Store.setMeta("cursor", null); }).then(pull);
        }
        if (!response.ok) fail(response);
        return response.json().then(apply);
      });
    });
  }

  function apply(body) {
    var rows = body.records.map(function (r) {
      return { key: r.kind + ":" + r.id, kind: r.kind, id: r.id, uuid: r.uuid, version: r.version, data: r.data };
    });
    var gone = body.deleted.map(function (d) { return d.kind + ":" + d.id; });
    return Store.remove("records", [FORMS_KEY])
      .then(function () { return Store.putMany("records", rows); })
      .then(function () { return Store.remove("records", gone); })
      .then(function () { return Store.setMeta("cursor", body.cursor); })
      .then(function () { return Store.setMeta("synced", new Date().toISOString()); });
  }

  function syncNow() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    app.setAttribute("data-syncing", "1");
    say(T.syncing);
    return push().then(pull).then(function () {
      say(T.synced + " " + new Date().toLocaleString("fr-FR"));
      app.setAttribute("data-synced", "1");
    }).catch(function (error) {
      say(error.status === 401 || error.status === 403 ? T.login : T.network);
    }).then(function () {
      syncing = false;
      app.removeAttribute("data-syncing");
      window.SunuBanner && window.SunuBanner();
      return load();
    });
  }

  // --- forms ---------------------------------------------------------------------------
  $("att-session").addEventListener("change", renderDays);
  $("att-day").addEventListener("change", markDay);
  $("form-attendance").addEventListener("submit", function (event) {
    event.preventDefault();
    var session = byId("session", $("att-session").value);
    var day = $("att-day").value;
    if (!session || !day) return;
    var records = [];
    $("att-people").querySelectorAll("input").forEach(function (box) {
      var person = Number(box.value);
      var mark = session.attendance.filter(function (a) { return a.person === person && a.day === day; })[0];
      if (mark && mark.present === box.checked) return;  // unchanged
      var name = box.parentNode.textContent;
      records.push(record("attendance", { session: session.id, person: person, day: day, present: box.checked },
        name + " · " + day + " · " + (box.checked ? T.present : T.absent), mark ? mark.version : null));
    });
    if (records.length) save(records);
  });

  var position = null;
  var photo = null;
  $("visit-gps").addEventListener("click", function () {
    if (!navigator.geolocation) { $("visit-position").textContent = T.gps_none; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      position = { lat: p.coords.latitude, lon: p.coords.longitude, accuracy: Math.round(p.coords.accuracy) };
      $("visit-position").textContent = position.lat.toFixed(5) + ", " + position.lon.toFixed(5) + " (± " + position.accuracy + " m)";
    }, function () { $("visit-position").textContent = T.gps_none; }, { enableHighAccuracy: true, timeout: 20000 });
  });
  $("visit-photo").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) { photo = null; return; }
    var img = new Image();
    img.onload = function () {  // compressed here: at most 1024 px, JPEG quality 0.6
      var scale = Math.min(1, 1024 / Math.max(img.width, img.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(img.width * scale); canvas.height = Math.round(img.height * scale);
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      photo = canvas.toDataURL("image/jpeg", 0.6);
      $("visit-photo-size").textContent = Math.round(photo.length * 3 / 4 / 1024) + " Ko";
      URL.revokeObjectURL(img.src);
    };
    img.src = URL.createObjectURL(file);
  });
  $("form-visit").addEventListener("submit", function (event) {
    event.preventDefault();
    var f = event.target.elements;
    var payload = { cooperative: Number(f.cooperative.value), visited_on: f.visited_on.value,
      purpose: f.purpose.value, findings: f.findings.value, actions: [] };
    if (f.action.value) payload.actions.push({ description: f.action.value, owner: f.owner.value, due_on: f.due_on.value || f.visited_on.value });
    if (position) payload.position = position;
    if (photo) payload.photo = photo;
    var coop = byId("cooperative", f.cooperative.value);
    save([record("visit", payload, (coop ? coop.name : "") + " · " + payload.visited_on)]).then(function () {
      event.target.reset(); position = null; photo = null; defaults();
      $("visit-position").textContent = ""; $("visit-photo-size").textContent = "";
    });
  });
  $("form-repayment").addEventListener("submit", function (event) {
    event.preventDefault();
    var f = event.target.elements;
    var loan = byId("loan", f.loan.value);
    var payload = { loan: Number(f.loan.value), amount: Number(f.amount.value), paid_on: f.paid_on.value,
      channel: "cash", reference: f.reference.value.trim() };
    save([record("repayment", payload, (loan ? loan.borrower : "") + " · " + payload.amount + " F · " + payload.reference)])
      .then(function () { event.target.reset(); defaults(); });
  });
  $("form-price").addEventListener("submit", function (event) {
    event.preventDefault();
    var f = event.target.elements;
    var product = byId("product", f.product.value);
    var payload = { product: Number(f.product.value), area: f.area.value, price: Number(f.price.value),
      observed_on: f.observed_on.value, source: f.source.value.trim() };
    var area = f.area.options[f.area.selectedIndex];
    save([record("price", payload, (product ? product.name : "") + " · " + (area ? area.textContent : "") + " · " + payload.price + " F")])
      .then(function () { event.target.reset(); defaults(); });
  });
  $("sale-shop").addEventListener("change", renderLots);
  $("form-sale").addEventListener("submit", function (event) {
    event.preventDefault();
    var f = event.target.elements;
    var shop = byId("shop", f.site.value);
    var qty = Number(f.quantity.value), price = Number(f.unit_price.value);
    var mm = Number(f.mobile_money.value) || 0, total = qty * price, payments = [];
    if (total - mm > 0) payments.push({ channel: "cash", amount: total - mm });
    if (mm > 0) payments.push({ channel: "mobile_money", amount: mm, reference: f.mm_reference.value.trim() });
    var payload = { site: Number(f.site.value), sold_at: new Date().toISOString(),
      lines: [{ lot: Number(f.lot.value), quantity: qty, unit_price: price }], payments: payments };
    var lot = f.lot.options[f.lot.selectedIndex];
    save([record("sale", payload, (shop ? shop.name : "") + " · " + (lot ? lot.textContent : "") + " · " + total + " F")])
      .then(function () { f.quantity.value = 1; f.unit_price.value = ""; f.mobile_money.value = 0; f.mm_reference.value = ""; });
  });
  $("form-person").addEventListener("submit", function (event) {
    event.preventDefault();
    var f = event.target.elements;
    var coop = byId("cooperative", f.cooperative.value);
    var person = record("person", { first_name: f.first_name.value, last_name: f.last_name.value, sex: f.sex.value,
      birth_date: f.birth_date.value || null, phone: f.phone.value, commune: coop ? coop.commune : null },
      f.first_name.value + " " + f.last_name.value);
    var membership = record("membership", { cooperative: Number(f.cooperative.value), person: person.uuid,
      joined_on: f.joined_on.value, role: "membre" }, person.label + " · " + (coop ? coop.name : ""));
    save([person, membership]).then(function () { event.target.reset(); defaults(); });
  });
  $("sync-now").addEventListener("click", function () { syncNow(); });
  window.addEventListener("online", function () { syncNow(); });
  // A sync cut short by a weak link is tried again while records wait.
  window.setInterval(function () {
    if (!navigator.onLine) return;
    Store.waiting(user).then(function (rows) { if (rows.length) syncNow(); });
  }, 60000);

  function defaults() {
    ["visit-date", "rep-date", "per-joined", "price-date"].forEach(function (id) { if (!$(id).value) $(id).value = today; });
  }

  // --- start ---------------------------------------------------------------------------
  function start() {
    defaults();
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    return Store.ready.then(function () {
      return Promise.all([Store.meta("user"), Store.meta("seen")]);
    }).then(function (m) {
      var stale = m[1] && (Date.now() - Date.parse(m[1])) > WIPE_AFTER_DAYS * 86400000;
      if (stale && !navigator.onLine) return Store.lock().then(function () { return Store.clear("records"); });
      if ((m[0] && m[0] !== user) || stale) {  // another user, or too long without a login
        return Store.clear("records").then(function () { return Store.setMeta("cursor", null); });
      }
    }).then(function () {
      return Store.setMeta("user", user);
    }).then(function () {
      return navigator.onLine ? Store.setMeta("seen", new Date().toISOString()) : null;
    }).then(load).then(function () {
      if (navigator.onLine) return syncNow();
      say(T.offline);
    });
  }
  start();
})();
