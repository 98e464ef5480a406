// Live countdowns: each [data-deadline] span ticks every second. The time left is counted from
// the server's clock when the page was made (data-now), so a wrong clock on this device does
// not move a deadline. Without JavaScript the span shows the time left at page load.
(function () {
  "use strict";
  var started = Date.now();

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function render(span) {
    var deadline = Number(span.getAttribute("data-deadline"));
    var serverNow = Number(span.getAttribute("data-now")) + (Date.now() - started);
    var left = Math.max(0, Math.floor((deadline - serverNow) / 1000));
    var days = Math.floor(left / 86400);
    var rest = left % 86400;
    var clock = pad(Math.floor(rest / 3600)) + ":" + pad(Math.floor((rest % 3600) / 60)) + ":" + pad(rest % 60);
    span.textContent = span.getAttribute("data-days").replace("{d}", String(days)).replace("{c}", clock);
    if (left === 0) { span.classList.add("expired"); }
  }

  function tick() {
    var spans = document.querySelectorAll("[data-deadline]");
    for (var i = 0; i < spans.length; i++) { render(spans[i]); }
  }

  function browserTimeZone() {
    var field = document.querySelector("[data-browser-time-zone]");
    if (!field) { return; }
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone) { field.value = zone; }
    } catch (e) { /* keep UTC */ }
  }

  document.addEventListener("DOMContentLoaded", function () {
    browserTimeZone();
    tick();
    setInterval(tick, 1000);
  });
})();
