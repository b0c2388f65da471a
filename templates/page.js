"use strict";
// The signature page's script. It carries values between the form and sigblock's own
// engine, the library's core compiled to WebAssembly (src/page/): every message, the
// signature, its text, the notes and the files come from there, never from here.
(() => {
  const $ = (id) => document.getElementById(id);
  const FIELDS = ["name", "title", "unit", "email", "phone"];
  const root = document.documentElement;
  const office = $("sigblock-office").textContent;
  const zone = JSON.parse(office).campaign.time_zone;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const touched = new Set();
  let engine = null;
  let made = null;
  let updates = 0;

  // The engine: base64 ─► gzip ─► WebAssembly, all in this page (no request).
  async function start() {
    if (!window.WebAssembly || !window.DecompressionStream) {
      throw new Error("this browser is too old for it (it needs WebAssembly and "
        + "DecompressionStream: Edge, Chrome, Firefox or Safari from 2023 on)");
    }
    const bytes = atob($("sigblock-engine").textContent.trim());
    const gz = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) gz[i] = bytes.charCodeAt(i);
    const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
    const wasm = await new Response(stream).arrayBuffer();
    const { instance } = await WebAssembly.instantiate(wasm, {});
    engine = instance.exports;
    const started = call("sigblock_init", office);
    if (!started.ok) throw new Error(decoder.decode(started.bytes));
  }

  // One call into the engine: the input as UTF-8 into its memory, its output copied out.
  function call(name, input) {
    const bytes = typeof input === "string" ? encoder.encode(input) : input;
    const at = engine.sigblock_alloc(bytes.length);
    new Uint8Array(engine.memory.buffer, at, bytes.length).set(bytes);
    const status = engine[name](at, bytes.length);
    const out = new Uint8Array(engine.memory.buffer, engine.sigblock_output_ptr(),
      engine.sigblock_output_len()).slice();
    return { ok: status === 0, bytes: out };
  }

  // Today where the campaign is, as YYYY-MM-DD; "" when the browser cannot say.
  function today() {
    try {
      const parts = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      }).formatToParts(new Date());
      const part = (type) => parts.find((p) => p.type === type).value;
      return `${part("year")}-${part("month")}-${part("day")}`;
    } catch (_) {
      return "";
    }
  }

  function request() {
    const values = { today: today() };
    for (const field of FIELDS) values[field] = $(field).value;
    return JSON.stringify(values);
  }

  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  // Asks the engine about the form as it stands and shows its answer.
  function update() {
    try {
      show();
    } catch (error) {
      fail(error && error.message ? error.message : String(error));
    }
  }

  function show() {
    const started = performance.now();
    const answer = call("sigblock_respond", request());
    if (!answer.ok) return fail(decoder.decode(answer.bytes));
    const response = JSON.parse(decoder.decode(answer.bytes));
    for (const field of FIELDS) {
      const error = response.errors.find((e) => e.field === field);
      const shown = error && touched.has(field) ? error.message : "";
      setText($(`${field}-error`), shown);
      $(field).setAttribute("aria-invalid", shown ? "true" : "false");
    }
    const signature = response.signature;
    if (signature) {
      if (!made || made.html !== signature.html) $("preview").innerHTML = signature.html;
      if (!made || made.reply_html !== signature.reply_html) $("reply").innerHTML = signature.reply_html;
      setText($("text"), signature.text);
      setText($("state"), "Your signature is ready to copy.");
    } else {
      $("preview").replaceChildren();
      $("reply").replaceChildren();
      setText($("text"), "");
      setText($("state"), response.errors.some((e) => touched.has(e.field))
        ? "No signature yet: see the message under each field marked."
        : "Fill in your name, title and unit to see your signature.");
    }
    made = signature;
    const notes = $("notes");
    notes.replaceChildren(...response.notes.map((note) => {
      const item = document.createElement("li");
      item.textContent = note;
      return item;
    }));
    root.dataset.state = signature ? "made" : "refused";
    root.dataset.updates = String(++updates);
    performance.measure("sigblock-update", { start: started, end: performance.now() });
    if (updates === 1) performance.mark("sigblock-first-preview");
  }

  function fail(why) {
    const failed = $("failed");
    failed.textContent = `The signature page could not start: ${why}. Ask whoever sent it for a new copy.`;
    failed.hidden = false;
    setText($("state"), "");
    root.dataset.state = "failed";
  }

  // Shows every field's message and takes the person to the first to fix.
  function refuse() {
    for (const field of FIELDS) touched.add(field);
    update();
    const first = FIELDS.find((field) => $(`${field}-error`).textContent);
    setText($("copied"), "Fix the fields marked above first.");
    if (first) $(first).focus();
  }

  async function copy(html, text) {
    try {
      await navigator.clipboard.write([new ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" }),
      })]);
      return true;
    } catch (_) {
      // No asynchronous clipboard here (an older browser, a page not allowed it): the
      // copy event can still carry both flavours.
      let carried = false;
      const onCopy = (event) => {
        event.clipboardData.setData("text/html", html);
        event.clipboardData.setData("text/plain", text);
        event.preventDefault();
        carried = true;
      };
      document.addEventListener("copy", onCopy);
      try {
        document.execCommand("copy");
      } catch (_) {
        // Said below: the person copies by hand.
      }
      document.removeEventListener("copy", onCopy);
      return carried;
    }
  }

  async function copyButton(reply) {
    if (!made) return refuse();
    const [html, text] = reply ? [made.reply_html, made.reply_text] : [made.html, made.text];
    setText($("copied"), "");
    if (await copy(html, text)) {
      setText($("copied"), reply
        ? "Copied the reply version: paste it where your email client keeps the signature for replies."
        : "Copied: paste it into your email client’s signature settings (steps below).");
    } else {
      // Last resort: the signature selected, for Ctrl+C.
      const shown = $(reply ? "reply" : "preview");
      const range = document.createRange();
      range.selectNodeContents(shown);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      setText($("copied"), "This browser did not let the page copy: the signature is selected; press Ctrl+C (⌘C on a Mac) to copy it.");
    }
  }

  function download(name, bytes, type) {
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    setText($("copied"), `Downloaded ${name}.`);
  }

  function downloadOutlook() {
    if (!made) return refuse();
    const zip = call("sigblock_outlook", request());
    if (!zip.ok) return setText($("copied"), decoder.decode(zip.bytes));
    download(made.outlook_name, zip.bytes, "application/zip");
  }

  function listen() {
    for (const field of FIELDS) {
      const input = $(field);
      input.addEventListener("input", () => {
        touched.add(field);
        update();
      });
      input.addEventListener("change", () => {
        touched.add(field);
        update();
      });
    }
    $("form").addEventListener("submit", (event) => event.preventDefault());
    $("copy").addEventListener("click", () => copyButton(false));
    $("copy-reply").addEventListener("click", () => copyButton(true));
    $("download-outlook").addEventListener("click", downloadOutlook);
    $("download-html").addEventListener("click", () => made
      ? download(made.document_name, made.document, "text/html;charset=utf-8") : refuse());
    $("download-text").addEventListener("click", () => made
      ? download(made.text_name, made.text, "text/plain;charset=utf-8") : refuse());
  }

  // A prefilled link (signature.html?name=…&title=…&unit=…&email=…&phone=…): each
  // value given is the field's, checked like one typed.
  function prefill() {
    const query = new URLSearchParams(location.search);
    for (const field of FIELDS) {
      if (query.has(field)) {
        $(field).value = query.get(field);
        touched.add(field);
      }
    }
  }

  start().then(() => {
    prefill();
    listen();
    update();
    root.dataset.sigblock = "ready";
  }, (error) => fail(error && error.message ? error.message : String(error)));
})();
