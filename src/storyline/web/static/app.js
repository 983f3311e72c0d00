// storyline: optional enhancements. Every page works without this file.
// Charts: show each bar's or point's <title> as a tooltip that follows the pointer.
(function () {
  "use strict";
  function setup() {
    var tip = document.createElement("div");
    tip.className = "tip";
    tip.hidden = true;
    tip.setAttribute("role", "tooltip");
    document.body.appendChild(tip);
    var charts = document.querySelectorAll("svg.chart");
    Array.prototype.forEach.call(charts, function (svg) {
      svg.addEventListener("mousemove", function (ev) {
        var node = ev.target;
        var text = null;
        while (node && node !== svg) {
          var t = node.querySelector ? node.querySelector(":scope > title") : null;
          if (t && t.textContent) { text = t.textContent; break; }
          node = node.parentNode;
        }
        if (!text) { tip.hidden = true; return; }
        tip.textContent = text;
        tip.hidden = false;
        tip.style.left = (ev.pageX + 12) + "px";
        tip.style.top = (ev.pageY + 12) + "px";
      });
      svg.addEventListener("mouseleave", function () { tip.hidden = true; });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
