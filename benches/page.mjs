#!/usr/bin/env node
// The signature page against the plain signature file, in the same headless Chromium, in
// the same run (benches/page.sh runs it). For each of RUNS loads, in a fresh browser
// context (no cache shared between loads):
//   plain: <slug>.html opened; first-contentful-paint and the load event's end;
//   page: signature.html?name=…&title=…&unit=… opened; the page's own
//     sigblock-first-preview mark (the engine started and the first signature drawn),
//     first-contentful-paint, the load event's end;
// then, on the last page, KEYS keystrokes typed into the name field: the page's own
// sigblock-update measure for each (the input event's work: the engine's answer and the
// DOM updated), and the round trip from the key press to the page having drawn it.
// Prints one JSON object. Usage: node benches/page.mjs PLAIN.html PAGE.html RUNS KEYS
import { createRequire } from "node:module";

const require = createRequire(new URL("../tests/js/package.json", import.meta.url));
const puppeteer = require("puppeteer-core");
const [plain, page, runs = "10", keys = "40"] = process.argv.slice(2);
const query = "?name=Ana%20Ruiz&title=Program%20Analyst&unit=CTRT&email=ana.ruiz%40dss.ca.gov&phone=%28916%29%20555-0100";

const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const timings = () => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const first = performance.getEntriesByName("sigblock-first-preview")[0];
  return { fcp: paint ? paint.startTime : null, load: nav.loadEventEnd, first: first ? first.startTime : null };
};
const result = { plain: [], page: [], update: [], roundtrip: [] };
try {
  for (let run = 0; run < Number(runs); run++) {
    for (const [kind, url] of [["plain", `file://${plain}`], ["page", `file://${page}${query}`]]) {
      const context = await browser.createBrowserContext();
      const tab = await context.newPage();
      await tab.goto(url, { waitUntil: "load" });
      if (kind === "page") {
        await tab.waitForFunction(() => document.documentElement.dataset.sigblock === "ready");
      }
      // A paint entry is recorded after the frame: give it one.
      await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
      result[kind].push(await tab.evaluate(timings));
      if (kind === "page" && run === Number(runs) - 1) {
        await tab.focus("#name");
        await tab.keyboard.press("End");
        for (let k = 0; k < Number(keys); k++) {
          const before = await tab.evaluate(() => Number(document.documentElement.dataset.updates));
          const start = process.hrtime.bigint();
          await tab.keyboard.type(k % 2 ? "a" : "é");
          await tab.waitForFunction((n) => Number(document.documentElement.dataset.updates) > n, {}, before);
          await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
          result.roundtrip.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        result.update = await tab.evaluate(() =>
          performance.getEntriesByName("sigblock-update").slice(1).map((e) => e.duration));
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
