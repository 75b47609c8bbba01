/* newsprism pages: highlight counterparts and small form helpers. No inline script anywhere:
   the Content-Security-Policy only allows this file. Article text is read with textContent
   and written with textContent, never as HTML. */
(function () {
  "use strict";

  function pairsOf(el) {
    return (el.getAttribute("data-pair") || "").split(" ").filter(function (p) { return p; });
  }

  // Every highlight sharing a pair id with el (el included); ids are compared as strings,
  // never put into a selector.
  function sameGroup(el) {
    var mine = pairsOf(el);
    var all = document.querySelectorAll("mark.hl[data-pair]");
    var out = [];
    for (var i = 0; i < all.length; i++) {
      var theirs = pairsOf(all[i]);
      for (var j = 0; j < theirs.length; j++) {
        if (mine.indexOf(theirs[j]) !== -1) { out.push(all[i]); break; }
      }
    }
    return out;
  }

  function columnOf(el) { return el.closest(".column"); }

  function outletOf(el) {
    var col = columnOf(el);
    var name = col ? col.querySelector(".outlet") : null;
    return name ? name.textContent : "another article";
  }

  function scrollInside(el) {
    var box = el.closest(".column-body");
    if (!box) { return; }
    var top = el.offsetTop - box.offsetTop - box.clientHeight / 3;
    box.scrollTop = Math.max(0, top);
  }

  function activate(el) {
    var active = document.querySelectorAll("mark.hl.hl-active");
    for (var i = 0; i < active.length; i++) { active[i].classList.remove("hl-active"); }
    var group = sameGroup(el);
    var names = [];
    var mine = columnOf(el);
    for (var j = 0; j < group.length; j++) {
      group[j].classList.add("hl-active");
      if (group[j] !== el && columnOf(group[j]) !== mine) {
        scrollInside(group[j]);
        names.push(outletOf(group[j]) + ": \u201c" + group[j].textContent + "\u201d");
      }
    }
    var line = document.getElementById("counterpart");
    if (line) {
      line.textContent = names.length ? "Counterpart in " + names.join(" \u00b7 ") : "No counterpart: unique to " + outletOf(el) + ".";
    }
  }

  function hover(el, on) {
    var group = sameGroup(el);
    for (var i = 0; i < group.length; i++) { group[i].classList.toggle("hl-hover", on); }
  }

  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("mark.hl[data-pair]") : null;
    if (el) { activate(el); }
  });
  document.addEventListener("keydown", function (ev) {
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches && ev.target.matches("mark.hl[data-pair]")) {
      ev.preventDefault();
      activate(ev.target);
    }
  });
  document.addEventListener("mouseover", function (ev) {
    var el = ev.target.closest ? ev.target.closest("mark.hl[data-pair]") : null;
    if (el) { hover(el, true); }
  });
  document.addEventListener("mouseout", function (ev) {
    var el = ev.target.closest ? ev.target.closest("mark.hl[data-pair]") : null;
    if (el) { hover(el, false); }
  });

  // A story page whose comparison is still running asks for it until it is ready, then reloads.
  var status = document.getElementById("comparison-status");
  var pollUrl = status ? status.getAttribute("data-poll") : null;
  if (pollUrl && pollUrl.charAt(0) === "/" && window.fetch) {
    var tries = 0;
    var poll = function () {
      tries += 1;
      fetch(pollUrl, { headers: { "Accept": "application/json" } }).then(function (r) {
        if (r.status === 200) { window.location.reload(); }
        else if (r.status === 202 && tries < 200) { window.setTimeout(poll, 1500); }
        else { status.textContent = "The comparison did not finish; reload the page to try again."; }
      }).catch(function () {
        if (tries < 200) { window.setTimeout(poll, 3000); }
      });
    };
    window.setTimeout(poll, 1000);
  }

  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("select.autosubmit") && ev.target.form) {
      ev.target.form.submit();
    }
  });
})();
