// storyline: optional enhancements. Every page works without this file.
// Charts: show each bar's or point's <title> as a tooltip that follows the pointer (the same values are
// listed in text on the page: nothing is hover-only).
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
  // "What changed since your last visit": the day of the reader's previous visit to this story is kept in
  // this browser (localStorage), never sent to the server; the link asks for ?since=<that day>.
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function today() {
    var d = new Date();
    var m = String(d.getMonth() + 1), day = String(d.getDate());
    return d.getFullYear() + "-" + (m.length < 2 ? "0" + m : m) + "-" + (day.length < 2 ? "0" + day : day);
  }
  function sinceLastVisit() {
    var box = document.querySelector("p.since-last[data-story]");
    if (!box) { return; }
    var key = "storyline:visit:" + box.getAttribute("data-story");
    var now = today(), seen = null, prev = null;
    try {
      seen = window.localStorage.getItem(key);
      prev = window.localStorage.getItem(key + ":prev");
      if (seen && seen !== now) { prev = seen; window.localStorage.setItem(key + ":prev", prev); }
      window.localStorage.setItem(key, now);
    } catch (e) { return; }  // storage off: no link, the date form still works
    if (!prev || !/^\d{4}-\d{2}-\d{2}$/.test(prev)) { return; }
    var a = document.createElement("a");
    a.href = box.getAttribute("data-base") + "?since=" + prev + "#changes";
    a.textContent = "What changed since your last visit (" + Number(prev.slice(8, 10)) + " " +
      MONTHS[Number(prev.slice(5, 7)) - 1] + ")";
    box.appendChild(a);
    box.hidden = false;
  }
  function start() { setup(); sinceLastVisit(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
