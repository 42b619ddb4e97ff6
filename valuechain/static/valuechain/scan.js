// Scan a lot's label (docs/valuechain.md): where the browser has a BarcodeDetector, the
// camera reads the label's QR code (the address of the lot's page, or its code); elsewhere
// the page keeps its typed-code form, which works everywhere (and without this script).
(function () {
  "use strict";
  var camera = document.getElementById("scan-camera");
  if (!camera || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  var video = document.getElementById("scan-video");
  var form = document.getElementById("scan-form");
  camera.hidden = false;
  document.getElementById("scan-no-camera").hidden = true;

  function open(value) {
    var m = /\/filiere\/lots\/(\d+)\/?/.exec(value);
    if (m) { window.location.assign("/filiere/lots/" + m[1] + "/"); return; }
    form.querySelector("input[name=code]").value = value.trim();
    form.submit();
  }

  document.getElementById("scan-start").addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        return video.play();
      })
      .then(function tick() {
        return detector.detect(video).then(function (codes) {
          if (codes.length) {
            video.srcObject.getTracks().forEach(function (t) { t.stop(); });
            open(codes[0].rawValue);
            return null;
          }
          return new Promise(function (resolve) { setTimeout(resolve, 250); }).then(tick);
        });
      })
      .catch(function () {
        camera.hidden = true;
        document.getElementById("scan-no-camera").hidden = false;
      });
  });
}());
