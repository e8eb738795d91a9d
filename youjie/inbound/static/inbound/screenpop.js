/* Incoming-call screen-pop for desk staff (youjie.inbound, DESIGN flow 1).
 *
 * Connects to the screen-pop socket named by #screenpop[data-ws-path] and shows each
 * "call.incoming" card in a box until closed. The card HTML is rendered and escaped by the
 * server (Django templates); it is scoped to what this user may see. Reconnects with back-off;
 * stops when the server closes with 4403 (not allowed). No inline script: CSP script-src 'self'.
 */
(function () {
  "use strict";
  var MAX_BOXES = 3;
  var FORBIDDEN = 4403;
  var container = document.getElementById("screenpop");
  if (!container || !("WebSocket" in window)) {
    return;
  }
  var path = container.getAttribute("data-ws-path") || "/ws/desk/calls/";
  var delay = 1000;
  var socket = null;

  function show(message) {
    var box = document.createElement("div");
    box.className = "screenpop-box" + (message.answered ? "" : " missed");
    box.setAttribute("data-call-event", String(message.call_event_id));
    var close = document.createElement("button");
    close.type = "button";
    close.className = "screenpop-close";
    close.setAttribute("aria-label", "关闭");
    close.textContent = "×";
    close.addEventListener("click", function () {
      box.remove();
    });
    var body = document.createElement("div");
    if (typeof message.html === "string") {
      body.innerHTML = message.html; // server-rendered, autoescaped fragment
    } else {
      body.textContent = "来电 " + (message.caller_masked || "");
    }
    box.appendChild(close);
    box.appendChild(body);
    container.insertBefore(box, container.firstChild);
    while (container.children.length > MAX_BOXES) {
      container.removeChild(container.lastChild);
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + path);
    socket.addEventListener("open", function () {
      delay = 1000;
    });
    socket.addEventListener("message", function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message && message.type === "call.incoming") {
        show(message);
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === FORBIDDEN) {
        return;
      }
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60000);
    });
  }

  connect();
})();
