#!/usr/bin/env bash
# Rebuilds the console playground's editor bundle, console/web/static/editor.js (CodeMirror 6 with completion and
# linting from the document JSON Schema), and its licence notices, from console/editor/ (package.json,
# package-lock.json, editor.js, build.mjs). The bundle is committed: `make run` and the server never need
# Node. Run this after changing console/editor/, then commit both folders.
set -euo pipefail
cd "$(dirname "$0")/../console/editor"
command -v npm >/dev/null || { echo "build-playground: npm is needed (apt-get install nodejs npm)" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error
node build.mjs
gzip -9 -c ../web/static/editor.js | wc -c | xargs printf 'editor.js gzipped: %s bytes\n'
