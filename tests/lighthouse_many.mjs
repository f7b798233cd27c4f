// Lighthouse on many pages with one Chromium: what `lighthouse URL --output=json` does for
// each page (its defaults: mobile, simulated throttling), without starting Node, loading
// Lighthouse and launching Chromium again for every page. tests/public_tools.py runs it.
//
//   node tests/lighthouse_many.mjs JOBS.json
//
// JOBS.json: {"chromePath": "...", "chromeFlags": [...], "categories": [...],
//             "jobs": [{"url": "...", "output": "....json"}, ...]}
// Each report is written to its output file; a run that fails (a runtime error, such as a lost
// trace on a loaded machine) writes {"runtimeError": {...}} there instead, and the next page is
// audited all the same.
import fs from 'node:fs';
import {createRequire} from 'node:module';
import {pathToFileURL} from 'node:url';

import lighthouse from 'lighthouse';

// chrome-launcher is Lighthouse's own dependency (its command line launches Chromium with it):
// resolved from Lighthouse's folder, wherever npm put it.
const fromLighthouse = createRequire(import.meta.resolve('lighthouse'));
const ChromeLauncher = await import(pathToFileURL(fromLighthouse.resolve('chrome-launcher')).href);

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const chrome = await ChromeLauncher.launch({chromePath: spec.chromePath, chromeFlags: spec.chromeFlags,
  logLevel: 'silent'});
let failed = 0;
try {
  for (const job of spec.jobs) {
    try {
      const result = await lighthouse(job.url, {port: chrome.port, output: 'json', logLevel: 'silent',
        onlyCategories: spec.categories});
      if (result.lhr.runtimeError) {
        fs.writeFileSync(job.output, JSON.stringify({runtimeError: result.lhr.runtimeError}));
      } else {
        fs.writeFileSync(job.output, result.report);
      }
    } catch (error) {
      failed += 1;
      fs.writeFileSync(job.output, JSON.stringify({runtimeError: {code: 'EXCEPTION', message: String(error.stack || error)}}));
    }
  }
} finally {
  await chrome.kill();
}
process.exit(failed ? 1 : 0);
