// Export with a live record counter: fetches the same download the form would, counts lines as they stream in, then saves the file.
// Without script the form downloads directly; above the size limit the page hands over to a direct download too.
(function () {
  "use strict";
  var form = document.getElementById("export-form");
  if (!form || !window.fetch || !window.ReadableStream || !window.AbortController) { return; }
  var status = document.getElementById("export-progress");
  var start = document.getElementById("export-start");
  var cancel = document.getElementById("export-cancel");
  var maxBufferedBytes = 256 * 1024 * 1024;
  var controller = null;

  function url() {
    var params = new URLSearchParams(new FormData(form));
    return form.getAttribute("action") ? form.action + "?" + params : window.location.pathname + "?" + params;
  }
  function fileName(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename\*=UTF-8''([^;]+)/i.exec(header) || /filename="?([^";]+)"?/i.exec(header);
    return match ? decodeURIComponent(match[1]) : "evaluation-logs";
  }
  function say(text) { status.textContent = text; }
  function done() { start.disabled = false; cancel.hidden = true; controller = null; }

  cancel.addEventListener("click", function () { if (controller) { controller.abort(); } });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var target = url();
    var csv = new FormData(form).get("format") !== "jsonl";
    controller = new AbortController();
    start.disabled = true;
    cancel.hidden = false;
    say("Starting the export…");
    fetch(target, { credentials: "same-origin", signal: controller.signal }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("text/html") === 0) {
        // A problem page (filter, service unreachable): show it as the plain form would.
        window.location.assign(target);
        return null;
      }
      var reader = response.body.getReader();
      var chunks = [];
      var bytes = 0;
      var lines = 0;
      var lastUpdate = 0;
      function records() { return Math.max(0, csv ? lines - 1 : lines); }
      function pump() {
        return reader.read().then(function (result) {
          if (result.done) {
            var blob = new Blob(chunks, { type: type });
            var link = document.createElement("a");
            link.href = URL.createObjectURL(blob);
            link.download = fileName(response);
            document.body.appendChild(link);
            link.click();
            link.remove();
            setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
            say("Done: " + records().toLocaleString() + " records saved as " + link.download + ".");
            done();
            return null;
          }
          chunks.push(result.value);
          bytes += result.value.length;
          for (var i = 0; i < result.value.length; i++) { if (result.value[i] === 10) { lines++; } }
          if (bytes > maxBufferedBytes) {
            controller.abort();
            say("Large export: continuing as a direct download (your browser's download list shows its progress).");
            done();
            window.location.assign(target);
            return null;
          }
          var now = Date.now();
          if (now - lastUpdate > 500) {
            lastUpdate = now;
            say("Exporting… " + records().toLocaleString() + " records received (" + (bytes / 1048576).toFixed(1) + " MB).");
          }
          return pump();
        });
      }
      return pump();
    }).catch(function (error) {
      say(error && error.name === "AbortError" ? "Export cancelled." : "The export failed: " + error);
      done();
    });
  });
})();
