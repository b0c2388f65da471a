// Injected by tests/clients.rs into a COPY of a generated page (never the output
// itself), just before </body>. Once the page has loaded (every image decoded or
// failed), it writes what the browser made of the page as JSON into
// <pre id="sigblock-result">, which `chromium --dump-dom` then prints.
(function () {
  "use strict";
  function box(element) {
    const r = element.getBoundingClientRect();
    return { width: r.width, height: r.height };
  }
  function report() {
    const images = Array.from(document.images).map(function (img) {
      const card = img.closest("section.card");
      const src = img.getAttribute("src") || "";
      return {
        // data: URIs are long: the start says what it is.
        src: src.length > 80 ? src.slice(0, 80) + "…" : src,
        currentSrc: img.currentSrc.startsWith("data:") ? "data:…" : img.currentSrc,
        complete: img.complete,
        naturalWidth: img.naturalWidth,
        naturalHeight: img.naturalHeight,
        layout: box(img),
        card: card ? card.id : null,
      };
    });
    const cards = Array.from(document.querySelectorAll("section.card")).map(function (card) {
      const style = window.getComputedStyle(card);
      return {
        id: card.id,
        line: card.getAttribute("data-line"),
        images: card.querySelectorAll("img").length,
        visible: style.display !== "none" && style.visibility !== "hidden",
        layout: box(card),
      };
    });
    document.getElementById("sigblock-result").textContent = JSON.stringify({
      loaded: true,
      url: document.URL,
      charset: document.characterSet,
      images: images,
      cards: cards,
    });
  }
  if (document.readyState === "complete") {
    report();
  } else {
    window.addEventListener("load", report);
  }
})();
