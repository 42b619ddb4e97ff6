/* On every page (templates/base.html): the device's store of field records (IndexedDB),
   the offline banner saying what waits to be sent, the service worker, and a warning at
   logout when records wait. No build step, no CDN; see docs/offline.md. */
(function () {
  "use strict";
  var DB_NAME = "sunucoop-field";
  var DB_VERSION = 1;

  // One connection for the page (opening one per read cost a page ten opens at start);
  // closed when another tab upgrades the database, and opened again at the next read.
  var opened = null;
  function openDb() {
    if (opened) return opened;
    opened = new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("records")) db.createObjectStore("records", { keyPath: "key" });
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "uuid" });
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "name" });
      };
      req.onsuccess = function () {
        var db = req.result;
        db.onversionchange = function () { db.close(); opened = null; };
        db.onclose = function () { opened = null; };
        resolve(db);
      };
      req.onerror = function () { opened = null; reject(req.error); };
    });
    return opened;
  }

  function run(store, mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result = fn(tx.objectStore(store));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  // --- encryption at rest: AES-GCM, a key from the user's session ------------------------
  // Rows of "records" and "outbox" are stored sealed: only their key and the fields the
  // banner counts with (user, state, created) stay readable; the rest is one AES-GCM box
  // with its own random IV. The key comes from the server for the signed-in user
  // (/api/v1/sync/key), is imported non-extractable and kept in "meta" while the user is
  // signed in; logging out deletes it (the next login brings the same key back, so
  // nothing unsent is lost). "meta" itself (cursor, device id, dates) is not sealed.
  var CLEAR = { records: ["key"], outbox: ["uuid", "user", "state", "created"] };
  var key = null;

  function seal(store, value) {
    if (!CLEAR[store] || !key) return Promise.resolve(value);
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(value));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, plain).then(function (box) {
      var row = { iv: iv, box: box };
      CLEAR[store].forEach(function (f) { if (f in value) row[f] = value[f]; });
      return row;
    });
  }

  function locked(store, row) {
    var out = { locked: true };
    CLEAR[store].forEach(function (f) { out[f] = row[f]; });
    return out;
  }

  function unseal(store, row) {
    if (!row || !row.box) return Promise.resolve(row);
    if (!key) return Promise.resolve(locked(store, row));
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: row.iv }, key, row.box).then(function (plain) {
      return JSON.parse(new TextDecoder().decode(plain));
    }, function () { return locked(store, row); });
  }

  function unsealAll(store, rows) {
    return Promise.all((rows || []).map(function (r) { return unseal(store, r); }));
  }

  function raw(store, mode, fn) { return run(store, mode, fn); }

  var Store = {
    all: function (store) {
      return raw(store, "readonly", function (s) { return s.getAll(); }).then(function (rows) { return unsealAll(store, rows); });
    },
    // The rows whose key starts with ``prefix`` ("cooperative:"): only those are decrypted.
    allOf: function (store, prefix) {
      var range = IDBKeyRange.bound(prefix, prefix + "\uffff");
      return raw(store, "readonly", function (s) { return s.getAll(range); }).then(function (rows) { return unsealAll(store, rows); });
    },
    get: function (store, k) {
      return raw(store, "readonly", function (s) { return s.get(k); }).then(function (row) { return unseal(store, row); });
    },
    put: function (store, value) { return Store.putMany(store, [value]); },
    putMany: function (store, values) {
      values = values.filter(function (v) { return !v.locked; });  // never overwrite a box unread
      return Promise.all(values.map(function (v) { return seal(store, v); })).then(function (rows) {
        return raw(store, "readwrite", function (s) { rows.forEach(function (v) { s.put(v); }); });
      });
    },
    remove: function (store, keys) {
      return raw(store, "readwrite", function (s) { keys.forEach(function (k) { s.delete(k); }); });
    },
    clear: function (store) { return raw(store, "readwrite", function (s) { s.clear(); }); },
    meta: function (name) {
      return Store.get("meta", name).then(function (row) { return row ? row.value : null; });
    },
    setMeta: function (name, value) { return Store.put("meta", { name: name, value: value }); },
    waiting: function (user) {
      return Store.all("outbox").then(function (rows) {
        return rows.filter(function (r) { return r.state === "waiting" && (!user || r.user === user); });
      });
    },
    // The user's key: from "meta" if kept for this user, else from the server (online).
    unlock: function (user) {
      if (!user || !window.crypto || !crypto.subtle) return Promise.resolve(false);
      return Store.get("meta", "key").then(function (row) {
        if (row && row.user === user && row.value) return row.value;
        if (!navigator.onLine) return null;
        return fetch("/api/v1/sync/key", { credentials: "same-origin" }).then(function (response) {
          return response.ok ? response.json() : null;
        }).then(function (body) {
          if (!body) return null;
          var bytes = Uint8Array.from(atob(body.key), function (c) { return c.charCodeAt(0); });
          return crypto.subtle.importKey("raw", bytes, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]).then(function (k) {
            return raw("meta", "readwrite", function (s) { s.put({ name: "key", value: k, user: user }); }).then(function () { return k; });
          });
        });
      }).then(function (k) { key = k || null; return !!key; }).catch(function () { return false; });
    },
    unlocked: function () { return !!key; },
    lock: function () {
      key = null;
      return Store.remove("meta", ["key"]);
    }
  };
  var user = document.body.getAttribute("data-user") || "";
  Store.ready = window.indexedDB ? Store.unlock(user) : Promise.resolve(false);
  window.SunuStore = Store;

  var banner = document.getElementById("offline-banner");

  function updateBanner() {
    if (!banner || !window.indexedDB) return Promise.resolve();
    return Store.waiting(user).then(function (rows) {
      var n = rows.length;
      var text = navigator.onLine ? "" : banner.getAttribute("data-offline");
      if (n) text += (text ? " " : "") + banner.getAttribute("data-waiting").replace("%(n)s", n);
      banner.querySelector("[data-text]").textContent = text;
      banner.hidden = !text;
      banner.classList.toggle("is-offline", !navigator.onLine);
    }).catch(function () { /* private mode without IndexedDB: nothing to say */ });
  }
  window.SunuBanner = updateBanner;
  window.addEventListener("online", updateBanner);
  window.addEventListener("offline", updateBanner);
  updateBanner();

  if (user && "serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* no SW: online only */ });
  }

  var logout = document.querySelector("form.logout");
  if (logout) {
    logout.addEventListener("submit", function (event) {
      if (logout.getAttribute("data-confirmed")) return;
      event.preventDefault();
      Store.waiting(user).catch(function () { return []; }).then(function (rows) {
        var message = (banner && banner.getAttribute("data-logout")) || "";
        if (rows.length && !window.confirm(message.replace("%(n)s", rows.length))) return;
        if (navigator.serviceWorker && navigator.serviceWorker.controller) {
          navigator.serviceWorker.controller.postMessage("logout");
        }
        logout.setAttribute("data-confirmed", "1");
        // the key leaves with the session: what waits stays sealed until the next login
        Store.lock().catch(function () {}).then(function () { logout.submit(); });
      });
    });
  }
})();
