// The shop's till (docs/valuechain.md): works without a network. Each sale gets its
// client_uuid on the device, waits in localStorage, and is sent when the network allows;
// the server answers a replay with the first sale, so a retried send never duplicates.
(function () {
  "use strict";
  var form = document.getElementById("till");
  if (!form) { return; }
  var key = "sunucoop-till-" + form.dataset.site;
  var $ = function (id) { return document.getElementById(id); };
  var sending = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.from(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" +
      h.slice(16, 20) + "-" + h.slice(20);
  }
  function queue() { try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; } }
  function save(q) { localStorage.setItem(key, JSON.stringify(q)); render(); }
  function render() {
    var n = queue().length, status = $("till-status");
    status.textContent = n ? n + " " + status.dataset.pendingLabel : status.dataset.syncedLabel;
    status.dataset.pending = String(n);
    var total = (parseInt($("till-qty").value, 10) || 0) * (parseInt($("till-price").value, 10) || 0);
    $("till-total").textContent = total ? "Total : " + total.toLocaleString("fr-FR") + " F CFA" : "";
  }
  function receipt(data) {
    var li = document.createElement("li"), a = document.createElement("a");
    a.href = form.dataset.receiptUrl.replace("/0/", "/" + data.id + "/");
    a.textContent = $("till-receipts").dataset.label + " " + data.receipt_number + " — " +
      data.total.toLocaleString("fr-FR") + " F CFA";
    li.appendChild(a);
    $("till-receipts").prepend(li);
  }
  function error(message) { var e = $("till-error"); e.textContent = message; e.hidden = !message; }

  function flush() {
    if (sending) { return; }
    var q = queue();
    if (!q.length) { render(); return; }
    sending = true;
    fetch(form.dataset.syncUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf },
      body: JSON.stringify(q[0])
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      sending = false;
      var rest = queue().filter(function (s) { return s.client_uuid !== q[0].client_uuid; });
      if (res.status === 200 || res.status === 201) { receipt(res.body); }
      else if (res.status >= 400 && res.status < 500) { error(res.body.message || ""); }
      else { render(); return; }  // a server error: keep it, retry later
      save(rest);
      flush();
    }).catch(function () { sending = false; render(); });  // offline: wait
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    error("");
    var lot = parseInt($("till-lot").value, 10), qty = parseInt($("till-qty").value, 10);
    var price = parseInt($("till-price").value, 10), mm = parseInt($("till-mm").value, 10) || 0;
    var total = qty * price, payments = [];
    if (total - mm > 0) { payments.push({ channel: "cash", amount: total - mm }); }
    if (mm > 0) { payments.push({ channel: "mobile_money", amount: mm, reference: $("till-mm-ref").value }); }
    var q = queue();
    q.push({
      client_uuid: uuid(), sold_at: new Date().toISOString(), buyer_phone: $("till-phone").value,
      lines: [{ lot: lot, quantity: qty, unit_price: price }], payments: payments
    });
    save(q);
    $("till-mm").value = "0"; $("till-mm-ref").value = "";
    flush();
  });
  $("till-code").addEventListener("change", function () {
    var code = this.value.trim().toUpperCase();
    Array.from($("till-lot").options).forEach(function (o) {
      if (o.dataset.code === code) { $("till-lot").value = o.value; }
    });
  });
  ["till-qty", "till-price"].forEach(function (id) { $(id).addEventListener("input", render); });
  window.addEventListener("online", flush);
  setInterval(flush, 10000);
  render();
  flush();
}());
