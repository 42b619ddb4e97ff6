// Live SMS part counter of the template editor (docs/messaging.md). Counts exactly as
// messaging/parts.py: GSM-7 160 / 153 per part, extension characters count 2; otherwise
// UCS-2 70 / 67 per part, characters outside the BMP count 2. Placeholders {name} are
// replaced by the form's example values (data-sms-example) before counting.
(function () {
  "use strict";
  var GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var GSM_EXTENDED = "^{}\\[~]|€\f";

  function smsParts(text) {
    var chars = Array.from(text);
    var gsm = chars.every(function (c) {
      return GSM_BASIC.indexOf(c) >= 0 || GSM_EXTENDED.indexOf(c) >= 0;
    });
    var units = 0, single, split;
    chars.forEach(function (c) {
      if (gsm) { units += GSM_EXTENDED.indexOf(c) >= 0 ? 2 : 1; }
      else { units += c.codePointAt(0) > 0xFFFF ? 2 : 1; }
    });
    if (gsm) { single = 160; split = 153; } else { single = 70; split = 67; }
    var count = units === 0 ? 0 : (units <= single ? 1 : Math.ceil(units / split));
    return { encoding: gsm ? "GSM7" : "UCS2", units: units, count: count };
  }
  window.sunucoopSmsParts = smsParts;

  function render(template, values) {
    return template.replace(/\{\{|\}\}|\{([a-z_]+)\}/g, function (m, name) {
      if (m === "{{") { return "{"; }
      if (m === "}}") { return "}"; }
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m;
    });
  }

  function setUp() {
    var form = document.getElementById("sms-template-form");
    var format = document.getElementById("sms-counter-format");
    if (!form || !format) { return; }
    var values = {};
    try { values = JSON.parse(form.getAttribute("data-sms-example") || "{}"); } catch (e) { values = {}; }
    form.querySelectorAll("textarea[data-sms-parts]").forEach(function (area) {
      var lang = area.getAttribute("data-sms-parts");
      var counter = form.querySelector('[data-sms-counter="' + lang + '"]');
      var preview = form.querySelector('[data-sms-preview="' + lang + '"]');
      function update() {
        var text = render(area.value, values);
        var p = smsParts(text);
        counter.textContent = format.content.textContent.trim()
          .replace("{units}", p.units).replace("{encoding}", p.encoding).replace("{parts}", p.count);
        counter.classList.toggle("ms-many", p.count > 1);
        if (preview) { preview.textContent = text; }
      }
      area.addEventListener("input", update);
      update();
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); }
  else { setUp(); }
})();
