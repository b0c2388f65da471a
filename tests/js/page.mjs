#!/usr/bin/env node
// Drives Debian's Chromium (puppeteer-core, the DevTools protocol) through the signature
// page as staff use it, and prints ONE JSON object of what it saw; the Rust tests
// (tests/page.rs) decide what is right. Nothing is mocked: the real page sigblock wrote,
// opened from file://, its real clipboard, its real downloads.
//
// Usage: node tests/js/page.mjs SPEC.json
//
// SPEC:
// {
//   "page": "/abs/signature.html",
//   "flags": ["--headless", ...],        // tests/common/browser.rs CHROMIUM_FLAGS
//   "downloads": "/abs/dir",             // where downloads land (optional)
//   "date": "2027-02-10T20:00:00Z",      // the browser's clock starts there (optional;
//                                        // DevTools virtual time, which also hurries
//                                        // the 5 s a click lets a page copy: no
//                                        // "fallback" visits with it)
//   "offline": true,                     // DevTools network emulation: offline (optional)
//   "visits": [{
//     "query": "?name=…",                // a fresh load of the page with this query
//     "set": {"name": "…"},              // values put into fields, as a paste does
//     "type": {"name": "…"},             // values typed key by key into emptied fields
//     "copy": true, "reply": true,       // press Copy signature / Copy reply version
//     "fallback": true,                  // …in a browser without ClipboardItem
//     "download": ["text", "html", "outlook"],
//     "normalize": ["<table…"]           // HTML to parse and serialise as the page does
//   }],
//   "a11y": [{"width": 360, "scale": 1}],  // axe-core and reflow at these viewports
//   "keyboard": true                     // Tab through the page, keys only
// }
//
// Output: {"console": [...], "requests": [...], "visits": [...], "a11y": [...],
// "keyboard": {...}}: every console message of type error or warning and every
// uncaught error; every request the page made (the Rust side allows only the page
// itself, data: and blob:).

import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const require = createRequire(import.meta.url);
const puppeteer = require("puppeteer-core");

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const FIELDS = ["name", "title", "unit", "email", "phone"];
const pageUrl = "file://" + spec.page.split("/").map(encodeURIComponent).join("/");

const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: spec.flags.filter((f) => f !== "--headless"),
});
const out = { console: [], requests: [], visits: [], a11y: [], keyboard: null };
try {
  const browserCdp = await browser.target().createCDPSession();
  await browserCdp.send("Browser.grantPermissions", {
    permissions: ["clipboardReadWrite", "clipboardSanitizedWrite"],
  });
  const downloaded = new Map();
  if (spec.downloads) {
    mkdirSync(spec.downloads, { recursive: true });
    await browserCdp.send("Browser.setDownloadBehavior", {
      behavior: "allowAndName", downloadPath: spec.downloads, eventsEnabled: true,
    });
    const names = new Map();
    browserCdp.on("Browser.downloadWillBegin", (e) => names.set(e.guid, e.suggestedFilename));
    browserCdp.on("Browser.downloadProgress", (e) => {
      if (e.state === "completed") downloaded.set(names.get(e.guid), join(spec.downloads, e.guid));
    });
  }
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send("Network.enable");
  cdp.on("Network.requestWillBeSent", (e) => out.requests.push(e.request.url));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warn" || m.type() === "warning") {
      out.console.push(`${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => out.console.push(`uncaught: ${e.message}`));
  if (spec.date) {
    await cdp.send("Emulation.setVirtualTimePolicy", {
      policy: "advance", initialVirtualTime: Date.parse(spec.date) / 1000,
    });
  }
  if (spec.offline) await page.setOfflineMode(true);

  const ready = () => page.waitForFunction(
    () => ["ready"].includes(document.documentElement.dataset.sigblock)
      || document.documentElement.dataset.state === "failed",
    { timeout: 20000, polling: 10 });
  const load = async (query) => {
    await page.goto(pageUrl + (query ?? ""));
    await ready();
    // The clipboard takes writes from a focused page only.
    await page.bringToFront();
  };

  const readClipboard = () => page.evaluate(async () => {
    const flavours = {};
    for (const item of await navigator.clipboard.read()) {
      for (const type of item.types) flavours[type] = await (await item.getType(type)).text();
    }
    return flavours;
  });

  const press = async (button, fallback) => {
    await page.evaluate(async (fallback) => {
      await navigator.clipboard.writeText("");
      document.getElementById("copied").textContent = "";
      if (fallback) delete window.ClipboardItem;
    }, fallback);
    await page.bringToFront();
    await page.click(button);
    await page.waitForFunction(() => document.getElementById("copied").textContent !== "",
      { timeout: 10000, polling: 10 });
    // The copy event's flavours reach the clipboard a moment after the event: read
    // until they are there (or 5 s have passed).
    let flavours = await readClipboard();
    for (let i = 0; i < 100 && !flavours["text/plain"]; i++) {
      await sleep(50);
      flavours = await readClipboard();
    }
    return { said: await page.$eval("#copied", (e) => e.textContent), ...flavours };
  };

  const download = async (button) => {
    downloaded.clear();
    await page.click(button);
    for (let i = 0; i < 200 && downloaded.size === 0; i++) await sleep(25);
    const [[name, path] = []] = downloaded;
    // Written whole before "completed"; wait for the size to hold still all the same.
    let size = -1;
    for (let i = 0; i < 40 && path; i++) {
      const now = statSync(path).size;
      if (now === size) break;
      size = now;
      await sleep(25);
    }
    return name ? { name, path } : null;
  };

  let loaded = false;
  for (const visit of spec.visits ?? []) {
    if (visit.query !== undefined || !loaded) {
      await load(visit.query);
      loaded = true;
    }
    if (visit.set) {
      await page.evaluate((values) => {
        for (const [field, value] of Object.entries(values)) {
          const input = document.getElementById(field);
          input.value = value;
          input.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }, visit.set);
    }
    for (const [field, text] of Object.entries(visit.type ?? {})) {
      await page.$eval(`#${field}`, (input) => {
        input.value = "";
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      await page.focus(`#${field}`);
      await page.keyboard.type(text);
    }
    const seen = await page.evaluate((fields) => {
      const $ = (id) => document.getElementById(id);
      const img = $("preview").querySelector("img");
      return {
        state: document.documentElement.dataset.state,
        status: $("state").textContent,
        values: Object.fromEntries(fields.map((f) => [f, $(f).value])),
        errors: Object.fromEntries(fields.map((f) => [f, $(`${f}-error`).textContent])),
        invalid: fields.filter((f) => $(f).getAttribute("aria-invalid") === "true"),
        preview: $("preview").innerHTML,
        reply: $("reply").innerHTML,
        text: $("text").textContent,
        notes: [...$("notes").children].map((li) => li.textContent),
        banner: img ? img.getAttribute("src") : null,
        elements: [...$("preview").querySelectorAll("*")].map((e) => e.localName)
          .filter((n, i, all) => all.indexOf(n) === i),
        units: [...document.querySelectorAll("#units option")].map((o) => o.value),
        heading: document.querySelector("header").textContent,
        failed: $("failed").hidden ? "" : $("failed").textContent,
      };
    }, FIELDS);
    seen.normalized = await page.evaluate((list) => list.map((html) => {
      const template = document.createElement("template");
      template.innerHTML = html;
      return template.innerHTML;
    }), visit.normalize ?? []);
    seen.downloads = {};
    for (const kind of visit.download ?? []) {
      seen.downloads[kind] = await download(`#download-${kind}`);
    }
    if (visit.copy) seen.clipboard = await press("#copy", visit.fallback);
    if (visit.reply) seen.reply_clipboard = await press("#copy-reply", visit.fallback);
    // A page whose ClipboardItem was taken away is loaded afresh for the next visit.
    if (visit.fallback) loaded = false;
    out.visits.push(seen);
  }

  for (const view of spec.a11y ?? []) {
    await page.setViewport({ width: view.width, height: 800, deviceScaleFactor: view.scale ?? 1 });
    await load(view.query ?? "");
    if (view.set) {
      await page.evaluate((values) => {
        for (const [field, value] of Object.entries(values)) {
          const input = document.getElementById(field);
          input.value = value;
          input.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }, view.set);
    }
    await page.evaluate(readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"));
    const result = await page.evaluate(async () => {
      // Every rule axe has, the best practices included; details opened, so what they
      // hide is checked too.
      for (const d of document.querySelectorAll("details")) d.open = true;
      const axeResult = await window.axe.run(document, { resultTypes: ["violations"] });
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll("input, button, summary, h1, h2, h3, p, li, label")]
        .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".preview"))
        .map((e) => e.id || `${e.localName}: ${e.textContent.slice(0, 40)}`);
      return {
        violations: axeResult.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
        })),
        scroll: document.documentElement.scrollWidth,
        width,
        wide,
      };
    });
    out.a11y.push({ ...view, ...result });
  }

  if (spec.keyboard) {
    await page.setViewport({ width: 1280, height: 800 });
    await load(spec.keyboard.query ?? "");
    await page.evaluate(() => document.activeElement?.blur());
    const order = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return null;
        const style = getComputedStyle(e);
        return {
          id: e.id || `${e.localName}:${e.textContent.trim().slice(0, 30)}`,
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        };
      });
      if (!focused) break;
      if (order.some((o) => o.id === focused.id)) break;
      order.push(focused);
    }
    // The person typed with the keyboard, then Copy pressed with Enter.
    const typed = {};
    for (const [field, text] of Object.entries(spec.keyboard.type ?? {})) {
      await page.focus(`#${field}`);
      await page.keyboard.type(text);
      typed[field] = await page.$eval(`#${field}`, (e) => e.value);
    }
    let clipboard = null;
    if (spec.keyboard.type) {
      await page.evaluate(() => navigator.clipboard.writeText(""));
      await page.focus("#copy");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.getElementById("copied").textContent !== "",
        { timeout: 10000 });
      clipboard = await readClipboard();
    }
    out.keyboard = { order, typed, clipboard,
      state: await page.evaluate(() => document.documentElement.dataset.state) };
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
