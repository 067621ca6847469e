#!/usr/bin/env node
// Committed entry so the bin exists at install time; the CLI itself is built to dist/.
import "../dist/cli/main.js";
