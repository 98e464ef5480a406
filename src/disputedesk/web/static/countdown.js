// Live countdowns: each [data-deadline] span ticks every second. The time left is counted from
// the server's clock when the page was made (data-now), so a wrong clock on this device does
// not move a deadline. Without JavaScript the span shows the time left at page load. The words
// (each plural entry's forms, "overdue by ...") come from the page's countdown-words, in the
// reader's language: "1 day 00:50:00", "3 days 23:12:12", "overdue by 12 days"; the form a
// count takes is the one the server gives the browser's plural category (Intl.PluralRules for
// the page's lang): "1 день", "3 дня", "5 дней".
(function () {
  "use strict";
  var started = Date.now();
  var words = null;
  var rules = null;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function loadWords() {
    var meta = document.querySelector("meta[name='countdown-words']");
    if (!meta) { return null; }
    try { return JSON.parse(meta.getAttribute("content")); } catch (e) { return null; }
  }

  function form(name, n) {
    var forms = words[name];
    var index = forms.length - 1;
    if (rules && forms.length > 1) {
      var chosen = words.plural[rules.select(n)];
      if (typeof chosen === "number" && chosen < forms.length) { index = chosen; }
    } else if (forms.length > 1 && n === 1) {
      index = 0;
    }
    return forms[index];
  }

  function counted(name, n) {
    return form(name, n).replace("{n}", String(n));
  }

  function overdueBy(seconds) {
    var time;
    if (seconds >= 86400) {
      time = counted("day", Math.floor(seconds / 86400));
    } else if (seconds >= 3600) {
      time = counted("hour", Math.floor(seconds / 3600));
    } else {
      time = counted("minute", Math.max(1, Math.floor(seconds / 60)));
    }
    return words.overdue.replace("{t}", time);
  }

  function render(span) {
    var deadline = Number(span.getAttribute("data-deadline"));
    var serverNow = Number(span.getAttribute("data-now")) + (Date.now() - started);
    var left = Math.floor((deadline - serverNow) / 1000);
    if (left <= 0) {
      span.textContent = overdueBy(-left);
      span.classList.add("expired");
      return;
    }
    var days = Math.floor(left / 86400);
    var rest = left % 86400;
    var clock = pad(Math.floor(rest / 3600)) + ":" + pad(Math.floor((rest % 3600) / 60)) + ":" + pad(rest % 60);
    span.textContent = form("left", days).replace("{n}", String(days)).replace("{c}", clock);
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
    words = loadWords();
    if (!words) { return; }  // no countdown on this page: the server's words stay
    try {
      rules = new Intl.PluralRules(document.documentElement.lang || "en");
    } catch (e) { rules = null; }
    tick();
    setInterval(tick, 1000);
  });
})();
