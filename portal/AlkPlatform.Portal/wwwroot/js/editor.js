// Live Markdown preview: the server renders and sanitises (Markdig + HtmlSanitizer), exactly as the article does.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) { return; }
  var token = form.querySelector("input[name='__RequestVerificationToken']");
  var timers = new WeakMap();
  function render(textarea) {
    var target = document.getElementById(textarea.getAttribute("data-preview"));
    if (!target) { return; }
    var body = new URLSearchParams();
    body.set("markdownText", textarea.value);
    var url = new URL(window.location.href);
    url.searchParams.set("handler", "Preview");
    fetch(url.toString(), {
      method: "POST",
      headers: { "X-CSRF-TOKEN": token ? token.value : "", "Content-Type": "application/x-www-form-urlencoded" },
      body: body,
      credentials: "same-origin"
    }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) { target.innerHTML = html; });
  }
  form.querySelectorAll("textarea[data-preview]").forEach(function (textarea) {
    textarea.addEventListener("input", function () {
      clearTimeout(timers.get(textarea));
      timers.set(textarea, setTimeout(function () { render(textarea); }, 250));
    });
  });
})();
