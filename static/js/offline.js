/* On every page (templates/base.html): the device's store of field records (IndexedDB),
   the offline banner saying what waits to be sent, the service worker, and a warning at
   logout when records wait. No build step, no CDN; see docs/offline.md. */
(function () {
  "use strict";
  var DB_NAME = "sunucoop-field";
  var DB_VERSION = 1;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("records")) db.createObjectStore("records", { keyPath: "key" });
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "uuid" });
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "name" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function run(store, mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result = fn(tx.objectStore(store));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); db.close(); };
        tx.onerror = function () { reject(tx.error); db.close(); };
      });
    });
  }

  var Store = {
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    put: function (store, value) { return run(store, "readwrite", function (s) { s.put(value); }); },
    putMany: function (store, values) {
      return run(store, "readwrite", function (s) { values.forEach(function (v) { s.put(v); }); });
    },
    remove: function (store, keys) {
      return run(store, "readwrite", function (s) { keys.forEach(function (k) { s.delete(k); }); });
    },
    clear: function (store) { return run(store, "readwrite", function (s) { s.clear(); }); },
    meta: function (name) {
      return Store.get("meta", name).then(function (row) { return row ? row.value : null; });
    },
    setMeta: function (name, value) { return Store.put("meta", { name: name, value: value }); },
    waiting: function (user) {
      return Store.all("outbox").then(function (rows) {
        return rows.filter(function (r) { return r.state === "waiting" && (!user || r.user === user); });
      });
    }
  };
  window.SunuStore = Store;

  var banner = document.getElementById("offline-banner");
  var user = document.body.getAttribute("data-user") || "";

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
        logout.submit();
      });
    });
  }
})();
