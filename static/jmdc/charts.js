// Draws every chart of the page: a <figure data-chart="ID"> whose Vega-Lite specification is the
// JSON of <script id="ID" type="application/json"> (Django's json_script). Loaded after
// vendor/vega/vega-bundle.js (templates/includes/chart_scripts.html).
//
// Under the site's CSP (no 'unsafe-eval', no inline style): Vega's expressions are run by its
// interpreter (ast: true) instead of generated functions, and vega-embed's own <style> is off
// (defaultStyle: false, the tooltip's disableDefaultStyle; the page's CSS styles them). The server's SVG drawing stays in the figure
// until the browser's replaces it, so a page whose script fails still shows the chart.
(function () {
  "use strict";

  function draw(figure) {
    const source = document.getElementById(figure.dataset.chart);
    if (!source || typeof window.vegaEmbed !== "function") {
      figure.dataset.chartState = "static";
      return;
    }
    const spec = JSON.parse(source.textContent);
    const target = document.createElement("div");
    target.className = "chart-canvas";
    // In the page before Vega draws: a chart of width "container" takes the box's width then.
    figure.insertBefore(target, figure.firstChild);
    window
      .vegaEmbed(target, spec, {
        ast: true,
        renderer: "svg",
        actions: false,
        defaultStyle: false,
        // vega-tooltip would inject its <style> (refused by the policy): its rules are in
        // science.css instead.
        tooltip: { disableDefaultStyle: true },
      })
      .then(function (result) {
        const fallback = figure.querySelector(".chart-static");
        if (fallback) fallback.remove();
        figure.vegaView = result.view; // what the browser tests read the chart's data from
        figure.dataset.chartState = "drawn";
      })
      .catch(function (error) {
        target.remove();
        figure.dataset.chartState = "failed";
        figure.dataset.chartError = String(error);
      });
  }

  // A chart inside a closed <details> (a row of the submission's review page) is drawn when
  // it is opened: a chart of width "container" drawn in a hidden box would take a width of 0,
  // and a page of many rows draws only what the curator opens.
  function drawWhenShown(figure) {
    const closed = figure.closest("details:not([open])");
    if (!closed) {
      draw(figure);
      return;
    }
    closed.addEventListener(
      "toggle",
      function () {
        drawWhenShown(figure);
      },
      { once: true },
    );
  }

  function drawAll() {
    document.querySelectorAll("figure[data-chart]").forEach(drawWhenShown);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
