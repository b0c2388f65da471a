#!/usr/bin/env node
// Checks HTML files against caniemail.com support data (npm package `caniemail`)
// and prints ONE JSON object on stdout. Exits 0 whatever the issues are: the
// caller (a Rust test) decides what is acceptable. Exit 2 = usage error,
// unreadable file or unknown client.
//
// Usage:
//   node tests/js/lint-email.mjs [--clients gmail,outlook,apple-mail,thunderbird,yahoo]
//                                [--no-extra] FILE.html...
//
// --clients: comma-separated client families (`gmail` means `gmail.*`) or exact
//   caniemail client ids / globs (`outlook.windows`, `*.ios`). Default: the five above.
// --no-extra: report only what caniemail itself detects. By default one check is
//   added that the library lacks: `<img src="data:...">` and CSS `url(data:...)` are
//   looked up as the caniemail feature `image-base64` ("Base 64 image format").
//   Such issues carry "detected_by": "lint-email.mjs".
//
// Output shape:
// {
//   "tool": "caniemail", "tool_version": "2.0.2", "data_updated": "2026-05-13 ...",
//   "clients": ["gmail.android", ...],            // exact ids the globs expanded to
//   "files": [
//     { "file": "x.html",
//       "success": false,                          // caniemail's own: no errors at all
//       "families": {
//         "outlook": {
//           "errors":   [ { "id": "html-role", "title": "role attribute",
//                           "url": "https://www.caniemail.com/features/html-role/",
//                           "clients": ["outlook.windows-mail"], "count": 3,
//                           "lines": [4, 9], "notes": { "outlook.windows-mail": [...] },
//                           "detected_by": "caniemail" } ],
//           "warnings": [ ... same shape ... ],
//           "unknown":  [ ... same shape, no notes ... ] } } } ]
// }
// "errors" = support "none" ('n') in the client's latest tested version (the
// library's rule); "warnings" = partial/buggy ('a'); "unknown" = untested ('u') or
// no data for that client (mostly thunderbird.windows), which caniemail itself
// would count as warnings or crash on. Warnings are per feature, not per value:
// `display:block` is flagged because `display:flex` etc. are partial.
// "lines" are the line of the element (style attributes) or of the CSS rule.
// Every requested family is present, with empty lists if clean.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

import { caniemail, rawData } from 'caniemail';

const require = createRequire(import.meta.url);
// The library's own client list and glob matcher (not in its public exports,
// so loaded by path next to its entry point).
const { clientNames } = await import(
  pathToFileURL(join(dirname(require.resolve('caniemail')), 'clients.js')).href
);
const micromatch = createRequire(require.resolve('caniemail'))('micromatch');
const DEFAULT_CLIENTS = 'gmail,outlook,apple-mail,thunderbird,yahoo';

function usage(msg) {
  if (msg) process.stderr.write(`lint-email: ${msg}\n`);
  process.stderr.write(
    'usage: node lint-email.mjs [--clients gmail,outlook,apple-mail,thunderbird,yahoo] [--no-extra] FILE.html...\n'
  );
  process.exit(2);
}

function parseArgs(argv) {
  let clients = DEFAULT_CLIENTS;
  let extra = true;
  const files = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--clients') {
      if (i + 1 >= argv.length) usage('--clients needs a value');
      clients = argv[(i += 1)];
    } else if (a.startsWith('--clients=')) {
      clients = a.slice('--clients='.length);
    } else if (a === '--no-extra') {
      extra = false;
    } else if (a === '-h' || a === '--help') {
      usage();
    } else if (a === '--') {
      files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('--')) {
      usage(`unknown option ${a}`);
    } else {
      files.push(a);
    }
  }
  if (files.length === 0) usage('no input files');
  const globs = clients
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.includes('.') || s === '*' ? s : `${s}.*`));
  if (globs.length === 0) usage('empty --clients');
  return { globs, extra, files };
}

const featureByTitle = new Map(rawData.data.map((f) => [f.title, f]));
const familyOf = (client) => client.split('.')[0];

// caniemail's own rule (dist/clients.js getSupportType): the latest version key,
// sorted as strings, wins. 'y' = full, 'n' = none, anything else = partial, which
// would make 'u' (untested) a "partial" warning: we report it as "unknown".
function supportFor(feature, client) {
  const [family, platform] = client.split('.');
  const versions = feature.stats?.[family]?.[platform];
  if (!versions) return { support: 'unknown', notes: [] };
  const keys = Object.keys(versions).sort();
  const status = versions[keys[keys.length - 1]];
  const noteNums = [...status.matchAll(/#(\d+)/g)].map((m) => m[1]);
  const notes = noteNums.map((n) => feature.notes_by_num?.[n]).filter(Boolean);
  if (status.startsWith('y')) return { support: 'full', notes };
  if (status.startsWith('n')) return { support: 'none', notes };
  if (status.startsWith('u')) return { support: 'unknown', notes };
  return { support: 'partial', notes };
}

// caniemail 2.0.2 throws `Feature "X" not found on "client"` when the input uses a
// feature that has no data for a requested client (thunderbird.windows lacks 273 of
// 307 features, so `thunderbird.*` fails on any real page). Fill the gaps in its
// (shared, in-memory) data with 'u' = untested before the first check.
function fillMissingStats() {
  for (const feature of rawData.data) {
    feature.stats ??= {};
    for (const client of clientNames) {
      const [family, platform] = client.split('.');
      feature.stats[family] ??= {};
      feature.stats[family][platform] ??= { untested: 'u' };
    }
  }
}

// Line numbers (1-based) of every data: URI used as an image.
function findDataUriImages(html) {
  const lines = [];
  const lineAt = (idx) => html.slice(0, idx).split('\n').length;
  const patterns = [
    /<(?:img|source|input)\b[^>]*?\s(?:src|srcset)\s*=\s*["']?\s*data:/gi,
    /url\(\s*["']?\s*data:/gi,
    /\sbackground\s*=\s*["']?\s*data:/gi
  ];
  for (const re of patterns) {
    for (const m of html.matchAll(re)) lines.push(lineAt(m.index));
  }
  return lines;
}

const KIND = { none: 'errors', partial: 'warnings', unknown: 'unknown' };

function emptyFamilies(clients) {
  const out = {};
  for (const c of clients) out[familyOf(c)] ??= { errors: [], warnings: [], unknown: [] };
  return out;
}

// Merge issue occurrences into one entry per (family, kind, title).
function addIssue(bucket, client, issue, detectedBy) {
  const feature = featureByTitle.get(issue.title);
  let entry = bucket.find((e) => e.title === issue.title && e.detected_by === detectedBy);
  if (!entry) {
    entry = {
      id: feature?.slug ?? null,
      title: issue.title,
      url: feature?.url ?? null,
      clients: [],
      count: 0,
      lines: [],
      notes: {},
      detected_by: detectedBy
    };
    bucket.push(entry);
  }
  if (!entry.clients.includes(client)) entry.clients.push(client);
  entry.count += 1;
  const line = issue.position?.start?.line;
  if (Number.isInteger(line) && !entry.lines.includes(line)) entry.lines.push(line);
  if (issue.notes?.length && !entry.notes[client]) entry.notes[client] = issue.notes;
}

function lintFile(file, globs, extra) {
  const html = readFileSync(file, 'utf8');
  const result = caniemail({ clients: globs, html });
  const families = emptyFamilies(lintFile.clients);
  for (const map of [result.issues.errors, result.issues.warnings]) {
    for (const [client, issues] of map) {
      for (const issue of issues) {
        const feature = featureByTitle.get(issue.title);
        const kind = KIND[feature ? supportFor(feature, client).support : issue.support] ?? 'warnings';
        addIssue(families[familyOf(client)][kind], client, issue, 'caniemail');
      }
    }
  }
  if (extra) {
    const lines = findDataUriImages(html);
    const feature = rawData.data.find((f) => f.slug === 'image-base64');
    if (lines.length && feature) {
      for (const client of lintFile.clients) {
        const s = supportFor(feature, client);
        if (s.support === 'full') continue;
        const kind = KIND[s.support];
        for (const line of lines) {
          addIssue(
            families[familyOf(client)][kind],
            client,
            { title: feature.title, notes: s.notes, position: { start: { line } } },
            'lint-email.mjs'
          );
        }
      }
    }
  }
  for (const fam of Object.values(families)) {
    for (const list of [fam.errors, fam.warnings, fam.unknown]) {
      list.sort((a, b) => (a.id ?? a.title).localeCompare(b.id ?? b.title));
      for (const e of list) {
        e.clients.sort();
        e.lines.sort((a, b) => a - b);
      }
    }
  }
  return { file, success: result.success, families };
}

function main() {
  const { globs, extra, files } = parseArgs(process.argv.slice(2));
  const expanded = [...new Set(micromatch(clientNames, globs))];
  fillMissingStats();
  if (expanded.length === 0) usage(`no email client matches ${globs.join(',')}`);
  lintFile.clients = expanded;
  const out = {
    tool: 'caniemail',
    tool_version: require('caniemail/package.json').version,
    data_updated: rawData.last_update_date,
    clients: expanded,
    files: []
  };
  for (const file of files) {
    try {
      out.files.push(lintFile(file, globs, extra));
    } catch (err) {
      process.stderr.write(`lint-email: ${file}: ${err.message}\n`);
      process.exit(2);
    }
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main();
