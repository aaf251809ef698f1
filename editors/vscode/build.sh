#!/usr/bin/env bash
# Builds the VS Code extension and packages it as editors/vscode/aslc.vsix, from a clean
# checkout: installs the npm packages (locked by package-lock.json), compiles the
# TypeScript, and runs @vscode/vsce. Needs Node.js 18 or later and npm; not VS Code.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
else
    npm install --no-audit --no-fund
fi
npm run --silent compile
npm run --silent package
ls -l aslc.vsix
