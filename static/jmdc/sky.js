// The interactive sky of /statistics: Aladin Lite v3 from CDS's distribution (as CDS documents
// for embedding), with the catalogue's stars (the JSON of <script id="sky-stars">) as a
// catalogue layer. Loaded after the page's own load event, so a CDS that is slow or cannot be
// reached never holds the page: the static sky chart (charts.js) stays whatever happens here.
(function () {
  "use strict";

  function say(text) {
    const state = document.getElementById("aladin-state");
    if (state) state.textContent = text;
  }

  function show(box) {
    const stars = JSON.parse(document.getElementById("sky-stars").textContent);
    window.A.init
      .then(function () {
        box.hidden = false;
        const aladin = window.A.aladin(box, {
          survey: "P/DSS2/color",
          projection: "AIT",
          cooFrame: "equatorial",
          fov: 360,
          target: "0 +0",
          showReticle: false,
        });
        const layer = window.A.catalog({ name: "JMDC stars", sourceSize: 8, color: "#ffb000" });
        aladin.addCatalog(layer);
        layer.addSources(
          stars.map(function (star) {
            return window.A.source(star[0], star[1], { name: star[2] });
          })
        );
        box.dataset.state = "drawn";
        say("The same stars over DSS2 in Aladin Lite (CDS): drag to move, scroll to zoom.");
      })
      .catch(function () {
        box.hidden = true;
        say("Aladin Lite (CDS) could not start; the sky chart above shows the stars.");
      });
  }

  function load() {
    const box = document.getElementById("aladin-sky");
    if (!box) return;
    const script = document.createElement("script");
    script.src = box.dataset.aladinScript;
    script.async = true;
    script.onload = function () {
      if (window.A && window.A.init) show(box);
    };
    script.onerror = function () {
      box.dataset.state = "unreachable";
      say("CDS could not be reached: the sky chart above shows the stars without Aladin Lite.");
    };
    document.head.appendChild(script);
  }

  if (document.readyState === "complete") {
    load();
  } else {
    window.addEventListener("load", load);
  }
})();
