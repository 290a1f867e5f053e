/*
 * Live pages: what the htmx ws extension leaves to us.
 *
 * - The extension reconnects by itself only after an abnormal close (1006, 1011, 1012,
 *   1013). After any other close (a proxy or server closing cleanly, a socket closed
 *   by the browser) we reconnect here, with backoff. 4401 (logged out) and 4404
 *   (gone) are final.
 * - It replays nothing that was missed. The server sends every part afresh on each
 *   connect; if that first message does not come soon after a reconnect, the page
 *   fetches its live parts over HTTP (an hx-get of `data-live-url`, answered with
 *   out-of-band fragments). While the socket is down, the page polls the same way.
 * - Uploads show their progress in the form's <progress>, and what they did under the form.
 * - A run's failure clears the green "started" message that no longer holds.
 */
(function () {
  "use strict";

  var RECONNECT_MS = 1000;
  var RECONNECT_MAX_MS = 15000;
  var FIRST_MESSAGE_MS = 2000;
  var POLL_MS = 5000;
  var FINAL_CLOSES = { 4401: "Signed out: reload the page to log in again.", 4404: "This page is no longer available." };
  var AUTO_RECONNECTED = [1006, 1011, 1012, 1013];

  function state(elt) {
    if (!elt._live) elt._live = { closed: false, gotMessage: false, retries: 0, poll: null, timer: null };
    return elt._live;
  }

  function indicator(text, kind) {
    var el = document.querySelector("[data-live-status]");
    if (!el) return;
    el.hidden = !text;
    el.textContent = text || "";
    el.className = "live-status" + (kind ? " live-" + kind : "");
  }

  function refresh(elt) {
    var url = elt.getAttribute("data-live-url");
    if (url && document.body.contains(elt)) {
      htmx.ajax("GET", url, { source: elt, swap: "none" });
    }
  }

  function startPolling(elt) {
    var s = state(elt);
    if (!s.poll) s.poll = setInterval(function () { refresh(elt); }, POLL_MS);
  }

  function stopPolling(elt) {
    var s = state(elt);
    if (s.poll) { clearInterval(s.poll); s.poll = null; }
  }

  document.addEventListener("htmx:wsOpen", function (evt) {
    var elt = evt.target;
    var s = state(elt);
    var reconnect = s.closed;
    s.closed = false;
    s.retries = 0;
    s.gotMessage = false;
    stopPolling(elt);
    indicator("Live", "on");
    if (reconnect) {
      setTimeout(function () { if (!s.gotMessage && !s.closed) refresh(elt); }, FIRST_MESSAGE_MS);
    }
  });

  document.addEventListener("htmx:wsBeforeMessage", function (evt) {
    // A log box scrolled to its end stays at its end as rows are appended.
    document.querySelectorAll(".log-rows").forEach(function (box) {
      box._atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 24;
    });
  });

  document.addEventListener("htmx:wsAfterMessage", function (evt) {
    state(evt.target).gotMessage = true;
    document.querySelectorAll(".log-rows").forEach(function (box) {
      if (box._atEnd !== false) box.scrollTop = box.scrollHeight;
    });
  });

  document.addEventListener("htmx:wsClose", function (evt) {
    var elt = evt.target;
    var s = state(elt);
    var code = evt.detail.event.code;
    s.closed = true;
    if (!document.body.contains(elt)) return;
    if (FINAL_CLOSES[code]) {
      stopPolling(elt);
      indicator(FINAL_CLOSES[code], "off");
      return;
    }
    indicator("Reconnecting…", "off");
    startPolling(elt);
    if (AUTO_RECONNECTED.indexOf(code) < 0 && !s.timer) {
      var delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MS * Math.pow(2, s.retries));
      s.retries += 1;
      var socket = evt.detail.socketWrapper;
      s.timer = setTimeout(function () {
        s.timer = null;
        if (s.closed && document.body.contains(elt)) socket.reconnect();
      }, delay / 2 + Math.random() * delay / 2);
    }
  });

  // Uploads: a <progress> in the form follows the bytes sent.
  document.addEventListener("htmx:xhr:progress", function (evt) {
    var bar = evt.target.querySelector && evt.target.querySelector("progress.upload-progress");
    if (!bar || !evt.detail.lengthComputable || !evt.detail.total) return;
    bar.hidden = false;
    bar.value = Math.max(bar.value, Math.round((100 * evt.detail.loaded) / evt.detail.total));
  });

  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = evt.detail.elt;
    if (!form || !form.matches || !form.matches("form")) return;
    var bar = form.querySelector("progress.upload-progress");
    if (bar) { bar.hidden = true; bar.value = 0; }
    // What the upload said is under its form: bring it on screen (a phone's is short).
    var said = form.id === "upload-form" && document.getElementById("upload-messages");
    if (said && said.children.length) said.scrollIntoView({ block: "nearest" });
  });

  // Sent by the server only when the files were stored: a refused upload keeps the
  // chosen files in the picker, beside the reason.
  document.addEventListener("upload-stored", function (evt) {
    var form = evt.target.closest && evt.target.closest("form");
    if (form) form.reset();
  });

  // A run that failed after "Processing started" (or "Retrying…") was said: the green
  // message is no longer true, and the red error in the run controls says what is.
  // (htmx:load fires on each element swapped in, pushed or answered.)
  document.addEventListener("htmx:load", function (evt) {
    if (!evt.target.id || evt.target.id !== "run-controls") return;
    if (!evt.target.querySelector("[role=alert]")) return;
    document.querySelectorAll("#messages .message.success").forEach(function (li) { li.remove(); });
  });
})();
