// Check a member card without the network (docs/health.md, "Member cards"; ADR 0015).
// The card's code is "<payload>.<signature>" (base64url): the payload a JSON array
// [1, kid, person, household, scheme, scheme name, name, covered until, issued on], the
// signature Ed25519 over the payload's bytes. The public keys come with the page and from
// GET /api/v1/health/card-keys when online, and are kept in localStorage, so the check
// runs in this browser (WebCrypto) with no request at all.
(function () {
  "use strict";
  var root = document.getElementById("card-offline");
  if (!root) { return; }
  var STORE = "sunucoop.health.cardKeys";
  var texts = JSON.parse(document.getElementById("card-texts").textContent);
  var form = document.getElementById("card-offline-form");
  var input = document.getElementById("id_card_code");
  var result = document.getElementById("card-offline-result");
  var verdict = document.getElementById("card-offline-verdict");
  var facts = document.getElementById("card-offline-facts");
  var note = document.getElementById("card-offline-note");
  var online = document.getElementById("card-offline-online");
  var status = document.getElementById("card-keys-status");

  function readStored() {
    try {
      var set = JSON.parse(window.localStorage.getItem(STORE) || "null");
      return set && Array.isArray(set.keys) ? set : null;
    } catch (e) { return null; }
  }
  function keep(set) {  // the newest set wins (the page's, the stored one, the endpoint's)
    var stored = readStored();
    if (stored && stored.at && set.at && stored.at > set.at) { return stored; }
    try { window.localStorage.setItem(STORE, JSON.stringify(set)); } catch (e) { /* full */ }
    return set;
  }
  var keys = keep(JSON.parse(document.getElementById("card-keys").textContent));

  function frenchDate(iso) {
    var p = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return p ? p[3] + "/" + p[2] + "/" + p[1] : "";
  }
  function showKeys() {
    status.textContent = keys.keys.length
      ? texts.keys_at.replace("%(date)s", frenchDate(keys.at)) + " (" + keys.keys.map(function (k) { return k.kid; }).join(", ") + ")"
      : texts.keys_none;
  }
  showKeys();
  if (navigator.onLine !== false) {
    fetch(root.dataset.keysUrl, { credentials: "omit", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (set) {
        if (set && Array.isArray(set.keys)) {
          keys = keep({ keys: set.keys, at: new Date().toISOString() });
          showKeys();
        }
      })
      .catch(function () { /* offline: the kept keys serve */ });
  }

  function bytes(b64url) {
    if (!/^[A-Za-z0-9_-]+$/.test(b64url)) { throw new Error("base64url"); }
    var s = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) { s += "="; }
    var bin = window.atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }
  function tokenOf(text) {
    text = (text || "").trim();
    var m = /[?&]c=([^&#\s]+)/.exec(text);
    return m ? decodeURIComponent(m[1]) : text;
  }
  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function verify(token) {
    var parts = token.split(".");
    var data, signature, payload;
    try {
      if (parts.length !== 2) { throw new Error("format"); }
      data = bytes(parts[0]);
      signature = bytes(parts[1]);
      payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data));
      if (!Array.isArray(payload) || payload.length !== 9 || payload[0] !== 1) { throw new Error("format"); }
    } catch (e) { return Promise.resolve({ ok: false, reason: "invalid" }); }
    var jwk = keys.keys.filter(function (k) { return k.kid === payload[1]; })[0];
    if (!jwk) { return Promise.resolve({ ok: false, reason: "unknown_key" }); }
    if (!window.crypto || !window.crypto.subtle) { return Promise.resolve({ ok: false, reason: "no_crypto" }); }
    return window.crypto.subtle.importKey(
      "jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]
    ).then(function (key) {
      return window.crypto.subtle.verify({ name: "Ed25519" }, key, signature, data);
    }).then(function (good) {
      if (!good) { return { ok: false, reason: "invalid" }; }
      return {
        ok: true, kid: payload[1], person: payload[2], household: payload[3], scheme: payload[4],
        schemeName: payload[5], name: payload[6], until: payload[7], issued: payload[8]
      };
    }, function () { return { ok: false, reason: "no_crypto" }; });
  }

  function field(name, value) { facts.querySelector("[data-field=" + name + "]").textContent = value; }
  function show(outcome, token) {
    result.hidden = false;
    online.href = root.dataset.onlineUrl + "?c=" + encodeURIComponent(token);
    if (!outcome.ok) {
      result.dataset.state = "invalid";
      verdict.className = "badge bad";
      verdict.textContent = texts[outcome.reason] || texts.invalid;
      facts.hidden = true;
      ["name", "scheme", "household", "until", "issued"].forEach(function (n) { field(n, ""); });
      note.textContent = "";
      return;
    }
    var covered = outcome.until && outcome.until >= today();
    result.dataset.state = covered ? "valid" : "expired";
    verdict.className = covered ? "badge ok" : "badge bad";
    verdict.textContent = covered ? texts.valid : texts.expired;
    facts.hidden = false;
    field("name", outcome.name);
    field("scheme", outcome.schemeName);
    field("household", String(outcome.household));
    field("until", outcome.until ? frenchDate(outcome.until) : texts.no_date);
    field("issued", frenchDate(outcome.issued));
    note.textContent = outcome.until ? texts.offline_note.replace("%(date)s", frenchDate(outcome.until)) : "";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var token = tokenOf(input.value);
    verify(token).then(function (outcome) { show(outcome, token); });
  });

  // The camera, where the browser has a BarcodeDetector (as valuechain's scan page).
  var start = document.getElementById("card-scan-start");
  var video = document.getElementById("card-scan-video");
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  start.hidden = false;
  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.hidden = false;
        video.srcObject = stream;
        return video.play();
      })
      .then(function tick() {
        return detector.detect(video).then(function (codes) {
          if (codes.length) {
            video.srcObject.getTracks().forEach(function (t) { t.stop(); });
            video.hidden = true;
            input.value = codes[0].rawValue;
            form.requestSubmit();
            return null;
          }
          return new Promise(function (resolve) { setTimeout(resolve, 250); }).then(tick);
        });
      })
      .catch(function () { video.hidden = true; start.hidden = true; });
  });
}());
