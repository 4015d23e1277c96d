// Sample servlet app: a tiny WebSocket echo client for index.html.
(function () {
  "use strict";
  var input = document.getElementById("ws-in");
  var output = document.getElementById("ws-out");
  var button = document.getElementById("ws-send");
  if (!input || !output || !button) {
    return;
  }
  var base = location.pathname.replace(/[^/]*$/, "");
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + base + "ws/echo";
  var socket = null;

  function send() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(input.value);
      return;
    }
    socket = new WebSocket(url);
    socket.onopen = function () { socket.send(input.value); };
    socket.onmessage = function (event) { output.textContent = "echo: " + event.data; };
    socket.onerror = function () { output.textContent = "WebSocket error"; };
  }

  button.addEventListener("click", send);
})();
