// Tower console: live updates. Every page works without this file; it
// keeps the inbox count current and tells the person, politely, when a
// proposal on the page changed status, over server-sent events.
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var badge = document.querySelector("[data-live=inbox-count]");
  var notice = document.getElementById("live-notice");
  if (!badge && !notice) { return; } // signed out: no stream

  // Proposals shown on this page: inbox and list rows, and the one a
  // proposal page is about.
  var ids = {};
  document.querySelectorAll("tr[data-proposal]").forEach(function (el) { ids[el.getAttribute("data-proposal")] = true; });
  document.querySelectorAll("[data-watch]").forEach(function (el) { ids[el.getAttribute("data-watch")] = true; });
  var q = Object.keys(ids).slice(0, 100).map(function (id) { return "watch=" + encodeURIComponent(id); }).join("&");

  var first = null;
  var said = {};
  function say(text) {
    if (!notice) { return; }
    notice.textContent = text;
    notice.hidden = false;
  }

  var es = new EventSource("/events" + (q ? "?" + q : ""));
  es.addEventListener("inbox", function (ev) {
    var n = JSON.parse(ev.data).count;
    if (badge) {
      badge.textContent = n > 0 ? String(n) : "";
      badge.setAttribute("title", n + " waiting for your decision");
    }
    if (first === null) { first = n; return; }
    var onInbox = document.querySelector("table.inbox");
    if (onInbox && n > first) {
      say((n - first) + " new proposal(s) need your decision. Reload the page to see them.");
    }
  });
  es.addEventListener("proposal", function (ev) {
    var d = JSON.parse(ev.data);
    if (said[d.id + d.status]) { return; }
    said[d.id + d.status] = true;
    var row = document.querySelector('tr[data-proposal="' + d.id + '"]');
    if (row) {
      row.classList.add("changed");
      var cell = row.querySelector(".what, td");
      if (cell && !row.querySelector(".changed-note")) {
        var note = document.createElement("div");
        note.className = "changed-note";
        note.textContent = "Now " + d.words + ".";
        cell.appendChild(note);
      }
    }
    var status = document.querySelector('#status[data-watch="' + d.id + '"]');
    if (status) {
      say("This proposal is now " + d.words + ". Reload the page to see what changed.");
    } else if (row) {
      say("A proposal on this page is now " + d.words + ".");
    }
  });
  es.addEventListener("signedout", function () { es.close(); });
})();
